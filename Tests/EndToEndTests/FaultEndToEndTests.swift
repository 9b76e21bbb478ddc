import TestSupport
import XCTest

/// Hostile and broken services: each gives a one-line message, the right exit code, no crash and no hang.
final class FaultEndToEndTests: EndToEndCase {
    /// Runs a query against a loopback server scripted by `handler`.
    func query(_ handler: @escaping LoopbackHTTPServer.Handler, arguments: [String] = []) throws -> (VQProcess.Result, LoopbackHTTPServer) {
        let server = try LoopbackHTTPServer(handler: handler)
        let config = try writeConfig(baseURL: server.baseURL + "/v1")
        let result = try VQProcess.run(
            arguments + ["Describe", "https://example.org/c.jpg"],
            environment: ["VQ_CONFIG": config, "STUB_KEY": Self.key], directory: directory)
        assertKeyNeverShown(result)
        return (result, server)
    }

    func assertOneLineError(_ result: VQProcess.Result, _ status: Int32, _ words: [String], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(result.status, status, result.stderr, file: file, line: line)
        let lines = result.stderr.split(separator: "\n")
        XCTAssertEqual(lines.filter { $0.hasPrefix("vq: error: ") }.count, 1, result.stderr, file: file, line: line)
        for word in words { XCTAssertTrue(result.stderr.contains(word), "\(word) not in \(result.stderr)", file: file, line: line) }
    }

    static func stream(_ body: String) -> LoopbackHTTPServer.Handler {
        { _, writer in
            writer.startStream(status: 200, headers: [("Content-Type", "text/event-stream")])
            writer.sendChunk(Data(body.utf8))
            writer.endStream()
        }
    }

    func testUnresolvableHost() throws {
        let config = try writeConfig(baseURL: "http://vq-test-host.invalid/v1")
        let result = try VQProcess.run(
            ["Describe", "https://example.org/c.jpg"], environment: ["VQ_CONFIG": config, "STUB_KEY": Self.key],
            directory: directory)
        assertOneLineError(result, 69, ["cannot reach stub", "vq-test-host.invalid"])
    }

    func testTLSFailure() throws {
        // Plain text where TLS is expected: libcurl reports a TLS error.
        let server = try PlainTextListener()
        let config = try writeConfig(baseURL: "https://127.0.0.1:\(server.port)/v1")
        let result = try VQProcess.run(
            ["Describe", "https://example.org/c.jpg"], environment: ["VQ_CONFIG": config, "STUB_KEY": Self.key],
            directory: directory)
        assertOneLineError(result, 76, ["TLS", "handshake", "http://"])
    }

    func testRedirectToAnotherSchemeIsRefused() throws {
        let (result, server) = try query { _, writer in writer.respond(status: 307, headers: [("Location", "file:///etc/passwd")], body: Data()) }
        assertOneLineError(result, 69, ["file"])
        XCTAssertEqual(server.requests.count, 1)
    }

    func testRedirectLoopStops() throws {
        let (result, server) = try query { request, writer in
            writer.respond(status: 307, headers: [("Location", request.path)], body: Data())
        }
        assertOneLineError(result, 69, ["redirect"])
        XCTAssertLessThanOrEqual(server.requests.count, 6)
    }

    func testStreamWithoutTerminator() throws {
        let (result, _) = try query(Self.stream("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Half\"}}]}\n\n"))
        assertOneLineError(result, 69, ["ended before the answer was complete"])
        XCTAssertEqual(result.stdout, "Half", "text already printed stays")
    }

    func testStreamEndingMidEvent() throws {
        let (result, _) = try query(Self.stream("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"A\"}}]}\n\ndata: {\"choices\":[{\"ind"))
        assertOneLineError(result, 69, ["ended before the answer was complete"])
        XCTAssertEqual(result.stdout, "A")
    }

    func testMalformedEventInStream() throws {
        let (result, _) = try query(Self.stream("data: {not json\n\n"))
        assertOneLineError(result, 69, ["malformed stream event"])
    }

    func testMalformedWholeBody() throws {
        let (result, _) = try query(
            { _, writer in
                writer.respond(status: 200, headers: [("Content-Type", "application/json")], body: Data("{\"choices\": [".utf8))
            }, arguments: ["--no-stream"])
        assertOneLineError(result, 69, ["not JSON"])
    }

    func testEmptyBodies() throws {
        let (ok, _) = try query(
            { _, writer in writer.respond(status: 200, headers: [("Content-Type", "application/json")], body: Data()) },
            arguments: ["--no-stream"])
        assertOneLineError(ok, 69, ["not JSON"])
        let (failed, _) = try query { _, writer in writer.respond(status: 500, body: Data()) }
        assertOneLineError(failed, 69, ["HTTP 500", "empty response body"])
    }

    func testHugeErrorBodyIsCutNotBuffered() throws {
        let (result, _) = try query { _, writer in
            writer.startStream(status: 500, headers: [("Content-Type", "text/plain")])
            let block = Data(repeating: UInt8(ascii: "x"), count: 1 << 20)
            for _ in 0..<8 { writer.sendChunk(block) }
            writer.endStream()
        }
        assertOneLineError(result, 69, ["HTTP 500"])
        XCTAssertLessThan(result.stderr.count, 1000)
    }

    func testStreamIgnoringStreamFlagStillAnswers() throws {
        // Some gateways answer stream:true with a whole JSON body.
        let (result, _) = try query { _, writer in
            writer.respond(
                status: 200, headers: [("Content-Type", "application/json")],
                body: Data(#"{"choices":[{"index":0,"message":{"content":"whole"},"finish_reason":"stop"}]}"#.utf8))
        }
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "whole\n")
    }

    func testOverallTimeoutBoundsAStalledServer() throws {
        let (result, _) = try query({ _, writer in writer.waitUntilClientGone(timeout: 30) }, arguments: ["--timeout", "1"])
        assertOneLineError(result, 69, ["no answer from stub", "the --timeout ran out"])
    }
}
