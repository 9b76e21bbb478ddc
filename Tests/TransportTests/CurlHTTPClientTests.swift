import Foundation
import TestSupport
import Transport
import XCTest

/// CurlHTTPClient against the real loopback server.
final class CurlHTTPClientTests: XCTestCase {
    let client = CurlHTTPClient()

    private func options(_ configure: (inout TransferOptions) -> Void = { _ in }) -> TransferOptions {
        var options = TransferOptions()
        options.connectTimeout = 5
        options.totalTimeout = 20
        configure(&options)
        return options
    }

    private func expectError(
        _ expected: (TransportError) -> Bool, _ body: () throws -> Void,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        do {
            try body()
            XCTFail("expected an error", file: file, line: line)
        } catch let error as TransportError {
            XCTAssertTrue(expected(error), "unexpected error: \(error)", file: file, line: line)
        } catch {
            XCTFail("not a TransportError: \(error)", file: file, line: line)
        }
    }

    func testGetReturnsStatusLowercasedHeadersAndBody() throws {
        let server = try LoopbackHTTPServer { _, writer in
            writer.respond(status: 200, headers: [("Content-Type", "text/plain"), ("X-Mixed-Case", "Yes")], body: Data("hello".utf8))
        }
        let (head, body) = try client.fetch(HTTPRequest(method: "GET", url: server.baseURL + "/greet?x=1"), options: options())
        XCTAssertEqual(head.status, 200)
        XCTAssertEqual(head.headers["content-type"], "text/plain")
        XCTAssertEqual(head.headers["x-mixed-case"], "Yes")
        XCTAssertEqual(head.url, server.baseURL + "/greet?x=1")
        XCTAssertEqual(String(decoding: body, as: UTF8.self), "hello")
        XCTAssertEqual(server.requests.map(\.method), ["GET"])
        XCTAssertEqual(server.requests.first?.path, "/greet?x=1")
    }

