import TestSupport
import XCTest

/// vq at a terminal, where stdout and stderr share one screen: what a person at a shell sees.
final class TerminalEndToEndTests: EndToEndCase {
    func onTerminal(_ arguments: [String], baseURL: String) throws -> VQProcess.Result {
        let config = try writeConfig(baseURL: baseURL)
        return try VQProcess.runOnTerminal(arguments, environment: ["VQ_CONFIG": config, "STUB_KEY": Self.key], directory: directory)
    }

    func testForgottenPromptIsAnErrorAndNothingIsSent() throws {
        _ = try png("small.png")
        _ = try png("other.png")
        let server = try OpenAIStubServer()
        for arguments in [["small.png"], ["small.png", "other.png"]] {
            let result = try onTerminal(arguments, baseURL: server.baseURL)
            XCTAssertEqual(result.status, 64, result.stdout)
            XCTAssertTrue(result.stdout.hasPrefix("vq: error: missing PROMPT: every argument is an image"), result.stdout)
        }
        XCTAssertEqual(server.requests.count, 0, "a forgotten prompt must not be sent (and billed)")
    }

    func testErrorAfterAPartialAnswerStartsOnItsOwnLine() throws {
        _ = try png("a.png")
        let server = try OpenAIStubServer(fault: .cutMidStream)
        let result = try onTerminal(["--retries", "0", "Describe", "a.png"], baseURL: server.baseURL)
        XCTAssertEqual(result.status, 69, result.stdout)
        XCTAssertTrue(result.stdout.hasPrefix("Saw\nvq: error: "), result.stdout)
    }

    func testBatchProgressIsClearedBeforeEachResultLine() throws {
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("photos"), withIntermediateDirectories: true)
        for index in 0..<4 { _ = try png("photos/p\(index).png", width: 4 + index) }
        let server = try BatchStubServer()
        let result = try onTerminal(["batch", "--jobs", "1", "Describe", "photos"], baseURL: server.baseURL)
        XCTAssertEqual(result.status, 0, result.stdout)
        let resultLines = result.stdout.split(separator: "\n").filter { $0.contains("{\"image\"") }
        XCTAssertEqual(resultLines.count, 4, result.stdout)
        XCTAssertTrue(result.stdout.contains("vq: batch"), "a progress line was drawn: \(result.stdout)")
        for line in resultLines {
            // A progress line drawn before the JSON must have been erased (carriage return, erase line) right before it.
            let before = line[..<line.range(of: "{\"image\"")!.lowerBound]
            XCTAssertTrue(before.isEmpty || before.hasSuffix("\r\u{1B}[K"), "progress ran into a result: \(line.debugDescription)")
        }
    }

    func testEscapeSequencesFromTheModelAndTheServerAreShownNotRunOnATerminal() throws {
        let hostile = "Hi \u{1B}]0;pwned\u{07}\u{1B}]52;c;SGVsbG8=\u{07}\u{1B}[2J\u{9B}31m done"
        let escaped = String(decoding: try JSONSerialization.data(withJSONObject: [hostile]), as: UTF8.self).dropFirst().dropLast()
        let server = try LoopbackHTTPServer { request, writer in
            let failing = request.path.hasSuffix("/models")
            let body =
                failing
                ? #"{"error":{"message":\#(escaped)}}"#
                : #"{"choices":[{"index":0,"message":{"role":"assistant","content":\#(escaped)},"finish_reason":"stop"}]}"#
            writer.respond(status: failing ? 400 : 200, headers: [("Content-Type", "application/json")], body: Data(body.utf8))
        }
        let log = ["VQ_LOG_DB": directory.appendingPathComponent("log.db").path]
        let config = try writeConfig(baseURL: server.baseURL + "/v1")
        let environment = ["VQ_CONFIG": config, "STUB_KEY": Self.key].merging(log) { _, new in new }
        let visible = "Hi ^[]0;pwned^G^[]52;c;SGVsbG8=^G^[[2JM-^[31m done"

        let answer = try VQProcess.runOnTerminal(["--no-stream", "Describe", "https://example.org/c.jpg"], environment: environment, directory: directory)
        XCTAssertEqual(answer.status, 0, answer.stdout)
        XCTAssertTrue(answer.stdout.contains(visible), answer.stdout.debugDescription)
        XCTAssertFalse(answer.stdout.contains("\u{1B}]"), answer.stdout.debugDescription)

        let failure = try VQProcess.runOnTerminal(["models"], environment: environment, directory: directory)
        XCTAssertEqual(failure.status, 65, failure.stdout)
        XCTAssertTrue(failure.stdout.contains(visible), failure.stdout.debugDescription)

        let logs = try VQProcess.runOnTerminal(["logs"], environment: environment, directory: directory)
        XCTAssertTrue(logs.stdout.contains(visible), logs.stdout.debugDescription)
        XCTAssertFalse(logs.stdout.contains("\u{1B}]"), logs.stdout.debugDescription)

        let raw = try VQProcess.runOnTerminal(
            ["--raw", "--no-stream", "Describe", "https://example.org/c.jpg"], environment: environment, directory: directory)
        XCTAssertTrue(raw.stdout.contains(hostile), raw.stdout.debugDescription)

        let piped = try VQProcess.run(["--no-stream", "Describe", "https://example.org/c.jpg"], environment: environment, directory: directory)
        XCTAssertEqual(piped.stdout, hostile + "\n", "a pipe gets the answer untouched")
    }
}
