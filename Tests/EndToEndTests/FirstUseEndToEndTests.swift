import TestSupport
import XCTest

/// What a new user trips over first: a directory in a plain query, a --timeout, an interrupted batch, a mistyped profile.
final class FirstUseEndToEndTests: EndToEndCase {
    func testDirectoryInAPlainQueryPointsToBatch() throws {
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("photos"), withIntermediateDirectories: true)
        let server = try OpenAIStubServer()
        let result = try vq(["Describe", "photos/"], server: server)
        XCTAssertEqual(result.status, 66, result.stderr)
        XCTAssertEqual(result.stderr, "vq: error: photos/: is a directory, not an image; to ask about every image in it, use: vq batch PROMPT photos/\n")
        XCTAssertEqual(server.requests.count, 0)
    }

    func testTimeoutExpirySaysSoInVqsWords() throws {
        _ = try png("a.png")
        let server = try LoopbackHTTPServer { _, writer in writer.waitUntilClientGone(timeout: 30) }
        let result = try vq(["--timeout", "0.5", "--retries", "0", "Describe", "a.png"], baseURL: server.baseURL + "/v1")
        XCTAssertEqual(result.status, 69, result.stderr)
        XCTAssertTrue(result.stderr.contains("the --timeout ran out"), result.stderr)
        XCTAssertFalse(result.stderr.contains("Operation timed out"), "libcurl's words: \(result.stderr)")
    }

    func testUnknownProfileFlagIsAUsageErrorAsDocumented() throws {
        let result = try vq(["-p", "nosuch", "Describe", "a.png"], baseURL: nil)
        XCTAssertEqual(result.status, 64, result.stderr)
        XCTAssertTrue(result.stderr.contains("nosuch"), result.stderr)
    }

    func testInterruptedBatchWithOutSaysResumeContinues() throws {
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("photos"), withIntermediateDirectories: true)
        _ = try png("photos/a.png")
        let arrived = DispatchSemaphore(value: 0)
        let server = try LoopbackHTTPServer { _, writer in
            arrived.signal()
            writer.waitUntilClientGone(timeout: 30)
        }
        let config = try writeConfig(baseURL: server.baseURL + "/v1")
        let process = VQProcess.makeProcess(
            ["batch", "Describe", "photos", "--out", "alt.jsonl"],
            environment: ["VQ_CONFIG": config, "STUB_KEY": Self.key], directory: directory)
        let stderr = Pipe()
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = stderr
        try process.run()
        XCTAssertEqual(arrived.wait(timeout: .now() + 20), .success, "the request never arrived")
        kill(process.processIdentifier, SIGINT)
        let shown = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .uncaughtSignal)
        XCTAssertEqual(process.terminationStatus, SIGINT)
        XCTAssertTrue(shown.contains("every finished answer is in alt.jsonl: run the same command with --resume to continue"), shown)
    }
}
