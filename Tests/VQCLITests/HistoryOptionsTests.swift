import VisionQuery
import XCTest

@testable import VQCLI

/// `-c`, `--conversation`, `--no-log`, `vq chat` and `vq logs` become typed values; bad combinations are usage errors.
final class HistoryOptionsTests: XCTestCase {
    private func query(_ argv: [String]) throws -> QueryOptions {
        let invocation = try Invocation.from(argv)
        guard case .query(let options) = invocation else { throw NotAQuery(invocation: invocation) }
        return options
    }

    private func usageError(_ argv: [String]) -> String? {
        do {
            _ = try Invocation.from(argv)
            return nil
        } catch { return error.category == .usage ? error.message : "not usage: \(error)" }
    }

    func testContinuingAndLoggingOptions() throws {
        XCTAssertEqual(try query(["-c", "more"]).conversation, .latest)
        XCTAssertEqual(try query(["--conversation", "7", "more"]).conversation, .id(7))
        XCTAssertEqual(try query(["more"]).conversation, ChoiceNone.value)
        XCTAssertTrue(try query(["more"]).log)
        XCTAssertFalse(try query(["--no-log", "more"]).log)
        XCTAssertEqual(usageError(["-c", "--conversation", "3", "more"]), "'-c' and '--conversation' cannot be used together (-c is the most recent one)")
        XCTAssertEqual(
            usageError(["--conversation", "0", "more"]),
            "invalid value '0' for '--conversation': expected a conversation id (a positive whole number, see 'vq logs')")
        XCTAssertEqual(
            usageError(["-c", "--messages", "m.json", "more"]),
            "'--messages' cannot be used with '-c' or '--conversation' (the conversation comes from the log)")
        XCTAssertEqual(
            usageError(["batch", "--no-log", "p", "a.png"]),
            "option '--no-log' does not apply to 'vq batch'; it is an option of a query (vq PROMPT IMAGE...), 'vq chat', 'vq gen', 'vq detect', 'vq compare'")
    }

    func testChatTakesQueryOptions() throws {
        guard case .chat(let options) = try Invocation.from(["chat", "-c", "-m", "x", "--no-stream", "a.png"]) else { return XCTFail() }
        XCTAssertEqual(options.conversation, .latest)
        XCTAssertEqual(options.model, "x")
        XCTAssertFalse(options.stream)
        XCTAssertEqual(options.positionals, ["a.png"])
        XCTAssertEqual(
            usageError(["chat", "--dry-run"]),
            "option '--dry-run' does not apply to 'vq chat'; it is an option of a query (vq PROMPT IMAGE...), 'vq batch', 'vq gen', 'vq detect'")
    }

    func testLogsActionsAndFilters() throws {
        var expected = LogsOptions()
        XCTAssertEqual(try Invocation.from(["logs"]), .logs(expected))
        expected.count = 20
        expected.search = "red car"
        expected.model = "m"
        expected.conversationID = 4
        expected.json = true
        XCTAssertEqual(try Invocation.from(["logs", "-n", "20", "--search", "red car", "--model", "m", "--conversation", "4", "--json"]), .logs(expected))
        guard case .logs(let show) = try Invocation.from(["logs", "show", "12"]) else { return XCTFail() }
        XCTAssertEqual(show.action, .show(12))
        guard case .logs(let path) = try Invocation.from(["logs", "path"]) else { return XCTFail() }
        XCTAssertEqual(path.action, .path)
        XCTAssertEqual(usageError(["logs", "show"]), "'vq logs show' needs one exchange id (a positive whole number, see 'vq logs')")
        XCTAssertEqual(usageError(["logs", "sho", "1"]), "unknown logs action 'sho 1'; did you mean 'show'? (expected: show ID, path)")
        XCTAssertEqual(usageError(["logs", "-n", "0"]), "invalid value '0' for '--count': expected a whole number from 1 to 1000000")
        XCTAssertEqual(
            usageError(["logs", "--temperature", "1"]),
            "option '--temperature' does not apply to 'vq logs'; it is an option of a query (vq PROMPT IMAGE...), 'vq batch', 'vq chat', 'vq detect', 'vq compare', 'vq eval'"
        )
    }
}

/// Thrown when argv parsed as something other than a query.
private struct NotAQuery: Error { let invocation: Invocation }

/// `.none` spelled out, since `Optional.none` would otherwise win the literal.
private enum ChoiceNone { static let value = ConversationChoice.none }
