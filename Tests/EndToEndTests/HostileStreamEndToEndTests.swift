import TestSupport
import XCTest

/// A hostile or broken stream cannot make vq use memory, time or disk without bound: an endless line, an endless
/// answer, a server that only pings, an answer with thousands of images. Garbled starts are retried.
final class HostileStreamEndToEndTests: EndToEndCase {
    private func run(
        _ handler: @escaping LoopbackHTTPServer.Handler, arguments: [String] = [], extraConfig: String = ""
    ) throws -> (VQProcess.Result, LoopbackHTTPServer) {
        let server = try LoopbackHTTPServer(handler: handler)
        let result = try vq(arguments + ["Describe", "https://example.org/c.jpg"], baseURL: server.baseURL + "/v1", extraConfig: extraConfig)
        assertKeyNeverShown(result)
        return (result, server)
    }

    private static func delta(_ text: String) -> Data {
        let escaped = String(decoding: try! JSONSerialization.data(withJSONObject: [text]), as: UTF8.self).dropFirst().dropLast()
        return SSE.event(#"{"choices":[{"index":0,"delta":{"content":\#(escaped)},"finish_reason":null}]}"#)
    }

    func testAnSSELineWithoutEndIsCutAtTheLimitWithExit69() throws {
        let (result, _) = try run { _, writer in
            writer.startStream(status: 200, headers: [("Content-Type", "text/event-stream")])
            _ = writer.sendChunk(Data("data: ".utf8))
            let block = Data(repeating: UInt8(ascii: "x"), count: 1 << 20)
            for _ in 0..<70 where writer.sendChunk(block) {}
            writer.endStream()
        }
        XCTAssertEqual(result.status, 69, result.stderr)
        XCTAssertEqual(result.stderr, "vq: error: a line of the stream from stub is longer than the 64.0 MB limit; giving up\n")
    }

    func testAnEndlessAnswerStopsAtMaxAnswerBytesKeepingThePartialText() throws {
        let handler: LoopbackHTTPServer.Handler = { _, writer in
            writer.startStream(status: 200, headers: [("Content-Type", "text/event-stream")])
            for _ in 0..<2000 where writer.sendChunk(Self.delta("0123456789")) {}
            writer.endStream()
        }
        let (plain, _) = try run(handler, extraConfig: "max_answer_bytes = 1005")
        XCTAssertEqual(plain.status, 69, plain.stderr)
        XCTAssertEqual(plain.stdout.utf8.count, 1005, "the text up to the limit is kept")
        XCTAssertTrue(plain.stderr.contains("max_answer_bytes"), plain.stderr)
        let (json, _) = try run(handler, arguments: ["--json"], extraConfig: "max_answer_bytes = 1005")
        XCTAssertEqual(json.status, 69, json.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any], json.stdout)
        XCTAssertEqual((object["text"] as? String)?.utf8.count, 1005)
        XCTAssertEqual(object["incomplete"] as? Bool, true)
        XCTAssertEqual(object["exit_code"] as? Int, 69)
    }

    func testKeepAlivePingsDoNotHoldTheStallTimer() throws {
        let (result, _) = try run(
            { _, writer in
                writer.startStream(status: 200, headers: [("Content-Type", "text/event-stream")])
                _ = writer.sendChunk(Self.delta("Hel"))
                // 40 pings, 0.1 s apart in real time (the spacing is what is tested), then the server gives up: only a stall timer
                // that ignores them fires first.
                for _ in 0..<40 {
                    guard writer.sendChunk(Data(": ping\n\nevent: ping\ndata: {\"type\": \"ping\"}\n\n".utf8)) else { return }
                    usleep(100_000)
                }
                writer.endStream()
            }, arguments: ["--stall-timeout", "1"])
        XCTAssertEqual(result.status, 69, result.stderr)
        XCTAssertEqual(result.stdout, "Hel")
        XCTAssertTrue(result.stderr.contains("1 s"), result.stderr)
        XCTAssertFalse(result.stderr.contains("ended before the answer was complete"), result.stderr)
    }

    func testImagesSavedFromOneAnswerAreCappedAndTheRestReported() throws {
        let picture = try png("p.png", width: 4, height: 3).base64EncodedString()
        let answer = (0..<5).map { "![i\($0)](data:image/png;base64,\(picture))" }.joined(separator: " ")
        let (result, _) = try run(
            { _, writer in
                writer.startStream(status: 200, headers: [("Content-Type", "text/event-stream")])
                _ = writer.sendChunk(Self.delta(answer))
                _ = writer.sendChunk(SSE.event(#"{"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#))
                _ = writer.sendChunk(SSE.done)
                writer.endStream()
            }, arguments: ["--output-dir", "out"], extraConfig: "max_saved_images = 2")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(try files(in: "out").count, 2)
        XCTAssertTrue(result.stderr.contains("3 more image(s) in the answer were not saved: at most 2"), result.stderr)
    }

    func testAMalformedEventBeforeAnyTextIsRetriedLikeACutStream() throws {
        let attempts = AttemptCounter()
        let (result, server) = try run { _, writer in
            let first = attempts.next() == 1
            writer.startStream(status: 200, headers: [("Content-Type", "text/event-stream")])
            if first {
                _ = writer.sendChunk(Data("data: {\"choices\":[{\"ind\n\n".utf8))
            } else {
                _ = writer.sendChunk(Self.delta("Fine."))
                _ = writer.sendChunk(SSE.event(#"{"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#))
            }
            writer.endStream()
        }
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "Fine.\n")
        XCTAssertEqual(server.requests.count, 2)
    }

    func testInvalidUTF8InAWholeResponseIsReplacedNotRefused() throws {
        var body = Data(#"{"choices":[{"index":0,"message":{"role":"assistant","content":"caf"#.utf8)
        body.append(contentsOf: [0xE9, 0xFF])
        body.append(Data(#" ok"},"finish_reason":"stop"}]}"#.utf8))
        let whole = body
        let (result, _) = try run(
            { _, writer in writer.respond(status: 200, headers: [("Content-Type", "application/json")], body: whole) }, arguments: ["--no-stream"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "caf\u{FFFD}\u{FFFD} ok\n")
    }

    func testADanglingSymlinkOutputIsRefusedBeforeTheRequest() throws {
        try FileManager.default.createSymbolicLink(
            atPath: directory.appendingPathComponent("picture.png").path, withDestinationPath: directory.appendingPathComponent("gone/x.png").path)
        let (result, server) = try run({ _, writer in writer.respond(status: 500, body: Data()) }, arguments: ["--output", "picture.png"])
        XCTAssertEqual(result.status, 73, result.stderr)
        XCTAssertTrue(result.stderr.contains("picture.png: is a symbolic link to a missing file"), result.stderr)
        XCTAssertEqual(server.requests.count, 0)
    }
}

/// Counts the requests a handler saw, across the server's threads.
private final class AttemptCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    /// The number of this attempt, from 1.
    func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        count += 1
        return count
    }
}
