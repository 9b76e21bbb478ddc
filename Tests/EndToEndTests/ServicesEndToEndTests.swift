import TestSupport
import XCTest

/// Segmind, Scaleway and a gemini-pro-vision gateway, each as its seed document describes it.
final class ServicesEndToEndTests: EndToEndCase {
    /// The built-in `segmind` profile with only its base URL moved to the loopback server.
    func segmind(_ arguments: [String], _ server: SegmindStubServer, key: String = EndToEndCase.key) throws -> VQProcess.Result {
        let config = directory.appendingPathComponent("segmind.toml")
        try "[profiles.segmind]\nbase_url = \"\(server.baseURL)\"\n".write(to: config, atomically: true, encoding: .utf8)
        return try VQProcess.run(
            ["-p", "segmind"] + arguments,
            environment: ["VQ_CONFIG": config.path, "SEGMIND_API_KEY": key], directory: directory)
    }

    func testSegmindMultiTurnMessagesWithCreditsReported() throws {
        let server = try SegmindStubServer()
        let conversation = #"{"messages":[{"role":"user","content":"tell me a joke on cats"},{"role":"assistant","content":"here is a joke about cats..."}]}"#
        try conversation.write(to: directory.appendingPathComponent("chat.json"), atomically: true, encoding: .utf8)
        _ = try png("dog.png")
        let result = try segmind(["-v", "--messages", "chat.json", "now a joke on dogs", "dog.png"], server)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "3 message(s), 1 image(s); last: now a joke on dogs\n")
        XCTAssertTrue(result.stderr.contains("remaining credits: 1233"), result.stderr)
        XCTAssertEqual(server.requests[0].header("x-api-key"), Self.key)
        XCTAssertNil(server.requests[0].header("authorization"))
        assertKeyNeverShown(result)

