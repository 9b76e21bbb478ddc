import Foundation
import TestSupport
import Transport
import XCTest

/// `vq mcp --http 0` spoken to over real HTTP (libcurl through vq's Transport): a session opened by initialize,
/// a tools/call answered as an event stream with its progress, the session header required, GET refused with 405, a
/// foreign Origin refused, DELETE ending the session.
final class MCPHTTPEndToEndTests: EndToEndCase {
    let client = CurlHTTPClient()

    /// Starts the server and returns it with its endpoint, read from the line it prints on stderr.
    func startServer(_ environment: [String: String]) throws -> (Process, String) {
        let process = VQProcess.makeProcess(["mcp", "--http", "0"], environment: environment, directory: directory)
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        var text = ""
        while !text.contains("\n") {
            let chunk = errors.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        let url = try XCTUnwrap(text.range(of: "http://127.0.0.1:[0-9]+/mcp", options: .regularExpression).map { String(text[$0]) }, text)
        return (process, url)
    }

    func post(_ url: String, _ message: [String: Any], session: String? = nil, headers: [(String, String)] = []) throws -> (HTTPResponseHead, Data) {
        var all: [(name: String, value: String)] = [("Content-Type", "application/json"), ("Accept", "application/json, text/event-stream")]
        if let session { all.append(("Mcp-Session-Id", session)) }
        all += headers.map { (name: $0.0, value: $0.1) }
        let body = try JSONSerialization.data(withJSONObject: message)
        return try client.fetch(HTTPRequest(method: "POST", url: url, headers: all, body: [.bytes(body)]), options: TransferOptions())
    }

    func testSessionsEventStreamsAndRefusals() throws {
        let stub = try OpenAIStubServer()
        defer { stub.stop() }
        let project = directory.appendingPathComponent("project")
        try FileManager.default.createDirectory(at: project, withIntermediateDirectories: true)
        _ = try png("project/a.png")
        let config = directory.appendingPathComponent("config.toml").path
        try """
        default_profile = "stub"

        [profiles.stub]
        base_url = "\(stub.baseURL)"
        model = "stub-vision-1"
        key_env = "STUB_KEY"

        [mcp]
        allow = ["\(project.path)"]
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let (process, url) = try startServer(["VQ_CONFIG": config, "STUB_KEY": Self.key])
        defer { process.terminate() }

        let (head, body) = try post(
            url,
            [
                "jsonrpc": "2.0", "id": 1, "method": "initialize",
                "params": ["protocolVersion": "2025-06-18", "capabilities": [:], "clientInfo": ["name": "t", "version": "1"]],
            ])
        XCTAssertEqual(head.status, 200)
        XCTAssertEqual(head.headers["content-type"], "application/json")
        let session = try XCTUnwrap(head.headers["mcp-session-id"], "\(head.headers)")
        XCTAssertGreaterThanOrEqual(session.count, 32)
        let initialized = try XCTUnwrap(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        XCTAssertEqual((initialized["result"] as? [String: Any])?["protocolVersion"] as? String, "2025-06-18")
        XCTAssertEqual(try post(url, ["jsonrpc": "2.0", "method": "notifications/initialized"], session: session).0.status, 202)

        // A tool call: an event stream with the progress, then the answer; the file read inside [mcp] allow.
        let (streamHead, stream) = try post(
            url,
            [
                "jsonrpc": "2.0", "id": 2, "method": "tools/call",
                "params": ["name": "ask", "arguments": ["prompt": "Describe", "inputs": ["project/a.png"]], "_meta": ["progressToken": 7]],
            ],
            session: session, headers: [("MCP-Protocol-Version", "2025-06-18")])
        XCTAssertEqual(streamHead.status, 200)
        XCTAssertEqual(streamHead.headers["content-type"], "text/event-stream")
        let events = String(decoding: stream, as: UTF8.self).components(separatedBy: "\n\n").filter { !$0.isEmpty }.map { event -> [String: Any] in
            XCTAssertTrue(event.hasPrefix("data: "), event)
            return (try? JSONSerialization.jsonObject(with: Data(event.dropFirst("data: ".count).utf8)) as? [String: Any]) ?? [:]
        }
        XCTAssertGreaterThan(events.count, 1, "progress before the answer: \(events)")
        XCTAssertTrue(events.dropLast().allSatisfy { $0["method"] as? String == "notifications/progress" }, "\(events)")
        let answer = try XCTUnwrap(events.last?["result"] as? [String: Any], "\(events)")
        XCTAssertEqual(events.last?["id"] as? Int, 2)
        XCTAssertEqual(answer["isError"] as? Bool, false, "\(answer)")
        XCTAssertTrue((((answer["content"] as? [[String: Any]])?.first?["text"]) as? String ?? "").hasPrefix("Saw 1 image(s)"), "\(answer)")
        XCTAssertEqual(stub.seen.count, 1)

        // Without a session, with an unknown one, with a foreign Origin, by GET: refused, nothing sent.
        let ping: [String: Any] = ["jsonrpc": "2.0", "id": 3, "method": "ping"]
        XCTAssertEqual(try post(url, ping).0.status, 400)
        XCTAssertEqual(try post(url, ping, session: "0123456789abcdef0123456789abcdef").0.status, 404)
        XCTAssertEqual(try post(url, ping, session: session, headers: [("Origin", "http://attacker.example")]).0.status, 403)
        XCTAssertEqual(try post(url, ping, session: session, headers: [("Origin", "http://localhost:5173")]).0.status, 200)
        XCTAssertEqual(try post(url, ping, session: session, headers: [("MCP-Protocol-Version", "1999-01-01")]).0.status, 400)
        XCTAssertEqual(
            try post(url, ping, session: session, headers: [("X-Padding", String(repeating: "x", count: 20_000))]).0.status, 431, "the head is bounded")
        let get = try client.fetch(HTTPRequest(method: "GET", url: url, headers: [("Accept", "text/event-stream")]), options: TransferOptions())
        XCTAssertEqual(get.0.status, 405)
        XCTAssertEqual(
            try client.fetch(HTTPRequest(method: "POST", url: url.replacingOccurrences(of: "/mcp", with: "/other")), options: TransferOptions()).0.status, 404)
        let malformed = try client.fetch(
            HTTPRequest(
                method: "POST", url: url, headers: [("Accept", "application/json"), ("Mcp-Session-Id", session)], body: [.bytes(Data("{not json".utf8))]),
            options: TransferOptions())
        XCTAssertEqual(malformed.0.status, 400)
        XCTAssertEqual(((try JSONSerialization.jsonObject(with: malformed.1) as? [String: Any])?["error"] as? [String: Any])?["code"] as? Int, -32700)

        // DELETE ends the session.
        let deleted = try client.fetch(HTTPRequest(method: "DELETE", url: url, headers: [("Mcp-Session-Id", session)]), options: TransferOptions())
        XCTAssertEqual(deleted.0.status, 200)
        XCTAssertEqual(try post(url, ping, session: session).0.status, 404)
        XCTAssertEqual(stub.seen.count, 1)
        XCTAssertTrue(process.isRunning, "the server keeps serving")
    }
}
