import Foundation
import TestSupport
import Transport
import XCTest

/// The retry policy against a real loopback server; waits are recorded instead of slept.
final class RetryingHTTPClientTests: XCTestCase {
    /// Records the waits and notices a retrying client asks for.
    final class Recorder: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var waits: [Double] = []
        private(set) var notices: [RetryNotice] = []
        func wait(_ seconds: Double) {
            lock.lock()
            waits.append(seconds)
            lock.unlock()
        }
        func notice(_ notice: RetryNotice) {
            lock.lock()
            notices.append(notice)
            lock.unlock()
        }
    }

    /// A server that answers the n-th request (0-based) with `script(n)`.
    func server(_ script: @escaping @Sendable (Int, ResponseWriter) -> Void) throws -> LoopbackHTTPServer {
        let counter = Counter()
        return try LoopbackHTTPServer { _, writer in script(counter.next(), writer) }
    }

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

    func client(_ recorder: Recorder, retries: Int = 2, maxWait: Double = 60) -> RetryingHTTPClient {
        RetryingHTTPClient(
            base: CurlHTTPClient(), policy: RetryPolicy(retries: retries, maxWait: maxWait),
            onRetry: { recorder.notice($0) }, wait: { recorder.wait($0) })
    }

    func get(_ client: HTTPClient, _ url: String) throws -> (HTTPResponseHead, String, [HTTPResponseHead]) {
        var heads: [HTTPResponseHead] = []
        var body = Data()
        let head = try client.send(
            HTTPRequest(method: "GET", url: url), options: TransferOptions(),
            onHead: { heads.append($0) },
            onData: {
                body.append($0)
                return true
            })
        return (head, String(decoding: body, as: UTF8.self), heads)
    }

    func testServerErrorsAreRetriedThenSucceed() throws {
        let recorder = Recorder()
        let server = try server { n, writer in
            writer.respond(status: n < 2 ? 503 : 200, body: Data((n < 2 ? "busy" : "ok").utf8))
        }
        let (head, body, heads) = try get(client(recorder), server.baseURL + "/x")
        XCTAssertEqual(head.status, 200)
        XCTAssertEqual(body, "ok", "bodies of retried failures never reach the caller")
        XCTAssertEqual(heads.map(\.status), [200])
        XCTAssertEqual(server.requests.count, 3)
        XCTAssertEqual(recorder.notices.map(\.attempt), [2, 3])
        XCTAssertEqual(recorder.notices.first?.reason, "HTTP 503")
        XCTAssertEqual(recorder.waits.count, 2)
        XCTAssertTrue((0.25...0.5).contains(recorder.waits[0]), "\(recorder.waits)")
        XCTAssertTrue((0.5...1.0).contains(recorder.waits[1]), "\(recorder.waits)")
    }

    func testRetryAfterHeadersAreHonoured() throws {
        let recorder = Recorder()
        let server = try server { n, writer in
            switch n {
            case 0: writer.respond(status: 429, headers: [("Retry-After", "2")], body: Data())
            case 1: writer.respond(status: 429, headers: [("retry-after-ms", "1500")], body: Data())
            default: writer.respond(status: 200, body: Data("ok".utf8))
            }
        }
        let (head, _, _) = try get(client(recorder), server.baseURL + "/x")
        XCTAssertEqual(head.status, 200)
        XCTAssertEqual(recorder.waits, [2, 1.5])
    }

    func testTooLongADemandIsNotRetried() throws {
        let recorder = Recorder()
        let server = try server { _, writer in
            writer.respond(status: 429, headers: [("Retry-After", "120")], body: Data("slow down".utf8))
        }
        let (head, body, _) = try get(client(recorder, maxWait: 60), server.baseURL + "/x")
        XCTAssertEqual(head.status, 429)
        XCTAssertEqual(body, "slow down")
        XCTAssertEqual(server.requests.count, 1)
        XCTAssertEqual(recorder.waits, [])
    }

    func testClientErrorsAreNeverRetried() throws {
        for status in [400, 401, 403, 404, 413, 422] {
            let recorder = Recorder()
            let server = try server { _, writer in writer.respond(status: status, body: Data("no".utf8)) }
            let (head, body, _) = try get(client(recorder), server.baseURL + "/x")
            XCTAssertEqual(head.status, status)
            XCTAssertEqual(body, "no")
            XCTAssertEqual(server.requests.count, 1, "\(status) must not be retried")
        }
    }

    func testLastFailureIsPassedOnWhenRetriesRunOut() throws {
        let recorder = Recorder()
        let server = try server { n, writer in writer.respond(status: 502, body: Data("bad gateway \(n)".utf8)) }
        let (head, body, _) = try get(client(recorder, retries: 1), server.baseURL + "/x")
        XCTAssertEqual(head.status, 502)
        XCTAssertEqual(body, "bad gateway 1")
        XCTAssertEqual(server.requests.count, 2)
    }

    func testConnectionFailuresAreRetried() throws {
        let recorder = Recorder()
        let port = try LoopbackHTTPServer.closedPort()
        XCTAssertThrowsError(try get(client(recorder), "http://127.0.0.1:\(port)/x")) { error in
            guard case .couldNotConnect = error as? TransportError else { return XCTFail("\(error)") }
        }
        XCTAssertEqual(recorder.notices.count, 2)
        XCTAssertTrue(recorder.notices[0].reason.contains("connection refused"), recorder.notices[0].reason)
    }

    func testStreamCutAfterDataIsNeverRetried() throws {
        let recorder = Recorder()
        let server = try server { _, writer in
            writer.startStream(status: 200, headers: [("Content-Type", "text/event-stream")])
            writer.sendChunk(SSE.event(#"{"x":1}"#))
            writer.closeAbruptly()
        }
        XCTAssertThrowsError(try get(client(recorder), server.baseURL + "/x"))
        XCTAssertEqual(server.requests.count, 1)
        XCTAssertEqual(recorder.notices, [])
    }

    func testPolicyArithmetic() {
        let policy = RetryPolicy()
        XCTAssertEqual(policy.backoff(attempt: 1, random: 1), 0.5)
        XCTAssertEqual(policy.backoff(attempt: 1, random: 0), 0.25)
        XCTAssertEqual(policy.backoff(attempt: 3, random: 1), 2)
        XCTAssertEqual(policy.backoff(attempt: 10, random: 1), 8, "capped")
        let now = Date(timeIntervalSince1970: 1_000_000_000)  // Sun, 09 Sep 2001 01:46:40 GMT
        XCTAssertEqual(RetryPolicy.demandedWait(["retry-after": "Sun, 09 Sep 2001 01:47:10 GMT"], now: now), 30)
        XCTAssertEqual(RetryPolicy.demandedWait(["retry-after": "7"]), 7)
        XCTAssertNil(RetryPolicy.demandedWait(["retry-after": "soon"]))
        XCTAssertEqual(RetryPolicy.demandedWait(["retry-after-ms": "250", "retry-after": "9"]), 0.25)
    }
}