        let json = try segmind(["--json", "--no-stream", "Describe", "dog.png"], server)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        XCTAssertEqual(object["credits"] as? Int, 1233)
    }

    func testSegmindConversationAloneIsSentAsIs() throws {
        let server = try SegmindStubServer()
        let seed =
            #"[{"role":"user","content":"tell me a joke on cats"},{"role":"assistant","content":"here is a joke about cats..."},{"role":"user","content":"now a joke on dogs"}]"#
        try seed.write(to: directory.appendingPathComponent("chat.json"), atomically: true, encoding: .utf8)
        let result = try segmind(["--no-stream", "--messages", "chat.json"], server)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "3 message(s), 0 image(s); last: now a joke on dogs\n")
        let sent = (try server.requests[0].json() as! [String: Any])["messages"] as! [[String: String]]
        XCTAssertEqual(sent, try JSONSerialization.jsonObject(with: Data(seed.utf8)) as! [[String: String]])

        try #"[{"role":"robot","content":"x"}]"#.write(to: directory.appendingPathComponent("bad.json"), atomically: true, encoding: .utf8)
        let bad = try segmind(["--messages", "bad.json", "Q"], server)
        XCTAssertEqual(bad.status, 65, bad.stderr)
        XCTAssertTrue(bad.stderr.contains("bad.json: message 1 has role 'robot'"), bad.stderr)
        let missing = try segmind(["--messages", "nope.json", "Q"], server)
        XCTAssertEqual(missing.status, 66, missing.stderr)
    }

    func testSegmindStatusesEachHaveTheirOwnMessage() throws {
        let cases: [(SegmindStubServer, [String], String, Int32, String)] = [
            (try SegmindStubServer(), [], "sk-wrong", 77, "HTTP 401 from segmind: Unauthorized (check the API key from $SEGMIND_API_KEY)"),
            (try SegmindStubServer(), ["-m", "no-such-model"], Self.key, 78, "HTTP 404 from segmind: Not Found (check base_url/path and the model name)"),
            (
                try SegmindStubServer(credits: 0), [], Self.key, 77,
                "HTTP 406 from segmind: Not enough credits (not enough credits: 0 remaining; top up the account)"
            ),
            (
                try SegmindStubServer(failing: true), [], Self.key, 69,
                "HTTP 500 from segmind: Server had some issue with processing (the service failed while processing the request; try again later)"
            ),
        ]
        for (server, extra, key, status, message) in cases {
            let result = try segmind(extra + ["Describe", "https://example.org/c.jpg"], server, key: key)
            XCTAssertEqual(result.status, status, result.stderr)
            XCTAssertEqual(result.stderr, "vq: error: \(message)\n")
        }
    }

    func testSegmind405NamesTheURL() throws {
        let server = try OpenAIStubServer(fault: .status(405, body: #"{"error":"Method Not Allowed"}"#, contentType: "application/json"))
        let result = try vq(["Describe", "https://example.org/c.jpg"], server: server)
        XCTAssertEqual(result.status, 78, result.stderr)
        XCTAssertTrue(result.stderr.contains("does not accept POST: check base_url and path"), result.stderr)
    }

    func testScaleway413IsAClearBadInputError() throws {
        let server = try OpenAIStubServer(fault: .status(413, body: #"{"detail":"Request Entity Too Large"}"#, contentType: "application/json"))
        _ = try png("a.png")
        let result = try vq(["Describe", "a.png"], server: server, extraConfig: "max_images = 12")
        XCTAssertEqual(result.status, 65, result.stderr)
        XCTAssertEqual(
            result.stderr,
            "vq: error: HTTP 413 from stub: Request Entity Too Large (the request is too large: send fewer or smaller images; at most 12 per request)\n")
    }

    func testScalewaySeedParametersAndThirteenImagesRefusedBeforeSending() throws {
        let server = try OpenAIStubServer()
        let config = directory.appendingPathComponent("scw.toml")
        try "[profiles.scaleway]\nbase_url = \"\(server.baseURL)\"\nmodel = \"pixtral-12b-2409\"\n".write(to: config, atomically: true, encoding: .utf8)
        let env = ["VQ_CONFIG": config.path, "SCW_SECRET_KEY": Self.key]
        _ = try png("a.png")
        let ok = try VQProcess.run(
            [
                "-p", "scaleway", "-s", "You are Xavier Niel.", "-t", "0.7", "--max-tokens", "2048", "--top-p", "0.9",
                "--stop", "END", "What is this image?", "https://picsum.photos/id/32/512/512", "a.png",
            ],
            environment: env, directory: directory)
        XCTAssertEqual(ok.status, 0, ok.stderr)
        let body = server.seen[0].body
        XCTAssertEqual(body["model"] as? String, "pixtral-12b-2409")
        XCTAssertEqual(body["temperature"] as? Double, 0.7)
        XCTAssertEqual(body["max_tokens"] as? Int, 2048)
        XCTAssertEqual(body["top_p"] as? Double, 0.9)
        XCTAssertEqual(body["stop"] as? [String], ["END"])
        XCTAssertEqual(server.seen[0].remoteURLs, ["https://picsum.photos/id/32/512/512"])
        XCTAssertEqual(server.seen[0].images.count, 1)
        let thirteen = try VQProcess.run(["-p", "scaleway", "Describe"] + Array(repeating: "a.png", count: 13), environment: env, directory: directory)
        XCTAssertEqual(thirteen.status, 65, thirteen.stderr)
        XCTAssertEqual(server.requests.count, 1)
    }

    func testGeminiProVisionGatewayRequestMatchesTheSeedExactly() throws {
        let server = try OpenAIStubServer()
        let url = "https://github.com/dianping/cat/raw/master/cat-home/src/main/webapp/images/logo/cat_logo03.png"
        let result = try vq(["--no-stream", "--max-tokens", "400", "-m", "gemini-pro-vision", "What's in this picture?", url], server: server)
        XCTAssertEqual(result.status, 0, result.stderr)
        let seed =
            #"{"model":"gemini-pro-vision","stream":false,"messages":[{"role":"user","content":[{"type":"text","text":"What's in this picture?"},{"type":"image_url","image_url":{"url":"https://github.com/dianping/cat/raw/master/cat-home/src/main/webapp/images/logo/cat_logo03.png"}}]}],"max_tokens":400}"#
        let expected = try JSONSerialization.jsonObject(with: Data(seed.utf8)) as! NSDictionary
        XCTAssertEqual(server.seen[0].body as NSDictionary, expected)
        let request = server.requests[0]
        XCTAssertEqual(request.path, "/v1/chat/completions")
        XCTAssertEqual(request.header("accept"), "application/json")
        XCTAssertEqual(request.header("authorization"), "Bearer \(Self.key)")
        XCTAssertEqual(request.header("content-type"), "application/json")
        XCTAssertEqual(result.stdout, "Saw 1 image(s): \(url).\n")
    }

    func testGatewayThatRejectsRemoteURLsIsServedInline() throws {
        let server = try OpenAIStubServer()
        let logo = try png("logo.png", width: 5, height: 5)
        let files = try LoopbackHTTPServer { _, writer in writer.respond(status: 200, headers: [("Content-Type", "image/png")], body: logo) }
        let result = try vq(
            ["--no-stream", "--max-tokens", "400", "What's in this picture?", files.baseURL + "/cat_logo03.png"],
            server: server, extraConfig: "image_urls = \"inline\"")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(server.seen[0].remoteURLs, [])
        XCTAssertEqual(result.stdout, "Saw 1 image(s): png 5x5.\n")
    }
}
