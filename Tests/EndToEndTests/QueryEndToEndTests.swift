import Imaging
import TestSupport
import XCTest

/// The built `vq` against a loopback OpenAI-compatible server: answers, inputs, and the key kept secret.
final class QueryEndToEndTests: EndToEndCase {
    func testStreamsTheAnswerAboutSeveralImages() throws {
        let server = try OpenAIStubServer()
        _ = try png("a.png")
        try jpeg("lies.png")  // a JPEG whose name claims PNG: the content decides
        let result = try vq(["Compare", "a.png", "lies.png"], server: server)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "Saw 2 image(s): png 8x6, jpeg 16x16.\n")
        XCTAssertEqual(result.stderr, "")
        XCTAssertEqual(server.requests.count, 1)
        XCTAssertEqual(server.requests[0].header("accept"), "text/event-stream")
        let body = server.seen[0].body
        XCTAssertEqual(body["model"] as? String, "stub-vision-1")
        XCTAssertEqual(body["stream"] as? Bool, true)
        assertKeyNeverShown(result)
    }

    func testNoStreamAndJSONOutput() throws {
        let server = try OpenAIStubServer()
        try jpeg("b.jpg")
        let result = try vq(["--json", "--no-stream", "-s", "Answer in French", "-t", "0.2", "--max-tokens", "50", "Describe", "b.jpg"], server: server)
        XCTAssertEqual(result.status, 0, result.stderr)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        XCTAssertEqual(object["text"] as? String, "Saw 1 image(s): jpeg 16x16.")
        XCTAssertEqual(object["model"] as? String, "stub-vision-1")
        XCTAssertEqual(object["profile"] as? String, "stub")
        XCTAssertEqual(object["finish_reason"] as? String, "stop")
        XCTAssertEqual((object["usage"] as? [String: Any])?["total_tokens"] as? Int, 18)
        XCTAssertEqual(result.stdout.filter { $0 == "\n" }.count, 1, "one JSON object on one line")
        let body = server.seen[0].body
        XCTAssertEqual(body["stream"] as? Bool, false)
        XCTAssertEqual(body["temperature"] as? Double, 0.2)
        XCTAssertEqual(body["max_tokens"] as? Int, 50)
        XCTAssertEqual((body["messages"] as? [[String: Any]])?.first?["role"] as? String, "system")
    }

    func testStreamedJSONCarriesUsage() throws {
        let server = try OpenAIStubServer()
        try jpeg("b.jpg")
        let result = try vq(["--json", "Describe", "b.jpg"], server: server)
        XCTAssertEqual(result.status, 0, result.stderr)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        XCTAssertEqual(object["text"] as? String, "Saw 1 image(s): jpeg 16x16.")
        XCTAssertEqual((object["usage"] as? [String: Any])?["prompt_tokens"] as? Int, 11)
    }

    func testImageFromStandardInput() throws {
        let server = try OpenAIStubServer()
        let bytes = try png("unused.png", width: 5, height: 4)
        let result = try vq(["Describe", "-"], server: server, stdin: bytes)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "Saw 1 image(s): png 5x4.\n")
    }

    func testPromptFromStandardInput() throws {
        let server = try OpenAIStubServer()
        try jpeg("car.jpg")
        let result = try vq(["car.jpg"], server: server, stdin: Data("What colour is the car?\n".utf8))
        XCTAssertEqual(result.status, 0, result.stderr)
        let content = (server.seen[0].body["messages"] as! [[String: Any]])[0]["content"] as! [[String: Any]]
        XCTAssertEqual(content[0]["text"] as? String, "What colour is the car?")
        XCTAssertEqual(server.seen[0].images.count, 1)
    }

    func testRemoteURLIsPassedThroughByDefault() throws {
        let server = try OpenAIStubServer()
        let result = try vq(["--detail", "high", "Describe", "https://example.org/c.jpg"], server: server)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(server.seen[0].remoteURLs, ["https://example.org/c.jpg"])
        let content = (server.seen[0].body["messages"] as! [[String: Any]])[0]["content"] as! [[String: Any]]
        XCTAssertEqual((content[1]["image_url"] as? [String: Any])?["detail"] as? String, "high")
    }

    func testInlineURLModeDownloadsValidatesAndInlines() throws {
        let server = try OpenAIStubServer()
        let image = try png("remote.png", width: 3, height: 2)
        let files = try LoopbackHTTPServer { request, writer in
            if request.path == "/c.png" {
                writer.respond(status: 200, headers: [("Content-Type", "application/octet-stream")], body: image)
            } else if request.path == "/page" {
                writer.respond(status: 200, headers: [("Content-Type", "text/html")], body: Data("<html></html>".utf8))
            } else {
                writer.respond(status: 404, body: Data())
            }
        }
        let ok = try vq(["Describe", files.baseURL + "/c.png"], server: server, extraConfig: "image_urls = \"inline\"")
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertEqual(ok.stdout, "Saw 1 image(s): png 3x2.\n")
        XCTAssertEqual(server.seen[0].remoteURLs, [])

        let html = try vq(["Describe", files.baseURL + "/page"], server: server, extraConfig: "image_urls = \"inline\"")
        XCTAssertEqual(html.status, 65, html.stderr)
        XCTAssertTrue(html.stderr.contains("/page: not an image"), html.stderr)

        let missing = try vq(["Describe", files.baseURL + "/gone.png"], server: server, extraConfig: "image_urls = \"inline\"")
        XCTAssertEqual(missing.status, 66, missing.stderr)
        XCTAssertTrue(missing.stderr.contains("HTTP 404"), missing.stderr)
        XCTAssertEqual(server.requests.count, 1, "failed downloads send nothing to the model")
    }

    func testRequestBodiesConformToOpenAISchema() throws {
        let server = try OpenAIStubServer()
        _ = try png("a.png")
        try jpeg("b.jpg")
        for arguments in [
            ["Compare", "a.png", "b.jpg", "https://example.org/c.jpg"],
            ["--no-stream", "-s", "sys", "-t", "1", "--top-p", "0.5", "--max-tokens", "9", "--stop", "x", "--stop", "y", "--detail", "low", "Q", "a.png"],
        ] {
            let result = try vq(arguments, server: server)
            XCTAssertEqual(result.status, 0, result.stderr)
        }
        try assertConformsToOpenAISchema(server.seen.map(\.rawBody))
    }

    func testDryRunShowsTheRequestWithoutKeyOrBase64AndSendsNothing() throws {
        let server = try OpenAIStubServer()
        let image = try png("a.png")
        let result = try vq(["--dry-run", "Describe", "a.png"], server: server)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.hasPrefix("POST \(server.baseURL)/chat/completions\n"), result.stdout)
        XCTAssertTrue(result.stdout.contains("Authorization: [redacted]"), result.stdout)
        XCTAssertTrue(result.stdout.contains("data:image/png;base64,[base64 of \(image.count) B elided]"), result.stdout)
        XCTAssertFalse(result.stdout.contains(image.base64EncodedString()))
        assertKeyNeverShown(result)
        XCTAssertEqual(server.requests.count, 0)

        let json = try vq(["--dry-run", "--json", "Describe", "a.png"], server: server)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        XCTAssertEqual((object["headers"] as? [String: String])?["Authorization"], "[redacted]")
        XCTAssertNotNil(object["body"] as? [String: Any])
        assertKeyNeverShown(json)
    }

    func testVerboseDescribesImagesAndRequestButNeverTheKey() throws {
        let server = try OpenAIStubServer()
        try jpeg("b.jpg")
        let result = try vq(["-v", "Describe", "b.jpg"], server: server)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("image b.jpg 16x16 803 B (jpeg, unchanged)"), result.stderr)
        XCTAssertTrue(result.stderr.contains("profile stub"), result.stderr)
        XCTAssertTrue(result.stderr.contains("HTTP 200"), result.stderr)
        XCTAssertEqual(result.stdout, "Saw 1 image(s): jpeg 16x16.\n", "verbose output stays off stdout")
        assertKeyNeverShown(result)
    }

    func testExtraHeadersReachTheServer() throws {
        let server = try OpenAIStubServer()
        let result = try vq(["-H", "X-Trace: abc", "Describe", "https://example.org/c.jpg"], server: server)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(server.requests[0].header("x-trace"), "abc")
    }

    func testCustomKeyHeaderProfile() throws {
        let server = try OpenAIStubServer(keyHeader: "x-api-key")
        let result = try vq(["Describe", "https://example.org/c.jpg"], server: server, extraConfig: "auth = \"x-api-key\"")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertNil(server.requests[0].header("authorization"))
    }
}

/// A local server behind a Unix socket: `base_url = "unix:///path/to.sock"`, the HTTP path from `path`.
final class UnixSocketEndToEndTests: EndToEndCase {
    func testQueryOverAUnixSocket() throws {
        let server = try OpenAIStubServer()
        // sockaddr_un holds about 100 bytes: keep the socket path short.
        let socket = "/tmp/vq-\(UUID().uuidString.prefix(8)).sock"
        let relay = try UnixSocketRelay(path: socket, upstreamPort: URL(string: server.baseURL)!.port!)
        try png("a.png")
        let result = try vq(
            ["-v", "Describe", "a.png"], baseURL: "unix://\(socket)", extraConfig: "path = \"/v1/chat/completions\"",
            env: ["http_proxy": "http://127.0.0.1:9"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertFalse(result.stdout.isEmpty)
        XCTAssertEqual(server.seen.count, 1)
        XCTAssertEqual(server.requests.first?.path, "/v1/chat/completions")
        XCTAssertEqual(relay.connectionCount, 1)
        XCTAssertTrue(result.stderr.contains("via the Unix socket \(socket)"), result.stderr)
    }
}
