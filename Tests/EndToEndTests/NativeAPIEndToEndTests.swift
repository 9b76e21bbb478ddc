import TestSupport
import XCTest

/// Every native api (gemini, anthropic, ollama, openai-responses) end to end through the binary against its stub:
/// images from a file, a URL and stdin, streamed and whole answers, `--json`, `--dry-run` with token estimates,
/// `--messages`, `vq batch`, returned images saved, and errors mapped to exit codes.
final class NativeAPIEndToEndTests: EndToEndCase {
    /// A loopback server of plain image files, for URL inputs.
    private var files: LoopbackHTTPServer!
    private var cat: Data!

    override func setUpWithError() throws {
        try super.setUpWithError()
        cat = try png("cat.png", width: 10, height: 7)
        let served = cat!
        files = try LoopbackHTTPServer { _, writer in
            writer.respond(status: 200, headers: [("Content-Type", "image/png")], body: served)
        }
        try jpeg("a.jpg", width: 16, height: 12)
    }

    /// Runs vq with the `stub` profile set to `api` at `baseURL`.
    private func run(
        _ api: String, _ baseURL: String, _ arguments: [String], extra: String = "", key: String? = EndToEndCase.key,
        stdin: Data? = nil
    ) throws -> VQProcess.Result {
        try vq(arguments, baseURL: baseURL, extraConfig: "api = \"\(api)\"\n" + extra, key: key, stdin: stdin)
    }

    /// The checks every native api passes.
    private func assertSpeaks(
        _ api: String, _ baseURL: String, fetchesURLs: Bool, checksKey: Bool = true,
        requests: () -> [RecordedRequest], file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let url = files.baseURL + "/c.png"
        let streamed = try run(api, baseURL, ["Describe", "a.jpg", url, "-"], stdin: cat)
        XCTAssertEqual(streamed.status, 0, streamed.stderr, file: file, line: line)
        XCTAssertEqual(
            streamed.stdout,
            fetchesURLs
                ? "Saw 3 image(s): jpeg 16x12, png 10x7, \(url).\n"
                : "Saw 3 image(s): jpeg 16x12, png 10x7, png 10x7.\n", streamed.stderr, file: file, line: line)
        XCTAssertEqual(files.requests.count > 0, !fetchesURLs, "vq downloads URLs only for services that cannot fetch them", file: file, line: line)
        assertKeyNeverShown(streamed, file: file, line: line)

        let whole = try run(api, baseURL, ["--no-stream", "-s", "Be brief", "Describe", "a.jpg"])
        XCTAssertEqual(whole.status, 0, whole.stderr, file: file, line: line)
        XCTAssertEqual(whole.stdout, "Saw 1 image(s): jpeg 16x12. System: Be brief.\n", file: file, line: line)

        let json = try run(api, baseURL, ["--json", "Describe", "a.jpg"])
        XCTAssertEqual(json.status, 0, json.stderr, file: file, line: line)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        XCTAssertEqual(object["text"] as? String, "Saw 1 image(s): jpeg 16x12.", file: file, line: line)
        let usage = object["usage"] as? [String: Any]
        XCTAssertNotNil(usage?["prompt_tokens"] as? Int, json.stdout, file: file, line: line)
        XCTAssertNotNil(usage?["completion_tokens"] as? Int, json.stdout, file: file, line: line)

        let sent = requests().count
        let dry = try run(api, baseURL, ["--dry-run", "Describe", "a.jpg"])
        XCTAssertEqual(dry.status, 0, dry.stderr, file: file, line: line)
        XCTAssertTrue(dry.stdout.contains("[redacted]"), dry.stdout, file: file, line: line)
        XCTAssertTrue(dry.stdout.contains("[base64 of"), dry.stdout, file: file, line: line)
        XCTAssertTrue(dry.stderr.contains("estimated input tokens: ~"), dry.stderr, file: file, line: line)
        XCTAssertEqual(requests().count, sent, "a dry run sends nothing", file: file, line: line)
        assertKeyNeverShown(dry, file: file, line: line)

        let conversation =
            #"[{"role":"user","content":[{"type":"text","text":"What is this?"},{"type":"image_url","image_url":{"url":"data:image/png;base64,\#(cat.base64EncodedString())"}}]},{"role":"assistant","content":"A gradient."}]"#
        try conversation.write(to: directory.appendingPathComponent("chat.json"), atomically: true, encoding: .utf8)
        let followUp = try run(api, baseURL, ["--messages", "chat.json", "And its colours?"])
        XCTAssertEqual(followUp.status, 0, followUp.stderr, file: file, line: line)
        XCTAssertEqual(followUp.stdout, "Saw 1 image(s): png 10x7. Turns: 3.\n", file: file, line: line)

        try png("b.png", width: 5, height: 5)
        let batch = try run(api, baseURL, ["batch", "Describe", "a.jpg", "b.png"])
        XCTAssertEqual(batch.status, 0, batch.stderr, file: file, line: line)
        let outputs = batch.stdout.split(separator: "\n").map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        XCTAssertEqual(
            Set(outputs.compactMap { $0["output"] as? String }),
            ["Saw 1 image(s): jpeg 16x12.", "Saw 1 image(s): png 5x5."], batch.stdout, file: file, line: line)

        guard checksKey else { return }
        let wrong = try run(api, baseURL, ["Describe", "a.jpg"], key: "wrong-key")
        XCTAssertEqual(wrong.status, 77, wrong.stderr, file: file, line: line)
        XCTAssertTrue(wrong.stderr.hasPrefix("vq: error: HTTP "), wrong.stderr, file: file, line: line)
        XCTAssertTrue(wrong.stderr.hasSuffix("(check the API key from $STUB_KEY)\n"), wrong.stderr, file: file, line: line)
    }

