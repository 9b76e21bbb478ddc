import Foundation
import TestSupport
import Transport
import XCTest

/// CurlMultiClient: many blocking senders, one multi loop, same results as CurlHTTPClient.
final class CurlMultiClientTests: XCTestCase {
    /// Holds each answer until `wanted` requests are open at once (or 20 s pass), recording the most seen.
    final class Overlap: @unchecked Sendable {
        private let condition = NSCondition()
        private var open = 0
        private(set) var most = 0
        let wanted: Int
        init(wanted: Int) { self.wanted = wanted }

        func enter() {
            condition.lock()
            open += 1
            most = max(most, open)
            condition.broadcast()
            let deadline = Date(timeIntervalSinceNow: 20)
            while most < wanted && condition.wait(until: deadline) {}
            open -= 1
            condition.unlock()
        }
    }

    func testConcurrentSendsRunSideBySideOnOneLoop() throws {
        let overlap = Overlap(wanted: 6)
        let server = try LoopbackHTTPServer { request, writer in
            overlap.enter()
            writer.respond(status: 200, headers: [("X-Echo", request.path)], body: Data("answer for \(request.path)".utf8))
        }
        let client = CurlMultiClient(maxIdleHandles: 6)
        var options = TransferOptions()
        options.totalTimeout = 30
        let bodies = Bodies()
        let fixedOptions = options
        let senders = DispatchGroup()
        for index in 0..<6 {
            senders.enter()
            Thread {
                let request = HTTPRequest(method: "POST", url: server.baseURL + "/item/\(index)", body: [.bytes(Data("x".utf8))])
                do {
                    let (head, body) = try client.fetch(request, options: fixedOptions)
                    bodies.set(index, "\(head.status) \(head.headers["x-echo"] ?? "") \(String(decoding: body, as: UTF8.self))")
                } catch {
                    bodies.set(index, "error: \(error)")
                }
                senders.leave()
            }.start()
        }
        senders.wait()
        XCTAssertEqual(overlap.most, 6, "the six requests should have been open at once")
        for index in 0..<6 { XCTAssertEqual(bodies.get(index), "200 /item/\(index) answer for /item/\(index)") }

        // Afterwards the loop thread has stopped; a later send starts it again, and errors map as with CurlHTTPClient.
        XCTAssertThrowsError(
            try client.fetch(
                HTTPRequest(method: "GET", url: "http://127.0.0.1:\(try LoopbackHTTPServer.closedPort())/"),
                options: options)
        ) { error in
            guard case .couldNotConnect = error as? TransportError else { return XCTFail("unexpected \(error)") }
        }
    }

    /// Results by index, from many threads.
    final class Bodies: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [Int: String] = [:]
        func set(_ index: Int, _ value: String) {
            lock.lock()
            values[index] = value
            lock.unlock()
        }
        func get(_ index: Int) -> String? {
            lock.lock()
            defer { lock.unlock() }
            return values[index]
        }
    }
}
