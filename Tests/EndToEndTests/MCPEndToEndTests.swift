import Foundation
import TestSupport
import XCTest

/// `vq mcp` driven over a pipe by a scripted JSON-RPC client, against the loopback stub servers.
final class MCPEndToEndTests: EndToEndCase {
    /// A config with `stub` (the OpenAI stub), `other` (a second server) and `hidden`, which `[mcp] profiles` leaves out.
    func mcpConfig(stub: String, other: String, extra: String = "") throws -> [String: String] {
        let path = directory.appendingPathComponent("config.toml").path
        try """
        default_profile = "stub"

        [profiles.stub]
        base_url = "\(stub)"
        model = "stub-vision-1"
        key_env = "STUB_KEY"

        [profiles.other]
        base_url = "\(other)"
        model = "other-1"
        key_env = "STUB_KEY"

        [profiles.hidden]
        base_url = "\(stub)"
        model = "hidden-1"
        key_env = "STUB_KEY"

        [mcp]
        profiles = ["stub", "other"]
        \(extra)
        """.write(toFile: path, atomically: true, encoding: .utf8)
        return ["VQ_CONFIG": path, "STUB_KEY": Self.key]
    }

    func subdirectory(_ name: String) throws -> URL {
        let url = directory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func result(_ response: [String: Any], file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        try XCTUnwrap(response["result"] as? [String: Any], "not a result: \(response)", file: file, line: line)
    }

    func text(_ result: [String: Any]) -> String {
        ((result["content"] as? [[String: Any]])?.first?["text"] as? String) ?? ""
    }

    func call(_ session: MCPClientSession, _ id: Int, _ tool: String, _ arguments: [String: Any], meta: [String: Any]? = nil) {
        var params: [String: Any] = ["name": tool, "arguments": arguments]
        if let meta { params["_meta"] = meta }
        session.send(["id": id, "method": "tools/call", "params": params])
    }

    func testScriptedSessionWithRootsToolsAndMalformedInput() throws {
        let stub = try OpenAIStubServer()
        defer { stub.stop() }
        let root = try subdirectory("project")
        let outside = try subdirectory("outside")
        let pngData = try png("project/a.png")
        _ = try jpeg("project/b.jpg")
        _ = try png("outside/c.png")
        try FileManager.default.createSymbolicLink(
            atPath: root.appendingPathComponent("link.png").path, withDestinationPath: outside.appendingPathComponent("c.png").path)
        let session = try MCPClientSession(environment: try mcpConfig(stub: stub.baseURL, other: stub.baseURL), directory: directory)

        let initialized = try result(
            session.request(
                1, "initialize",
                ["protocolVersion": "2025-11-25", "capabilities": ["roots": ["listChanged": true]], "clientInfo": ["name": "test", "version": "1"]]))
        XCTAssertEqual(initialized["protocolVersion"] as? String, "2025-11-25")
        XCTAssertEqual((initialized["serverInfo"] as? [String: Any])?["name"] as? String, "vq")
        XCTAssertNotNil((initialized["capabilities"] as? [String: Any])?["tools"])
        session.send(["method": "notifications/initialized"])

        let tools = try XCTUnwrap(try result(session.request(2, "tools/list"))["tools"] as? [[String: Any]])
        XCTAssertEqual(tools.compactMap { $0["name"] as? String }, ["ask", "generate_image", "edit_image", "detect", "list_profiles", "list_models"])
        for tool in tools {
            XCTAssertEqual((tool["inputSchema"] as? [String: Any])?["type"] as? String, "object", "\(tool)")
            XCTAssertEqual((tool["outputSchema"] as? [String: Any])?["type"] as? String, "object", "\(tool)")
        }

        // Malformed input earns the protocol's error and the server goes on.
        session.sendLine("this is not json")
        let parseError = try session.next { $0["error"] != nil && $0["id"] is NSNull }
        XCTAssertEqual((parseError["error"] as? [String: Any])?["code"] as? Int, -32700)
        XCTAssertEqual(((try session.request(3, "no/such/method"))["error"] as? [String: Any])?["code"] as? Int, -32601)
        session.sendLine(#"{"jsonrpc":"1.0","id":4,"method":"ping"}"#)
        XCTAssertEqual((try session.response(4)["error"] as? [String: Any])?["code"] as? Int, -32600)
        call(session, 5, "no_such_tool", [:])
        XCTAssertEqual((try session.response(5)["error"] as? [String: Any])?["code"] as? Int, -32602)
        XCTAssertNotNil(try session.request(6, "ping")["result"])

        // The first call needing files asks the client for its roots.
        call(session, 10, "ask", ["prompt": "Describe", "inputs": ["a.png", root.appendingPathComponent("b.jpg").path]])
        let rootsRequest = try session.next { $0["method"] as? String == "roots/list" }
        session.send(["id": rootsRequest["id"]!, "result": ["roots": [["uri": root.absoluteString, "name": "project"]]]])
        let answer = try result(session.response(10))
        XCTAssertEqual(answer["isError"] as? Bool, false, "\(answer)")
        XCTAssertTrue(text(answer).hasPrefix("Saw 2 image(s)"), text(answer))
        let structured = try XCTUnwrap(answer["structuredContent"] as? [String: Any])
        XCTAssertEqual(structured["model"] as? String, "stub-vision-1")
        XCTAssertEqual(structured["profile"] as? String, "stub")
        XCTAssertEqual(structured["saved_images"] as? [String], [])
        XCTAssertNotNil(structured["usage"] as? [String: Any])
        XCTAssertEqual(stub.seen.count, 1)
        XCTAssertEqual(stub.seen.first?.images.count, 2)

        // Outside the roots (directly or through a link) nothing is read or sent.
        for (id, path) in [(11, outside.appendingPathComponent("c.png").path), (12, "link.png"), (13, "../outside/c.png")] {
            call(session, id, "ask", ["prompt": "Describe", "inputs": [path]])
            let refused = try result(session.response(id))
            XCTAssertEqual(refused["isError"] as? Bool, true, "\(refused)")
            XCTAssertTrue(text(refused).contains("\(path): not read"), text(refused))
        }
        XCTAssertEqual(stub.seen.count, 1)

        // Inline image content, a profile [mcp] profiles leaves out, a missing prompt.
        call(session, 14, "ask", ["prompt": "Describe", "inputs": [["type": "image", "data": pngData.base64EncodedString(), "mimeType": "image/png"]]])
        XCTAssertTrue(text(try result(session.response(14))).hasPrefix("Saw 1 image(s)"))
        call(session, 15, "ask", ["prompt": "Describe", "profile": "hidden"])
        let hidden = try result(session.response(15))
        XCTAssertEqual(hidden["isError"] as? Bool, true)
        XCTAssertTrue(text(hidden).contains("profile 'hidden' is not one vq mcp may use"), text(hidden))
        call(session, 16, "ask", ["inputs": ["a.png"]])
        XCTAssertEqual(text(try result(session.response(16))), "ask: 'prompt' is required")
        XCTAssertEqual(stub.seen.count, 2)

        call(session, 17, "list_profiles", [:])
        let profiles = try XCTUnwrap(try result(session.response(17))["structuredContent"] as? [String: Any])
        XCTAssertEqual((profiles["profiles"] as? [[String: Any]])?.compactMap { $0["name"] as? String }.sorted(), ["other", "stub"])
        XCTAssertEqual(profiles["default"] as? String, "stub")

        let end = try session.finish()
        XCTAssertEqual(end.status, 0, end.stderr)
        XCTAssertEqual(session.unread, [], "stdout carried messages nobody asked for")
        XCTAssertFalse(end.stderr.contains(Self.key))
        XCTAssertFalse(session.transcript.contains(Self.key))
        XCTAssertTrue(session.transcript.contains("\"key\":true"), "list_profiles says a key is at hand")
        XCTAssertTrue(end.stderr.contains("ask: 'prompt' is required"), end.stderr)

        // Every ask is in vq's log like a query.
        let logs = try VQProcess.run(
            ["logs", "--json"], environment: ["VQ_CONFIG": directory.appendingPathComponent("config.toml").path], directory: directory)
        XCTAssertEqual(logs.status, 0, logs.stderr)
        XCTAssertEqual(logs.stdout.components(separatedBy: "\"prompt\":\"Describe\"").count - 1, 2, logs.stdout)
        XCTAssertFalse(logs.stdout.contains(Self.key))
    }

    func testCancellationStopsTheTransferAndListsModelsWithoutRoots() throws {
        let arrived = expectation(description: "the request reached the server")
        let gone = expectation(description: "vq closed the connection")
        let slow = try LoopbackHTTPServer { request, writer in
            if request.method == "GET" {
                writer.respond(
                    status: 200, headers: [("Content-Type", "application/json")],
                    body: Data(#"{"object":"list","data":[{"id":"other-b"},{"id":"other-a"}]}"#.utf8))
                return
            }
            arrived.fulfill()
            writer.waitUntilClientGone(timeout: 120)
            gone.fulfill()
        }
        defer { slow.stop() }
        _ = try png("a.png")
        let session = try MCPClientSession(environment: try mcpConfig(stub: slow.baseURL + "/v1", other: slow.baseURL + "/v1"), directory: directory)
        XCTAssertNotNil(
            try session.request(1, "initialize", ["protocolVersion": "2025-06-18", "capabilities": [:], "clientInfo": ["name": "t", "version": "1"]])["result"])
        session.send(["method": "notifications/initialized"])

        call(session, 2, "list_models", ["profile": "other"])
        let models = try XCTUnwrap(try result(session.response(2))["structuredContent"] as? [String: Any])
        XCTAssertEqual(models["models"] as? [String], ["other-a", "other-b"])

        // No roots declared and no [mcp] allow: no file is read.
        call(session, 3, "ask", ["prompt": "Describe", "inputs": [directory.appendingPathComponent("a.png").path]])
        let refused = try result(session.response(3))
        XCTAssertEqual(refused["isError"] as? Bool, true)
        XCTAssertTrue(text(refused).contains("the client declared no roots"), text(refused))

        call(session, 4, "ask", ["prompt": "Take your time"], meta: ["progressToken": "p4"])
        let progress = try session.next { $0["method"] as? String == "notifications/progress" }
        XCTAssertEqual((progress["params"] as? [String: Any])?["progressToken"] as? String, "p4")
        wait(for: [arrived], timeout: 60)
        session.send(["method": "notifications/cancelled", "params": ["requestId": 4, "reason": "user stopped"]])
        wait(for: [gone], timeout: 60)
        // The worker is free again (the cancelled call ended) and the cancelled request gets no answer.
        call(session, 5, "list_profiles", [:])
        XCTAssertNotNil(try session.response(5)["result"])
        let end = try session.finish()
        XCTAssertEqual(end.status, 0, end.stderr)
        XCTAssertFalse(session.unread.contains { $0.contains(#""id":4"#) }, "\(session.unread)")
    }

    func testSchemaGivesTheCheckedObjectAndReturnedImagesAreSavedOnlyToOutputDir() throws {
        let structured = try StructuredOutputStubServer(api: "openai")
        let images = try ImageOutputStubServer(shape: .openRouter)
        let saved = try subdirectory("saved")
        let session = try MCPClientSession(
            environment: try mcpConfig(stub: structured.baseURL, other: images.baseURL, extra: "output_dir = \"\(saved.path)\""), directory: directory)
        XCTAssertNotNil(
            try session.request(1, "initialize", ["protocolVersion": "2099-01-01", "capabilities": [:], "clientInfo": ["name": "t", "version": "1"]])["result"])

        call(session, 2, "ask", ["prompt": "Describe", "schema": "caption, people int"])
        let answer = try result(session.response(2))
        XCTAssertEqual(answer["isError"] as? Bool, false, "\(answer)")
        let output = try XCTUnwrap((answer["structuredContent"] as? [String: Any])?["output"] as? [String: Any], "\(answer)")
        XCTAssertEqual(output["people"] as? Int, 3)
        XCTAssertEqual(output["caption"] as? String, "text")
        XCTAssertEqual(try JSONSerialization.jsonObject(with: Data(text(answer).utf8)) as? NSDictionary, output as NSDictionary)

        call(session, 3, "ask", ["prompt": "Draw a square", "profile": "other"])
        let drawn = try result(session.response(3))
        let content = try XCTUnwrap(drawn["content"] as? [[String: Any]])
        let image = try XCTUnwrap(content.first { $0["type"] as? String == "image" }, "\(content)")
        XCTAssertEqual(image["mimeType"] as? String, "image/png")
        XCTAssertEqual(Data(base64Encoded: image["data"] as? String ?? ""), ImageOutputStubServer.generated)
        let paths = try XCTUnwrap((drawn["structuredContent"] as? [String: Any])?["saved_images"] as? [String])
        XCTAssertEqual(paths.count, 1)
        XCTAssertTrue(paths[0].hasPrefix(saved.path + "/"), paths[0])
        XCTAssertEqual(FileManager.default.contents(atPath: paths[0]), ImageOutputStubServer.generated)
        XCTAssertEqual(try files(), [], "nothing saved in the working directory")
        XCTAssertEqual(try session.finish().status, 0)
    }

    func testCallsPipedBeforeTheStreamEndsAreAnswered() throws {
        let stub = try OpenAIStubServer()
        defer { stub.stop() }
        let script = [
            #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"sh","version":"1"}}}"#,
            #"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"ask","arguments":{"prompt":"Describe"}}}"#,
        ].joined(separator: "\n")
        let result = try VQProcess.run(
            ["mcp"], environment: try mcpConfig(stub: stub.baseURL, other: stub.baseURL), stdin: Data(script.utf8), directory: directory)
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n").map { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        XCTAssertEqual(lines.count, 2, result.stdout)
        let answer = try XCTUnwrap(lines.last??["result"] as? [String: Any], result.stdout)
        XCTAssertEqual(answer["isError"] as? Bool, false, result.stdout)
        XCTAssertEqual(stub.seen.count, 1)
    }
}