    func testGemini() throws {
        let server = try GeminiStubServer()
        try assertSpeaks("gemini", server.baseURL, fetchesURLs: false) { server.requests }
        let first = server.requests.first { $0.method == "POST" }!
        XCTAssertTrue(first.path.hasSuffix("/models/stub-vision-1:streamGenerateContent?alt=sse"), first.path)
        XCTAssertEqual(first.header("x-goog-api-key"), Self.key)
        XCTAssertNil(first.header("authorization"))
        let bad = try run("gemini", server.baseURL, ["Describe", "a.jpg"], key: "wrong-key")
        XCTAssertEqual(
            bad.stderr, "vq: error: HTTP 400 from stub: API key not valid. Please pass a valid API key. (INVALID_ARGUMENT) (check the API key from $STUB_KEY)\n"
        )
    }

    func testGeminiSavesReturnedImagesAndReportsBlocksAndStreamErrors() throws {
        let server = try GeminiStubServer()
        for stream in [[], ["--no-stream"]] {
            let out = "out\(stream.count)"
            let result = try run("gemini", server.baseURL, stream + ["--modalities", "text,image", "Draw a cat", "-o", out])
            XCTAssertEqual(result.status, 0, result.stderr)
            let saved = try files(in: out)
            XCTAssertEqual(saved.count, 1, result.stderr)
            XCTAssertEqual(try Data(contentsOf: directory.appendingPathComponent(out).appendingPathComponent(saved[0])), NativeStub.returnedImage)
            let body = try server.requests.last!.json() as! [String: Any]
            XCTAssertEqual((body["generationConfig"] as? [String: Any])?["responseModalities"] as? [String], ["TEXT", "IMAGE"])
        }
        let blockingServer = try GeminiStubServer(fault: .blocked)
        let blocked = try run("gemini", blockingServer.baseURL, ["Describe", "a.jpg"])
        XCTAssertEqual(blocked.status, 69, blocked.stderr)
        XCTAssertEqual(blocked.stderr, "vq: error: stub reported an error: the prompt was blocked (SAFETY)\n")
        let failingServer = try GeminiStubServer(fault: .shared(.errorInStream))
        let broken = try run("gemini", failingServer.baseURL, ["Describe", "a.jpg"])
        XCTAssertEqual(broken.status, 69, broken.stderr)
        XCTAssertTrue(broken.stderr.contains("reported an error mid-answer: Internal error encountered. (INTERNAL)"), broken.stderr)
        XCTAssertEqual(broken.stdout, "Saw", "what arrived before the error is kept")
    }

