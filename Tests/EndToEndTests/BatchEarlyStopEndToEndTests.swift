import TestSupport
import XCTest

/// A batch that cannot work (wrong key, nothing listening) stops after its first requests, says so once and exits
/// with that error's code; `--resume` then sends every image. A batch where some requests succeed never stops early.
final class BatchEarlyStopEndToEndTests: EndToEndCase {
    func images(_ count: Int) throws {
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("photos"), withIntermediateDirectories: true)
        for index in 0..<count { _ = try png("photos/img-\(String(format: "%02d", index)).png", width: 5 + index, height: 4) }
    }

    func lines(_ text: String) -> [[String: Any]] {
        text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    func testWrongKeyStopsTheBatchOnceAndResumeSendsEverything() throws {
        try images(20)
        let refusing = try LoopbackHTTPServer { _, writer in
            writer.respond(
                status: 401, headers: [("Content-Type", "application/json")],
                body: Data(#"{"error":{"message":"Incorrect API key provided","code":"invalid_api_key"}}"#.utf8))
        }
        let result = try vq(["batch", "--jobs", "2", "--out", "out.jsonl", "Describe", "photos"], baseURL: refusing.baseURL + "/v1")
        XCTAssertEqual(result.status, 77, result.stderr)
        XCTAssertEqual(result.stderr.components(separatedBy: "Incorrect API key").count - 1, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("vq: error: HTTP 401"), result.stderr)
        XCTAssertTrue(result.stderr.contains("the same command with --resume sends the rest"), result.stderr)
        XCTAssertLessThanOrEqual(refusing.requests.count, 3 + 2, "the rest of the batch must not be sent")
        let written = lines(try String(contentsOf: directory.appendingPathComponent("out.jsonl"), encoding: .utf8))
        XCTAssertEqual(written.count, refusing.requests.count, "one line per image that was sent")

        let server = try BatchStubServer()
        let resumed = try vq(["batch", "--jobs", "2", "--out", "out.jsonl", "--resume", "Describe", "photos"], baseURL: server.baseURL)
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertEqual(server.answeredCount, 20)
        let all = lines(try String(contentsOf: directory.appendingPathComponent("out.jsonl"), encoding: .utf8))
        XCTAssertEqual(Set(all.filter { $0["error"] is NSNull }.map { $0["image"] as! String }).count, 20)
    }

    func testNothingListeningStopsTheBatchWithExit69() throws {
        try images(12)
        let port = try LoopbackHTTPServer.closedPort()
        let result = try vq(["batch", "--retries", "0", "Describe", "photos"], baseURL: "http://127.0.0.1:\(port)/v1")
        XCTAssertEqual(result.status, 69, result.stderr)
        XCTAssertEqual(result.stderr.components(separatedBy: "connection refused").count - 1, 1, result.stderr)
        // Without --out there is nothing to resume: the suggestion is one that works.
        XCTAssertTrue(result.stderr.contains("run the command again (with --out FILE"), result.stderr)
        XCTAssertFalse(result.stderr.contains("--resume sends"), result.stderr)
        XCTAssertLessThan(lines(result.stdout).count, 12)
    }

    func testABatchWithSuccessesGoesOnAndReportsEveryFailure() throws {
        try images(8)
        let counter = RequestCounter()
        // Every other request is refused: the batch works, so it runs to the end and warns about each failure.
        let server = try LoopbackHTTPServer { _, writer in
            if counter.next() % 2 == 1 {
                return writer.respond(status: 403, body: Data(#"{"error":{"message":"not for this model"}}"#.utf8))
            }
            let json = #"{"choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}]}"#
            writer.respond(status: 200, headers: [("Content-Type", "application/json")], body: Data(json.utf8))
        }
        let result = try vq(["batch", "--jobs", "1", "Describe", "photos"], baseURL: server.baseURL + "/v1")
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertEqual(lines(result.stdout).count, 8)
        XCTAssertEqual(result.stderr.components(separatedBy: "not for this model").count - 1, 4, result.stderr)
    }
}

/// Numbers requests across server threads.
final class RequestCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func next() -> Int {
        lock.withLock {
            defer { count += 1 }
            return count
        }
    }
}
