import TestSupport
import XCTest

/// The retry policy as a user meets it: retries announced with -v, rate limits, and limits on waiting.
final class RetryEndToEndTests: EndToEndCase {
    /// Counts requests across the server's connection threads.
    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func next() -> Int {
            lock.lock()
            defer {
                value += 1
                lock.unlock()
            }
            return value
        }
    }

    func run(
        _ arguments: [String], _ handler: @escaping @Sendable (Int, RecordedRequest, ResponseWriter) -> Void
    ) throws -> (VQProcess.Result, LoopbackHTTPServer) {
        let counter = Counter()
        let server = try LoopbackHTTPServer { request, writer in handler(counter.next(), request, writer) }
        let config = try writeConfig(baseURL: server.baseURL + "/v1")
        let result = try VQProcess.run(
            arguments + ["Describe", "https://example.org/c.jpg"],
            environment: ["VQ_CONFIG": config, "STUB_KEY": Self.key], directory: directory)
        assertKeyNeverShown(result)
        return (result, server)
    }

    static func answer(_ writer: ResponseWriter) {
        writer.respond(
            status: 200, headers: [("Content-Type", "application/json")],
            body: Data(#"{"choices":[{"index":0,"message":{"content":"fine"},"finish_reason":"stop"}]}"#.utf8))
    }

    func testTransientFailuresAreRetriedAndAnnounced() throws {
        let (result, server) = try run(["-v", "--no-stream"]) { n, _, writer in
            if n == 0 { return writer.respond(status: 503, headers: [("Retry-After", "0")], body: Data("busy".utf8)) }
            if n == 1 { return writer.respond(status: 429, headers: [("retry-after-ms", "10")], body: Data()) }
            Self.answer(writer)
        }
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "fine\n")
        XCTAssertEqual(server.requests.count, 3)
        XCTAssertTrue(result.stderr.contains("HTTP 503 from stub, retrying in 0.0 s (2/3)"), result.stderr)
        XCTAssertTrue(result.stderr.contains("HTTP 429 from stub, retrying in 0.0 s (3/3)"), result.stderr)
    }

    func testRetriesZeroFailsAtOnce() throws {
        let (result, server) = try run(["--retries", "0"]) { _, _, writer in writer.respond(status: 503, body: Data("busy".utf8)) }
        XCTAssertEqual(result.status, 69, result.stderr)
        XCTAssertEqual(server.requests.count, 1)
    }

    func testRateLimitLongerThanTheMaximumWaitSaysWhenToTryAgain() throws {
        let (result, server) = try run(["--retry-max-wait", "5"]) { _, _, writer in
            writer.respond(
                status: 429, headers: [("Retry-After", "120"), ("Content-Type", "application/json")],
                body: Data(#"{"error":{"message":"Rate limit reached"}}"#.utf8))
        }
        XCTAssertEqual(result.status, 75, result.stderr)
        XCTAssertEqual(server.requests.count, 1)
        XCTAssertTrue(result.stderr.contains("Rate limit reached"), result.stderr)
        XCTAssertTrue(result.stderr.contains("try again in 120 s"), result.stderr)
    }

    func testBadRequestsAreNotRetried() throws {
        let (result, server) = try run([]) { _, _, writer in writer.respond(status: 400, body: Data("bad".utf8)) }
        XCTAssertEqual(result.status, 65, result.stderr)
        XCTAssertEqual(server.requests.count, 1)
    }

    func testStallTimeoutEndsASilentStream() throws {
        let (result, _) = try run(["--stall-timeout", "0.5"]) { _, _, writer in
            writer.startStream(status: 200, headers: [("Content-Type", "text/event-stream")])
            writer.sendChunk(SSE.event(#"{"choices":[{"index":0,"delta":{"content":"Part"}}]}"#))
            writer.waitUntilClientGone(timeout: 30)
        }
        XCTAssertEqual(result.status, 69, result.stderr)
        XCTAssertEqual(result.stdout, "Part")
        XCTAssertTrue(result.stderr.contains("cut off"), result.stderr)
    }
}
