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
}
