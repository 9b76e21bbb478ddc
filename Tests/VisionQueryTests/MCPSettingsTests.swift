import XCTest

@testable import VisionQuery

/// The `[mcp]` config section and the path rules of `vq mcp`.
final class MCPSettingsTests: XCTestCase {
    func testSectionIsReadWithTildeExpanded() throws {
        let config = try ConfigFile.parse(
            """
            log = true

            [mcp]
            allow = ["~/shots", "/srv/scans"]
            profiles = ["local"]
            output_dir = "/tmp/vq-out"
            """, path: "c.toml")
        XCTAssertEqual(config.mcp.allow, [NSString(string: "~/shots").expandingTildeInPath, "/srv/scans"])
        XCTAssertEqual(config.mcp.profiles, ["local"])
        XCTAssertEqual(config.mcp.outputDirectory, "/tmp/vq-out")
    }

    func testBadKeysNameTheLine() {
        for (text, expected) in [
            ("[mcp]\nalow = [\"/x\"]\n", "c.toml:2: unknown key 'alow' in [mcp]; did you mean 'allow'?"),
            ("\n[mcp]\nprofiles = \"local\"\n", "c.toml:3: [mcp] profiles must be an array of strings"),
            ("mcp = 3\n", "c.toml:1: mcp must be a table ([mcp])"),
        ] {
            XCTAssertThrowsError(try ConfigFile.parse(text, path: "c.toml"), text) { error in
                XCTAssertEqual((error as? VQError)?.message, expected)
                XCTAssertEqual((error as? VQError)?.category, .config)
            }
        }
    }

    func testPathsOutsideTheAllowedDirectoriesAreRefused() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("vq-mcp-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        let root = base.appendingPathComponent("root")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: base.appendingPathComponent("rootless"), withIntermediateDirectories: true)
        let access = MCPFileAccess(roots: [root.absoluteString], allow: [])
        let real = MCPFileAccess.realPath(root.path)
        XCTAssertEqual(try access.resolve("sub/a.png"), real + "/sub/a.png")
        XCTAssertEqual(try access.resolve(root.appendingPathComponent("sub/a.png").absoluteString), real + "/sub/a.png")
        XCTAssertEqual(try access.resolve("https://example.org/a.png"), "https://example.org/a.png")
        for refused in ["../rootless/a.png", base.appendingPathComponent("rootless/a.png").path, "-", "ftp://example.org/a.png"] {
            XCTAssertThrowsError(try access.resolve(refused), refused)
        }
        XCTAssertThrowsError(try MCPFileAccess(roots: [], allow: []).resolve(root.appendingPathComponent("sub/a.png").path)) { error in
            XCTAssertTrue((error as? VQError)?.message.contains("declared no roots") == true)
        }
    }

    func testMalformedMessagesAreClassified() {
        func error(_ line: String) -> Int? {
            if case .invalid(_, let error) = JSONRPCMessage.parse(Data(line.utf8)) { return error.code }
            return nil
        }
        XCTAssertEqual(error("{not json"), -32700)
        XCTAssertEqual(error("[1,2]"), -32600)
        XCTAssertEqual(error(#"{"id":1,"method":"ping"}"#), -32600)
        XCTAssertEqual(error(#"{"jsonrpc":"2.0","id":{"a":1},"method":"ping"}"#), -32600)
        XCTAssertEqual(error(#"{"jsonrpc":"2.0","id":1,"method":"ping","params":[1]}"#), -32602)
        XCTAssertEqual(error(#"{"jsonrpc":"2.0","id":true,"method":"ping"}"#), -32600, "a boolean is no id")
        XCTAssertEqual(error(#"{"jsonrpc":"2.0","id":1.5,"method":"ping"}"#), -32600)
        XCTAssertEqual(error("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"} trailing"), -32700)
        guard
            case .request(.string("a"), "tools/call", let params) = JSONRPCMessage.parse(
                Data(#"{"jsonrpc":"2.0","id":"a","method":"tools/call","params":{"n":2,"t":0.5,"b":true,"s":"\u00e9"}}"#.utf8))
        else { return XCTFail("a request with a string id") }
        XCTAssertEqual(params["n"] as? Int, 2)
        XCTAssertEqual(params["t"] as? Double, 0.5)
        XCTAssertEqual(params["b"] as? Bool, true)
        XCTAssertNil(params["b"] as? Int, "Swift's own Bool, not a Foundation number")
        XCTAssertEqual(params["s"] as? String, "é")
        guard case .request(.number(7), "ping", _) = JSONRPCMessage.parse(Data(#"{"jsonrpc":"2.0","id":7,"method":"ping"}"#.utf8)) else {
            return XCTFail("a request")
        }
        guard case .notification("notifications/initialized", _) = JSONRPCMessage.parse(Data(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#.utf8))
        else { return XCTFail("a notification") }
    }
}
