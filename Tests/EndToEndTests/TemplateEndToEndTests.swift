import TestSupport
import XCTest

/// `[templates.NAME]` end to end: `-T` sends the template's prompt, system prompt and options; the command line's
/// PROMPT is added after the template's and its options win; a template's schema is asked for and checked; `vq batch`
/// takes templates; `vq templates` lists them; an unknown template or key is exit 78 with the config line.
final class TemplateEndToEndTests: EndToEndCase {
    static let templates = """

        [templates.alt]
        prompt = "Write alt text for this image.\\nOne sentence."
        system = "You write for screen readers."
        temperature = 0.2
        max_tokens = 80
        model = "template-model"

        [templates.tagged]
        prompt = "Tag this photo."
        schema = "caption, tags [string]"
        """

    override func setUpWithError() throws {
        try super.setUpWithError()
        try jpeg("a.jpg")
    }

    private func lastBody(_ server: OpenAIStubServer) throws -> [String: Any] {
        try XCTUnwrap(server.requests.last?.json() as? [String: Any])
    }

    /// The text of the last user message.
    private func prompt(_ body: [String: Any]) -> String? {
        let messages = body["messages"] as? [[String: Any]] ?? []
        let content = messages.last?["content"] as? [[String: Any]] ?? []
        return content.first { $0["type"] as? String == "text" }?["text"] as? String
    }

    func testATemplateSendsItsPromptAndOptionsAndTheCommandLineWins() throws {
        let server = try OpenAIStubServer()
        let plain = try vq(["-T", "alt", "a.jpg"], server: server, extraConfig: Self.templates)
        XCTAssertEqual(plain.status, 0, plain.stderr)
        var body = try lastBody(server)
        XCTAssertEqual(prompt(body), "Write alt text for this image.\nOne sentence.")
        XCTAssertEqual((body["messages"] as? [[String: Any]])?.first?["content"] as? String, "You write for screen readers.")
        XCTAssertEqual(body["temperature"] as? Double, 0.2)
        XCTAssertEqual(body["max_tokens"] as? Int, 80)
        XCTAssertEqual(body["model"] as? String, "template-model")

        let overridden = try vq(
            ["--template", "alt", "-t", "0.9", "-m", "cli-model", "Mention the colours.", "a.jpg"], server: server, extraConfig: Self.templates)
        XCTAssertEqual(overridden.status, 0, overridden.stderr)
        body = try lastBody(server)
        XCTAssertEqual(prompt(body), "Write alt text for this image.\nOne sentence.\n\nMention the colours.")
        XCTAssertEqual(body["temperature"] as? Double, 0.9, "the command line wins")
        XCTAssertEqual(body["model"] as? String, "cli-model")
        XCTAssertEqual(body["max_tokens"] as? Int, 80, "what the command line leaves unset comes from the template")
    }

    func testATemplateSchemaIsAskedForAndChecked() throws {
        let server = try StructuredOutputStubServer(api: "openai")
        let result = try vq(["-T", "tagged", "a.jpg"], baseURL: server.baseURL, extraConfig: "api = \"openai\"\n" + Self.templates)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, #"{"caption":"text","tags":["text","text"]}"# + "\n")

        _ = try png("b.png", width: 5, height: 5)
        let batch = try vq(
            ["batch", "-T", "tagged", "--format", "csv", "a.jpg", "b.png"], baseURL: server.baseURL,
            extraConfig: "api = \"openai\"\n" + Self.templates)
        XCTAssertEqual(batch.status, 0, batch.stderr)
        let lines = batch.stdout.split(separator: "\r\n").map(String.init)
        XCTAssertEqual(lines.first, "image,caption,tags,error")
        XCTAssertEqual(Set(lines.dropFirst()), ["a.jpg,text,text; text,", "b.png,text,text; text,"])
    }

    func testTemplatesAreListed() throws {
        let result = try vq(["templates"], baseURL: "http://127.0.0.1:9", extraConfig: Self.templates)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(
            result.stdout,
            """
            NAME    PROFILE  PROMPT
            alt     -        Write alt text for this image.
            tagged  -        Tag this photo.

            """)
        let json = try vq(["templates", "--json"], baseURL: "http://127.0.0.1:9", extraConfig: Self.templates)
        let list = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(list.map { $0["name"] as? String }, ["alt", "tagged"])
        XCTAssertEqual(list[1]["schema"] as? String, "caption, tags [string]")
    }

    func testAnUnknownTemplateOrKeyIsAConfigError() throws {
        let server = try OpenAIStubServer()
        let unknown = try vq(["-T", "atl", "a.jpg"], server: server, extraConfig: Self.templates)
        XCTAssertEqual(unknown.status, 78, unknown.stderr)
        XCTAssertTrue(unknown.stderr.hasSuffix("config.toml: unknown template 'atl'; did you mean 'alt'? (known: alt, tagged)\n"), unknown.stderr)

        let badKey = try vq(["-T", "alt", "a.jpg"], server: server, extraConfig: Self.templates + "\nmax_side = \"big\"")
        XCTAssertEqual(badKey.status, 78, badKey.stderr)
        XCTAssertTrue(badKey.stderr.hasSuffix("config.toml:18: template 'tagged': max_side must be a whole number from 0 to 100000\n"), badKey.stderr)
        XCTAssertTrue(server.requests.isEmpty)
    }
}
