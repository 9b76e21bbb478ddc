import Imaging
import TestSupport
import XCTest

/// `vq`, `vq chat` and `vq batch` go through VisionQuery's one exchange run and one batch run, so what one of them
/// does the others do too. Each test here failed while the three assembled their own runs.
final class OneRunEndToEndTests: EndToEndCase {
    private var logPath: String { directory.appendingPathComponent("logs.db").path }

    /// A noisy photo that does not compress below a small byte cap.
    private func photo(_ name: String, width: Int, height: Int) throws {
        var state: UInt32 = 12345
        let pixels = (0..<(width * height * 3)).map { _ -> UInt8 in
            state = state &* 1_103_515_245 &+ 12345
            return UInt8(truncatingIfNeeded: state >> 16)
        }
        try ImageEncoder.encodeJPEG(pixels: pixels, width: width, height: height, channels: 3, quality: 95)
            .write(to: directory.appendingPathComponent(name))
    }

    private func object(_ line: Substring) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], String(line))
    }

    func testChatChecksAndPrintsASchemaAnswerAsOneDocument() throws {
        try jpeg("a.jpg")
        let server = try StructuredOutputStubServer(api: "openai")
        let chat = try vq(
            ["chat", "--schema", SchemaEndToEndTests.concise, "a.jpg"], baseURL: server.baseURL, extraConfig: "api = \"openai\"\n",
            env: ["VQ_LOG_DB": logPath], stdin: Data("Describe\n".utf8))
        XCTAssertEqual(chat.status, 0, chat.stderr)
        XCTAssertEqual(chat.stdout.filter { $0 == "\n" }.count, 1, chat.stdout)
        let answer = try object(Substring(chat.stdout.dropLast()))
        XCTAssertEqual(answer["people"] as? Int, 3, "the checked object, printed compactly: \(chat.stdout)")

        let breaking = try StructuredOutputStubServer(api: "openai", answer: .breaking)
        let refused = try vq(
            ["chat", "--schema", SchemaEndToEndTests.concise, "a.jpg"], baseURL: breaking.baseURL, extraConfig: "api = \"openai\"\n",
            env: ["VQ_LOG_DB": logPath], stdin: Data("Describe\n".utf8))
        XCTAssertEqual(refused.status, 79, "an answer breaking the schema ends a piped chat with 79: \(refused.stderr)")
        XCTAssertEqual(refused.stdout, "", "nothing that breaks the schema is printed as the answer")
        XCTAssertTrue(refused.stderr.hasPrefix("vq: error: "), refused.stderr)
    }

    func testChatWarnsOnceAboutOptionsTheServiceIgnores() throws {
        let server = try StructuredOutputStubServer(api: "ollama")
        let chat = try vq(
            ["chat", "--detail", "low", "--schema", SchemaEndToEndTests.concise], baseURL: server.baseURL,
            extraConfig: "api = \"ollama\"\n", env: ["VQ_LOG_DB": logPath], stdin: Data("One\nTwo\n".utf8))
        XCTAssertEqual(chat.status, 0, chat.stderr)
        XCTAssertEqual(chat.stderr, "vq: warning: stub (ollama) ignores --detail\n")
    }

    func testChatChecksMaxImagesBeforeDownloadingURLImages() throws {
        let server = try OpenAIStubServer()
        let url = server.baseURL + "/pictures/a.png"
        let chat = try vq(
            ["chat"], server: server, extraConfig: "max_images = 1\nimage_urls = \"inline\"\n", env: ["VQ_LOG_DB": logPath],
            stdin: Data("/image \(url)\n/image \(url)\nWhat are these?\n".utf8))
        XCTAssertEqual(chat.status, 65, chat.stderr)
        XCTAssertEqual(chat.stderr, "vq: error: too many images: 2 given, profile 'stub' accepts at most 1 per request\n")
        XCTAssertEqual(server.requests.count, 0, "nothing downloaded or sent")
    }

    func testATemplateReadsTheConfigFileOnce() throws {
        try png("cat.png", width: 10, height: 7)
        let server = try OpenAIStubServer()
        let config =
            try String(contentsOfFile: writeConfig(baseURL: server.baseURL), encoding: .utf8)
            + "\n[templates.alt]\nprompt = \"Write alt text.\"\n"
        // A config read from a pipe can be read once only: a second parse would find it empty.
        let result = try vq(
            ["--config", "/dev/stdin", "-T", "alt", "For a blog.", "cat.png"], baseURL: nil, stdin: Data(config.utf8))
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "Saw 1 image(s): png 10x7.\n")
        let prompt = (server.seen.first?.body["messages"] as? [[String: Any]])?.last.flatMap { ($0["content"] as? [[String: Any]])?.first?["text"] as? String }
        XCTAssertEqual(prompt, "Write alt text.\n\nFor a blog.")
    }

    func testTheQueryTheBatchLineAndTheLogShareOneResultObject() throws {
        try png("cat.png", width: 10, height: 7)
        let server = try OpenAIStubServer()
        let query = try vq(["--json", "Describe", "cat.png"], server: server, env: ["VQ_LOG_DB": logPath])
        XCTAssertEqual(query.status, 0, query.stderr)
        let batch = try vq(["batch", "Describe", "cat.png"], server: server, env: ["VQ_LOG_DB": logPath])
        XCTAssertEqual(batch.status, 0, batch.stderr)
        let logs = try vq(["logs", "--json", "-n", "1"], server: server, env: ["VQ_LOG_DB": logPath])
        XCTAssertEqual(logs.status, 0, logs.stderr)
        let objects = try [query.stdout, batch.stdout, logs.stdout].map { try object(Substring($0.split(separator: "\n")[0])) }
        for (name, object) in zip(["vq --json", "the batch line", "vq logs --json"], objects) {
            XCTAssertEqual(object["profile"] as? String, "stub", name)
            XCTAssertEqual(object["model"] as? String, "stub-vision-1", name)
            XCTAssertEqual(object["finish_reason"] as? String, "stop", name)
            XCTAssertEqual(
                (object["usage"] as? [String: Any])?["prompt_tokens"] as? Int, objects[0]["usage"].flatMap { ($0 as? [String: Any])?["prompt_tokens"] as? Int },
                name)
            XCTAssertTrue(object["error"] is NSNull, name)
            XCTAssertEqual(object["saved_images"] as? [String], [], name)
        }
    }

    func testBatchAndChatSayWhatWasDoneToFitAsTheQueryDoes() throws {
        try photo("big.jpg", width: 1200, height: 800)
        let server = try OpenAIStubServer()
        let limit = "max_image_bytes = 60000\n"
        let query = try vq(["Describe", "big.jpg"], server: server, extraConfig: limit, env: ["VQ_LOG_DB": logPath])
        XCTAssertEqual(query.status, 0, query.stderr)
        let note = try XCTUnwrap(query.stderr.split(separator: "\n").first { $0.contains(" to fit ") }, query.stderr)
        XCTAssertTrue(note.hasPrefix("vq: big.jpg: "), query.stderr)
        let batch = try vq(["batch", "Describe", "big.jpg"], server: server, extraConfig: limit, env: ["VQ_LOG_DB": logPath])
        XCTAssertEqual(batch.status, 0, batch.stderr)
        XCTAssertTrue(batch.stderr.contains(note), batch.stderr)
        let chat = try vq(["chat", "big.jpg"], server: server, extraConfig: limit, env: ["VQ_LOG_DB": logPath], stdin: Data("Describe\n".utf8))
        XCTAssertEqual(chat.status, 0, chat.stderr)
        XCTAssertTrue(chat.stderr.contains(note), chat.stderr)
    }
}
