import TestSupport
import XCTest

/// `vq batch` on the one query engine: what the single query does, each batch item does too (retried URL
/// downloads, the profile's stall timeout, token estimates in a dry run).
final class BatchEngineEndToEndTests: EndToEndCase {
    func testURLDownloadsInABatchAreRetried() throws {
        let server = try BatchStubServer()
        let image = try png("remote.png", width: 5, height: 4)
        let failures = FailOnce()
        let files = try LoopbackHTTPServer { request, writer in
            if failures.first(request.path) { return writer.respond(status: 503, body: Data()) }
            writer.respond(status: 200, headers: [("Content-Type", "image/png")], body: image)
        }
        let result = try vq(
            ["batch", "-v", "Describe", files.baseURL + "/a.png", files.baseURL + "/b.png"], baseURL: server.baseURL,
            extraConfig: "image_urls = \"inline\"")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout.split(separator: "\n").count, 2, result.stdout)
        XCTAssertFalse(result.stdout.contains("\"error\":{"), result.stdout)
        XCTAssertTrue(result.stderr.contains("HTTP 503 from stub, retrying"), result.stderr)
        XCTAssertEqual(files.requests.count, 4, "each download failed once and was retried once")
    }

    func testTheProfilesStallTimeoutAppliesToBatchItems() throws {
        let stalling = try LoopbackHTTPServer { _, writer in writer.waitUntilClientGone(timeout: 30) }
        try png("a.png")
        let started = Date()
        let result = try vq(["batch", "--retries", "0", "Describe", "a.png"], baseURL: stalling.baseURL + "/v1", extraConfig: "stall_timeout = 0.5")
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.stdout.contains("no data received for 0.5 s"), result.stdout)
        XCTAssertLessThan(Date().timeIntervalSince(started), 20, "the profile's 0.5 s applies, not the 900 s default")
    }

    func testAnOutFileThatCannotBeWrittenStopsTheBatchThroughTheErrorMapping() throws {
        let server = try BatchStubServer()
        for index in 0..<4 { _ = try png("i\(index).png", width: 5 + index, height: 4) }
        let result = try vq(
            ["batch", "-j", "1", "--out", "/dev/full", "Describe", "i0.png", "i1.png", "i2.png", "i3.png"],
            baseURL: server.baseURL)
        XCTAssertEqual(result.status, 73, result.stderr)
        XCTAssertTrue(result.stderr.contains("vq: error: /dev/full: cannot write: no space left on device"), result.stderr)
        XCTAssertLessThan(server.requests.count, 4, "sending stops once the answers cannot be kept")
    }

    func testDryRunTotalsEstimatedTokens() throws {
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("photos"), withIntermediateDirectories: true)
        for index in 0..<3 { _ = try png("photos/img-\(index).png", width: 300, height: 200) }
        let server = try BatchStubServer()
        let result = try vq(["batch", "--dry-run", "-m", "gpt-4o", "Describe", "photos"], baseURL: server.baseURL)
        XCTAssertEqual(result.status, 0, result.stderr)
        // gpt-4o: one 512-px tile per 300x200 image, 85 + 170 tokens, plus ~2 for the prompt, three times.
        XCTAssertTrue(result.stderr.contains("~771 input tokens estimated"), result.stderr)
        XCTAssertEqual(server.requests.count, 0)
    }
}

/// Answers true the first time it sees each key, from any thread.
final class FailOnce: @unchecked Sendable {
    private let lock = NSLock()
    private var seen: Set<String> = []
    func first(_ key: String) -> Bool { lock.withLock { seen.insert(key).inserted } }
}
