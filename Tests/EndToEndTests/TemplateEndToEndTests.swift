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
        let config = directory.appendingPathComponent("config.toml").path
        XCTAssertEqual(
            result.stdout,
            """
            NAME    PROFILE  PROMPT                          FILE
            alt     -        Write alt text for this image.  ~/config.toml
            tagged  -        Tag this photo.                 ~/config.toml

            """)
        let json = try vq(["templates", "--json"], baseURL: "http://127.0.0.1:9", extraConfig: Self.templates)
        let list = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(list.map { $0["name"] as? String }, ["alt", "tagged"])
        XCTAssertEqual(list[1]["schema"] as? String, "caption, tags [string]")
        XCTAssertEqual(list[1]["source"] as? String, config)
    }

    func testAnUnknownTemplateOrKeyIsAConfigError() throws {
        let server = try OpenAIStubServer()
        let unknown = try vq(["-T", "atl", "a.jpg"], server: server, extraConfig: Self.templates)
        XCTAssertEqual(unknown.status, 78, unknown.stderr)
        XCTAssertTrue(
            unknown.stderr.hasPrefix("vq: error: unknown template 'atl'; did you mean 'alt'? (known: alt, tagged); define [templates.atl] in "),
            unknown.stderr)
        XCTAssertTrue(unknown.stderr.hasSuffix("config.toml or save one with: vq --save atl PROMPT\n"), unknown.stderr)

        let badKey = try vq(["-T", "alt", "a.jpg"], server: server, extraConfig: Self.templates + "\nmax_side = \"big\"")
        XCTAssertEqual(badKey.status, 78, badKey.stderr)
        XCTAssertTrue(badKey.stderr.hasSuffix("config.toml:18: template 'tagged': max_side must be a whole number from 0 to 100000\n"), badKey.stderr)
        XCTAssertTrue(server.requests.isEmpty)
    }

    // MARK: --save

    private var savedDirectory: URL { directory.appendingPathComponent(".config/vq/templates.d") }

    func testSaveWritesATemplateFileThatDashTUsesAndTemplatesLists() throws {
        let server = try OpenAIStubServer()
        let saved = try vq(
            [
                "--save", "alt2", "-s", "You write for screen readers.", "-t", "0.2", "--max-tokens", "80", "--stop", "END",
                "Write alt text.\nOne \"short\" sentence.",
            ],
            server: server)
        XCTAssertEqual(saved.status, 0, saved.stderr)
        XCTAssertEqual(saved.stdout, "", "nothing is asked")
        XCTAssertTrue(server.requests.isEmpty)
        let file = savedDirectory.appendingPathComponent("alt2.toml").path
        XCTAssertEqual(saved.stderr, "vq: saved template 'alt2' to \(file); use it with: vq -T alt2 IMAGE\n")
        XCTAssertEqual(
            try String(contentsOfFile: file, encoding: .utf8),
            """
            # vq template 'alt2', written by 'vq --save alt2'; use it with: vq -T alt2 IMAGE
            prompt = \"\"\"
            Write alt text.
            One \\"short\\" sentence.\"\"\"
            system = "You write for screen readers."
            temperature = 0.2
            max_tokens = 80
            stop = ["END"]

            """)
        let mode = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int)
        XCTAssertEqual(mode & 0o777, 0o644, "a template holds no secret: readable as the config file is")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: savedDirectory.path), ["alt2.toml"], "no temporary file left")

        let used = try vq(["-T", "alt2", "a.jpg"], server: server, extraConfig: Self.templates)
        XCTAssertEqual(used.status, 0, used.stderr)
        let body = try lastBody(server)
        XCTAssertEqual(prompt(body), "Write alt text.\nOne \"short\" sentence.")
        XCTAssertEqual((body["messages"] as? [[String: Any]])?.first?["content"] as? String, "You write for screen readers.")
        XCTAssertEqual(body["temperature"] as? Double, 0.2)
        XCTAssertEqual(body["max_tokens"] as? Int, 80)
        XCTAssertEqual(body["stop"] as? [String], ["END"])

        let listed = try vq(["templates"], server: server, extraConfig: Self.templates)
        XCTAssertTrue(listed.stdout.contains("alt2    -        Write alt text.                 ~/.config/vq/templates.d/alt2.toml\n"), listed.stdout)
        let narrow = try VQProcess.runOnTerminal(
            ["templates"], environment: ["VQ_CONFIG": directory.appendingPathComponent("config.toml").path], directory: directory, columns: 60)
        XCTAssertEqual(
            narrow.stdout.replacingOccurrences(of: "\r\n", with: "\n"),
            """
            NAME    PROFILE  PROMPT  FILE
            alt     -        Write…  ~/config.toml
            tagged  -        Tag t…  ~/config.toml
            alt2    -        Write…  ~/.config/vq/templates.d/alt2.toml

            """, "the prompts are cut so each line fits 60 columns")
        let check = try vq(["config", "check"], server: server, extraConfig: Self.templates)
        XCTAssertTrue(check.stdout.hasSuffix("ok (1 profile, 3 templates)\n"), check.stdout)
    }

    func testSaveNeverReplacesATemplateUnlessOverwrite() throws {
        let first = try vq(["--save", "brief", "Be brief."], baseURL: nil)
        XCTAssertEqual(first.status, 0, first.stderr)
        let file = savedDirectory.appendingPathComponent("brief.toml").path
        let again = try vq(["--save", "brief", "Be longer."], baseURL: nil)
        XCTAssertEqual(again.status, 73)
        XCTAssertEqual(again.stderr, "vq: error: \(file): template 'brief' exists; --overwrite replaces it\n")
        XCTAssertTrue(try String(contentsOfFile: file, encoding: .utf8).contains("prompt = \"Be brief.\""), "the first is kept")
        let replaced = try vq(["--save", "brief", "--overwrite", "-m", "other-model", "Be longer."], baseURL: nil)
        XCTAssertEqual(replaced.status, 0, replaced.stderr)
        let text = try String(contentsOfFile: file, encoding: .utf8)
        XCTAssertTrue(text.contains("prompt = \"Be longer.\"\nmodel = \"other-model\"\n"), text)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: savedDirectory.path), ["brief.toml"])

        let section = try vq(["--save", "alt", "Anything"], baseURL: "http://127.0.0.1:9/v1", extraConfig: Self.templates)
        XCTAssertEqual(section.status, 73)
        XCTAssertTrue(section.stderr.hasSuffix("config.toml: template 'alt' is a [templates.alt] section there; edit it, or --save under another name\n"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: savedDirectory.appendingPathComponent("alt.toml").path))
    }

    func testSaveRefusesWhatATemplateCannotHold() throws {
        let cases: [([String], String)] = [
            (["--save", "x", "Describe", "a.jpg"], "a template keeps no images ('a.jpg'); give them when you use it: vq -T x a.jpg"),
            (["--save", "x", "a.jpg"], "a template keeps no images ('a.jpg'); give them when you use it: vq -T x a.jpg"),
            (["--save", "x", "--json", "Describe"], "'--json' is not kept in a template; --save keeps PROMPT and --system, --schema, --profile, "),
            (["--save", "no/slash", "Describe"], "invalid template name 'no/slash' for '--save': use letters, digits, '-' and '_'"),
            (["--save", "x"], "nothing to save in template 'x': give a PROMPT or options such as -s, -m, -t"),
            (["--overwrite", "Describe", "a.jpg"], "'--overwrite' applies to '--save' (and to 'vq batch --sidecar' files)"),
            (["--save", "x", "-p", "scalewya", "Describe"], "unknown profile 'scalewya' (from --profile). Did you mean 'scaleway'?"),
        ]
        for (arguments, message) in cases {
            let result = try vq(arguments, baseURL: nil)
            XCTAssertEqual(result.status, 64, "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stderr.hasPrefix("vq: error: " + message), "\(arguments): \(result.stderr)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: savedDirectory.path), "nothing written")
    }

    func testATemplateDefinedTwiceIsAnErrorNamingBothFiles() throws {
        try FileManager.default.createDirectory(at: savedDirectory, withIntermediateDirectories: true)
        let file = savedDirectory.appendingPathComponent("alt.toml").path
        try "prompt = \"Saved alt\"\n".write(toFile: file, atomically: true, encoding: .utf8)
        let server = try OpenAIStubServer()
        let result = try vq(["-T", "tagged", "a.jpg"], server: server, extraConfig: Self.templates)
        XCTAssertEqual(result.status, 78)
        let config = directory.appendingPathComponent("config.toml").path
        XCTAssertEqual(result.stderr, "vq: error: template 'alt' is defined twice: [templates.alt] in \(config) and \(file); remove one\n")
        XCTAssertTrue(server.requests.isEmpty)

        try "prompt = \"Saved alt\"\ntemprature = 1\n".write(toFile: file, atomically: true, encoding: .utf8)
        let badKey = try vq(["templates"], baseURL: nil)
        XCTAssertEqual(badKey.status, 78)
        XCTAssertEqual(badKey.stderr, "vq: error: \(file):2: unknown key 'temprature'; did you mean 'temperature'?\n")
    }

    func testSaveStartsFromATemplateAndKeepsASchemaFileByItsPath() throws {
        try #"{"type":"object","properties":{"caption":{"type":"string"}},"required":["caption"]}"#
            .write(to: directory.appendingPathComponent("schema.json"), atomically: true, encoding: .utf8)
        let saved = try vq(
            ["--save", "derived", "-T", "alt", "--schema", "schema.json", "Mention colours."], baseURL: "http://127.0.0.1:9/v1",
            extraConfig: Self.templates)
        XCTAssertEqual(saved.status, 0, saved.stderr)
        let text = try String(contentsOfFile: savedDirectory.appendingPathComponent("derived.toml").path, encoding: .utf8)
        XCTAssertTrue(text.contains("Write alt text for this image.\nOne sentence.\n\nMention colours.\"\"\""), text)
        XCTAssertTrue(text.contains("schema = \"\(directory.appendingPathComponent("schema.json").path)\""), text)
        XCTAssertTrue(text.contains("model = \"template-model\""), "the template's options come along: \(text)")
    }
}