    func testPostStreamsBytesAndBase64PartsExactly() throws {
        let server = try LoopbackHTTPServer { _, writer in writer.respond(status: 200, body: Data()) }
        var rng = SeededGenerator(seed: 7)
        for imageSize in [0, 1, 2, 3, 4, 65_536, 200_001] {
            let image = Data((0..<imageSize).map { _ in UInt8.random(in: 0...255, using: &rng) })
            let request = HTTPRequest(
                method: "POST", url: server.baseURL + "/v1/chat",
                headers: [("Content-Type", "application/json")],
                body: [.bytes(Data(#"{"image":""#.utf8)), .base64(image), .bytes(Data(#""}"#.utf8))])
            let expected = Data(#"{"image":""#.utf8) + image.base64EncodedData() + Data(#""}"#.utf8)
            XCTAssertEqual(request.bodyLength, expected.count)
            XCTAssertEqual(request.bodyData(), expected)
            _ = try client.fetch(request, options: options())
            let received = try XCTUnwrap(server.requests.last)
            XCTAssertEqual(received.method, "POST")
            XCTAssertEqual(received.body, expected, "image size \(imageSize)")
            XCTAssertEqual(received.header("content-length"), String(request.bodyLength))
            XCTAssertEqual(received.header("content-type"), "application/json")
            XCTAssertNil(received.header("expect"))
        }
    }

    func testStreamingChunksArriveInOrderAfterHead() throws {
        let chunks = (0..<20).map { SSE.event(#"{"n":\#($0)}"#) }
        let server = try LoopbackHTTPServer { _, writer in
            writer.startStream(status: 200, headers: [("Content-Type", "text/event-stream")])
            for chunk in chunks { writer.sendChunk(chunk) }
            writer.endStream()
        }
        var events: [String] = []
        var received = Data()
        let head = try client.send(
            HTTPRequest(method: "POST", url: server.baseURL, body: [.bytes(Data("{}".utf8))]), options: options(),
            onHead: { head in events.append("head \(head.status)") },
            onData: { data in
                if events.last != "data" { events.append("data") }
                received.append(data)
                return true
            })
        XCTAssertEqual(head.status, 200)
        XCTAssertEqual(head.headers["content-type"], "text/event-stream")
        XCTAssertEqual(events, ["head 200", "data"])
        XCTAssertEqual(received, chunks.reduce(Data(), +))
    }

    func testErrorBodiesAreBufferedByFetch() throws {
        let server = try LoopbackHTTPServer { request, writer in
            let status = request.path == "/missing" ? 404 : 503
            writer.respond(status: status, headers: [("Content-Type", "application/json")], body: Data(#"{"error":"\#(status)"}"#.utf8))
        }
        for (path, status) in [("/missing", 404), ("/busy", 503)] {
            let (head, body) = try client.fetch(HTTPRequest(method: "GET", url: server.baseURL + path), options: options())
            XCTAssertEqual(head.status, status)
            XCTAssertEqual(String(decoding: body, as: UTF8.self), #"{"error":"\#(status)"}"#)
        }
    }

    func testFetchAbortsBeyondMaxBytes() throws {
        let server = try LoopbackHTTPServer { _, writer in writer.respond(status: 200, body: Data(count: 10_000)) }
        expectError(
            { $0 == .aborted },
            {
                _ = try client.fetch(HTTPRequest(method: "GET", url: server.baseURL), options: options(), maxBytes: 100)
            })
    }

    func testConnectionRefused() throws {
        let port = try LoopbackHTTPServer.closedPort()
        expectError(
            { $0 == .couldNotConnect("connection refused to 127.0.0.1:\(port)") },
            {
                _ = try client.fetch(HTTPRequest(method: "GET", url: "http://127.0.0.1:\(port)/"), options: options())
            })
    }

    func testRedirectToSameHostKeepsSecretsAndFollows303AsGet() throws {
        let server = try LoopbackHTTPServer { request, writer in
            if request.path == "/start" {
                writer.respond(status: 303, headers: [("Location", "/final")], body: Data("moved".utf8))
            } else {
                writer.respond(status: 200, body: Data("done".utf8))
            }
        }
        var request = HTTPRequest(
            method: "POST", url: server.baseURL + "/start",
            headers: [("Authorization", "Bearer sk-same"), ("Content-Type", "application/json")],
            body: [.bytes(Data("{}".utf8))])
        request.secretHeaderNames.insert("x-custom-secret")
        let (head, body) = try client.fetch(request, options: options())
        XCTAssertEqual(head.status, 200)
        XCTAssertEqual(head.url, server.baseURL + "/final")
        XCTAssertEqual(String(decoding: body, as: UTF8.self), "done", "redirect body must not reach the caller")
        let second = try XCTUnwrap(server.requests.last)
        XCTAssertEqual(second.path, "/final")
        XCTAssertEqual(second.method, "GET")
        XCTAssertEqual(second.body, Data())
        XCTAssertEqual(second.header("authorization"), "Bearer sk-same")
    }

    func testRedirect307KeepsMethodAndBody() throws {
        let server = try LoopbackHTTPServer { request, writer in
            if request.path == "/a" {
                writer.respond(status: 307, headers: [("Location", "/b")], body: Data())
            } else {
                writer.respond(status: 200, body: request.body)
            }
        }
        let image = Data((0..<1000).map { UInt8($0 % 251) })
        let request = HTTPRequest(method: "POST", url: server.baseURL + "/a", body: [.bytes(Data("x=".utf8)), .base64(image)])
        let (_, body) = try client.fetch(request, options: options())
        XCTAssertEqual(body, request.bodyData())
        XCTAssertEqual(server.requests.map(\.method), ["POST", "POST"])
        XCTAssertEqual(server.requests.last?.body, request.bodyData())
    }

    func testRedirectToOtherHostDropsSecretHeaders() throws {
        let other = try LoopbackHTTPServer { _, writer in writer.respond(status: 200, body: Data("other".utf8)) }
        let server = try LoopbackHTTPServer { _, writer in
            writer.respond(status: 302, headers: [("Location", other.baseURL + "/landing")], body: Data())
        }
        var request = HTTPRequest(
            method: "GET", url: server.baseURL + "/start",
            headers: [
                ("Authorization", "Bearer sk-secret"), ("x-api-key", "k-secret"),
                ("X-Custom-Secret", "c-secret"), ("Accept", "application/json"),
            ])
        request.secretHeaderNames.insert("x-custom-secret")
        let (head, body) = try client.fetch(request, options: options())
        XCTAssertEqual(head.status, 200)
        XCTAssertEqual(String(decoding: body, as: UTF8.self), "other")
        XCTAssertEqual(server.requests.first?.header("authorization"), "Bearer sk-secret")
        let landed = try XCTUnwrap(other.requests.first)
        XCTAssertNil(landed.header("authorization"))
        XCTAssertNil(landed.header("x-api-key"))
        XCTAssertNil(landed.header("x-custom-secret"))
        XCTAssertEqual(landed.header("accept"), "application/json")
    }

    func testRedirectToOtherHostDropsEveryHeaderTheUserSet() throws {
        let other = try LoopbackHTTPServer { _, writer in writer.respond(status: 200, body: Data("other".utf8)) }
        let server = try LoopbackHTTPServer { _, writer in
            writer.respond(status: 302, headers: [("Location", other.baseURL + "/landing")], body: Data())
        }
        let request = HTTPRequest(
            method: "GET", url: server.baseURL + "/start",
            headers: [
                ("Cookie", "session=abc123"), ("Proxy-Authorization", "Basic cHJveHk6cGFzcw=="),
                ("X-Team", "team-7"), ("Accept", "application/json"),
            ])
        _ = try client.fetch(request, options: options())
        XCTAssertEqual(server.requests.first?.header("x-team"), "team-7")
        let landed = try XCTUnwrap(other.requests.first)
        XCTAssertNil(landed.header("cookie"))
        XCTAssertNil(landed.header("proxy-authorization"))
        XCTAssertNil(landed.header("x-team"))
        XCTAssertEqual(landed.header("accept"), "application/json")
    }

    func testRedirectToLocalhostNameCountsAsAnotherHost() throws {
        let server = try LoopbackHTTPServer { request, writer in
            if request.path == "/start" {
                writer.respond(
                    status: 308, headers: [("Location", "http://localhost:\(request.header("host")!.split(separator: ":").last!)/end")], body: Data())
            } else {
                writer.respond(status: 200, body: Data())
            }
        }
        let request = HTTPRequest(method: "GET", url: server.baseURL + "/start", headers: [("x-goog-api-key", "g-secret")])
        _ = try client.fetch(request, options: options())
        XCTAssertEqual(server.requests.map(\.path), ["/start", "/end"])
        XCTAssertEqual(server.requests.first?.header("x-goog-api-key"), "g-secret")
        XCTAssertNil(server.requests.last?.header("x-goog-api-key"))
    }

    func testRedirectToFileSchemeIsRefused() throws {
        let server = try LoopbackHTTPServer { _, writer in
            writer.respond(status: 302, headers: [("Location", "file:///etc/passwd")], body: Data())
        }
        expectError(
            { $0 == .disallowedScheme("file") },
            {
                _ = try client.fetch(HTTPRequest(method: "GET", url: server.baseURL), options: options())
            })
        XCTAssertEqual(server.requests.count, 1)
    }

    func testNonHTTPURLIsRefusedUpFront() {
        expectError(
            { $0 == .disallowedScheme("ftp") },
            {
                _ = try client.fetch(HTTPRequest(method: "GET", url: "ftp://127.0.0.1/x"), options: options())
            })
    }

    func testRedirectLoopStopsAtMaxRedirects() throws {
        let server = try LoopbackHTTPServer { _, writer in
            writer.respond(status: 302, headers: [("Location", "/again")], body: Data())
        }
        expectError(
            { $0 == .tooManyRedirects(3) },
            {
                _ = try client.fetch(HTTPRequest(method: "GET", url: server.baseURL), options: options { $0.maxRedirects = 3 })
            })
        XCTAssertEqual(server.requests.count, 4)
    }

    func testStalledStreamIsReportedAsStalled() throws {
        let server = try LoopbackHTTPServer { _, writer in
            writer.startStream(status: 200, headers: [("Content-Type", "text/event-stream")])
            writer.sendChunk(SSE.event("{}"))
            writer.waitUntilClientGone(timeout: 30)
        }
        var received = Data()
        let start = Date()
        expectError(
            { $0 == .stalled(seconds: 1) },
            {
                _ = try client.send(
                    HTTPRequest(method: "GET", url: server.baseURL), options: options { $0.stallTimeout = 1 },
                    onHead: { _ in },
                    onData: {
                        received.append($0)
                        return true
                    })
            })
        XCTAssertEqual(received, SSE.event("{}"))
        XCTAssertLessThan(Date().timeIntervalSince(start), 10)
    }

    func testMidStreamCloseIsReceiveFailure() throws {
        let server = try LoopbackHTTPServer { _, writer in
            writer.startStream(status: 200, headers: [])
            writer.sendChunk(Data("partial".utf8))
            writer.closeAbruptly()
        }
        var received = Data()
        expectError(
            { if case .receiveFailed = $0 { true } else { false } },
            {
                _ = try client.send(
                    HTTPRequest(method: "GET", url: server.baseURL), options: options(),
                    onHead: { _ in },
                    onData: {
                        received.append($0)
                        return true
                    })
            })
        XCTAssertEqual(received, Data("partial".utf8))
    }

    func testReturningFalseFromOnDataAborts() throws {
        let server = try LoopbackHTTPServer { _, writer in
            writer.startStream(status: 200, headers: [])
            writer.sendChunk(Data("first".utf8))
            writer.waitUntilClientGone(timeout: 30)
        }
        var calls = 0
        expectError(
            { $0 == .aborted },
            {
                _ = try client.send(
                    HTTPRequest(method: "GET", url: server.baseURL), options: options(),
                    onHead: { _ in },
                    onData: { _ in
                        calls += 1
                        return false
                    })
            })
        XCTAssertEqual(calls, 1)
    }

    func testVerboseLogNeverContainsSecrets() throws {
        let server = try LoopbackHTTPServer { request, writer in
            if request.path == "/start" {
                writer.respond(
                    status: 302, headers: [("Location", "http://localhost:\(request.header("host")!.split(separator: ":").last!)/end")], body: Data())
            } else {
                writer.respond(status: 200, headers: [("Content-Type", "application/json")], body: Data("{}".utf8))
            }
        }
        let log = LogCollector()
        var request = HTTPRequest(
            method: "POST", url: server.baseURL + "/start",
            headers: [
                ("Authorization", "Bearer sk-LEAK1"), ("x-api-key", "LEAK2"), ("X-Goog-Api-Key", "LEAK3"),
                ("api-key", "LEAK4"), ("X-Org-Token", "LEAK5"), ("Accept", "text/plain"),
            ],
            body: [.bytes(Data("{}".utf8))])
        request.secretHeaderNames.insert("x-org-token")
        _ = try client.fetch(request, options: options { $0.verbose = log.append })
        let lines = log.lines
        XCTAssertTrue(lines.contains("> POST \(server.baseURL)/start (2 B)"), "\(lines)")
        XCTAssertTrue(lines.contains("> Authorization: [redacted]"), "\(lines)")
        XCTAssertTrue(lines.contains("> Accept: text/plain"), "\(lines)")
        XCTAssertTrue(lines.contains("< 200 (application/json)"), "\(lines)")
        for line in lines {
            XCTAssertFalse(line.contains("LEAK"), line)
        }
    }
}

/// Thread-safe sink for verbose log lines.
final class LogCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    var lines: [String] { lock.withLock { stored } }
    func append(_ line: String) { lock.withLock { stored.append(line) } }
}

/// Connection handling, timeouts and name resolution.
final class CurlConnectionTests: XCTestCase {
    let client = CurlHTTPClient()

    private var options: TransferOptions {
        var options = TransferOptions()
        options.connectTimeout = 5
        options.totalTimeout = 20
        return options
    }

    func testSequentialRequestsReuseOneConnection() throws {
        let server = try LoopbackHTTPServer { request, writer in writer.respond(status: 200, body: Data(request.path.utf8)) }
        for i in 0..<5 {
            let (_, body) = try client.fetch(HTTPRequest(method: "GET", url: server.baseURL + "/\(i)"), options: options)
            XCTAssertEqual(String(decoding: body, as: UTF8.self), "/\(i)")
        }
        XCTAssertEqual(server.requests.count, 5)
        XCTAssertEqual(server.connectionCount, 1)
    }

    func testConnectionCloseIsHonoured() throws {
        let server = try LoopbackHTTPServer { _, writer in writer.respond(status: 200, body: Data("x".utf8)) }
        for _ in 0..<3 {
            _ = try client.fetch(HTTPRequest(method: "GET", url: server.baseURL, headers: [("Connection", "close")]), options: options)
        }
        XCTAssertEqual(server.connectionCount, 3)
    }

    func testTotalTimeoutIsNamedAsTheTimeoutNotLibcurlsWords() throws {
        let server = try LoopbackHTTPServer { _, writer in
            writer.startStream(status: 200, headers: [])
            writer.waitUntilClientGone(timeout: 30)
        }
        var options = self.options
        options.totalTimeout = 0.5
        options.stallTimeout = 30
        XCTAssertThrowsError(try client.fetch(HTTPRequest(method: "GET", url: server.baseURL), options: options)) { error in
            XCTAssertEqual(error as? TransportError, .totalTimeoutReached)
            XCTAssertEqual("\(error)", "the --timeout ran out before the answer was complete")
        }
    }

    func testStallBeforeAnyResponseByte() throws {
        let server = try LoopbackHTTPServer { _, writer in
            writer.waitUntilClientGone(timeout: 30)
            writer.closeAbruptly()
        }
        var options = self.options
        options.stallTimeout = 0.5
        XCTAssertThrowsError(try client.fetch(HTTPRequest(method: "POST", url: server.baseURL, body: [.bytes(Data("{}".utf8))]), options: options)) { error in
            XCTAssertEqual(error as? TransportError, .stalled(seconds: 0.5))
        }
    }

    func testUnresolvableHost() {
        XCTAssertThrowsError(try client.fetch(HTTPRequest(method: "GET", url: "http://no-such-host.invalid/x"), options: options)) { error in
            XCTAssertEqual(error as? TransportError, .couldNotResolveHost("no-such-host.invalid"))
        }
    }

    func testServerDecodesChunkedAndExpectContinueUploads() throws {
        let server = try LoopbackHTTPServer { request, writer in writer.respond(status: 200, body: request.body) }
        let payload = Data((0..<100_000).map { UInt8($0 % 256) })
        let request = HTTPRequest(
            method: "PUT", url: server.baseURL + "/upload",
            headers: [("Transfer-Encoding", "chunked"), ("Expect", "100-continue")],
            body: [.bytes(payload), .base64(payload)])
        let (head, body) = try client.fetch(request, options: options)
        XCTAssertEqual(head.status, 200)
        XCTAssertEqual(body, request.bodyData())
        let received = try XCTUnwrap(server.requests.first)
        XCTAssertEqual(received.method, "PUT")
        XCTAssertEqual(received.header("transfer-encoding"), "chunked")
    }

    func testMalformedURL() {
        XCTAssertThrowsError(try client.fetch(HTTPRequest(method: "GET", url: "http://[::1"), options: options)) { error in
            guard case .invalidURL = error as? TransportError else { return XCTFail("\(error)") }
        }
    }

    func testConcurrentSendsOnOneClient() throws {
        let server = try LoopbackHTTPServer { request, writer in writer.respond(status: 200, body: request.body) }
        let client = self.client
        let url = server.baseURL
        let failures = LogCollector()
        DispatchQueue.concurrentPerform(iterations: 8) { i in
            let payload = Data(repeating: UInt8(i), count: 10_000 + i)
            do {
                let (_, body) = try client.fetch(HTTPRequest(method: "POST", url: url, body: [.base64(payload)]), options: TransferOptions())
                if body != payload.base64EncodedData() { failures.append("request \(i): wrong body") }
            } catch {
                failures.append("request \(i): \(error)")
            }
        }
        XCTAssertEqual(failures.lines, [])
        XCTAssertEqual(server.requests.count, 8)
    }
}