    func testGeminiRetryDelayInTheBodyIsHonoured() throws {
        let server = try GeminiStubServer(fault: .rateLimited(count: 1, retryDelay: 0.2))
        let result = try run("gemini", server.baseURL, ["-v", "Describe", "a.jpg"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("HTTP 429 from stub, retrying in 0.2 s (2/3)"), result.stderr)
        let limitedServer = try GeminiStubServer(fault: .rateLimited(count: 5, retryDelay: 38))
        let impatient = try run(
            "gemini", limitedServer.baseURL,
            ["--retry-max-wait", "5", "Describe", "a.jpg"])
        XCTAssertEqual(impatient.status, 75, impatient.stderr)
        XCTAssertTrue(impatient.stderr.contains("(the service asks to wait; try again in 38 s)"), impatient.stderr)
    }

    func testAnthropic() throws {
        let server = try AnthropicStubServer()
        try assertSpeaks("anthropic", server.baseURL, fetchesURLs: true) { server.requests }
        let first = server.requests.first { $0.method == "POST" }!
        XCTAssertEqual(first.path, "/v1/messages")
        XCTAssertEqual(first.header("x-api-key"), Self.key)
        let body = try first.json() as! [String: Any]
        XCTAssertEqual(body["max_tokens"] as? Int, 4096, "max_tokens is required; vq sends a default")
        let content = ((body["messages"] as! [[String: Any]]).last!["content"] as! [[String: Any]]).map { $0["type"] as! String }
        XCTAssertEqual(content, ["image", "image", "image", "text"], "images go before the text")
        let url = try run("anthropic", server.baseURL, ["Describe", "https://example.org/c.jpg"])
        XCTAssertEqual(url.stdout, "Saw 1 image(s): https://example.org/c.jpg.\n", "Anthropic fetches URL sources itself")
        let overloadedServer = try AnthropicStubServer(fault: .errorInStream)
        let overloaded = try run("anthropic", overloadedServer.baseURL, ["Describe", "a.jpg"])
        XCTAssertEqual(overloaded.status, 69, overloaded.stderr)
        XCTAssertTrue(overloaded.stderr.contains("mid-answer: Overloaded (overloaded_error)"), overloaded.stderr)
    }

    func testOllama() throws {
        let server = try OllamaStubServer()
        try assertSpeaks("ollama", server.baseURL, fetchesURLs: false, checksKey: false) { server.requests }
        let missing = try run("ollama", server.baseURL, ["-m", "llava:34b", "Describe", "a.jpg"])
        XCTAssertEqual(missing.status, 78, missing.stderr)
        XCTAssertEqual(missing.stderr, "vq: error: HTTP 404 from stub: model 'llava:34b' not found (run: ollama pull llava:34b)\n")
        let failingServer = try OllamaStubServer(fault: .errorInStream)
        let cut = try run("ollama", failingServer.baseURL, ["Describe", "a.jpg"])
        XCTAssertEqual(cut.status, 69, cut.stderr)
        XCTAssertTrue(cut.stderr.contains("mid-answer: an error was encountered while running the model"), cut.stderr)
        let down = try run("ollama", "http://127.0.0.1:\(try LoopbackHTTPServer.closedPort())", ["--retries", "0", "Hi"])
        XCTAssertEqual(down.status, 69, down.stderr)
        XCTAssertTrue(down.stderr.hasSuffix("(is Ollama running? start it with: ollama serve)\n"), down.stderr)
        let limited = try run("ollama", server.baseURL, ["--no-stream", "--max-tokens", "5", "Hi"])
        XCTAssertEqual(limited.stdout, "Saw 0 image(s). num_predict 5.\n", limited.stderr)
    }

    func testOpenAIResponses() throws {
        let server = try ResponsesStubServer()
        try assertSpeaks("openai-responses", server.baseURL, fetchesURLs: true) { server.requests }
        let first = server.requests.first { $0.method == "POST" }!
        XCTAssertEqual(first.path, "/v1/responses")
        let edit = try run("openai-responses", server.baseURL, ["--modalities", "text,image", "Make this a watercolour", "a.jpg", "-o", "out"])
        XCTAssertEqual(edit.status, 0, edit.stderr)
        XCTAssertEqual(try files(in: "out").count, 1, edit.stderr)
        let body = try server.requests.last!.json() as! [String: Any]
        XCTAssertEqual((body["tools"] as? [[String: Any]])?.first?["type"] as? String, "image_generation")
        let failingServer = try ResponsesStubServer(fault: .errorInStream)
        let varied = try run(
            "openai-responses", server.baseURL,
            [
                "--no-stream", "-s", "sys", "-t", "1", "--top-p", "0.5",
                "--max-tokens", "64", "--detail", "low", "Q", "a.jpg", "https://example.org/c.jpg",
            ])
        XCTAssertEqual(varied.status, 0, varied.stderr)
        try assertConformsToOpenAISchema(server.requests.filter { $0.method == "POST" }.map(\.body), schema: "CreateResponse")
        let broken = try run("openai-responses", failingServer.baseURL, ["Describe", "a.jpg"])
        XCTAssertEqual(broken.status, 69, broken.stderr)
        XCTAssertTrue(broken.stderr.contains("The server had an error while processing your request."), broken.stderr)
    }

    func testModelsListsWhatEachServiceOffers() throws {
        let gemini = try GeminiStubServer()
        let anthropic = try AnthropicStubServer()
        let responses = try ResponsesStubServer()
        for (api, base, expected) in [
            ("gemini", gemini.baseURL, "gemini-2.5-flash\ngemini-2.5-pro\n"),
            ("anthropic", anthropic.baseURL, "claude-haiku-4-5\nclaude-sonnet-4-5\n"),
            ("openai-responses", responses.baseURL, "gpt-4.1-mini\ngpt-image-1\n"),
        ] {
            let result = try run(api, base, ["models"])
            XCTAssertEqual(result.status, 0, result.stderr)
            XCTAssertEqual(result.stdout, expected, api)
            assertKeyNeverShown(result)
        }
        let json = try run("gemini", gemini.baseURL, ["models", "--json"])
        XCTAssertEqual(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String], ["gemini-2.5-flash", "gemini-2.5-pro"])
    }
}
