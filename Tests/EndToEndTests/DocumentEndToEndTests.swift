import Foundation
import Imaging
import TestSupport
import XCTest

/// `vq "Extract the invoice total" invoice.pdf` on every api against its stub: sent whole where the service reads
/// PDFs (openai, openai-responses, anthropic, gemini), rendered page by page elsewhere (ollama, masterpiecex, an
/// openai profile with pdf = "render"), with --pages, --dry-run, --json, -c, vq chat and vq batch.
final class DocumentEndToEndTests: EndToEndCase {
    private var logPath: String { directory.appendingPathComponent("logs.db").path }

    override func setUpWithError() throws {
        try super.setUpWithError()
        let invoice = TestPDF.make([
            TestPDF.Page(text: "Invoice 42"),
            TestPDF.Page(text: "Total 99 EUR", image: true),
            TestPDF.Page(rotate: 90, text: "Thank you"),
        ])
        try invoice.write(to: directory.appendingPathComponent("invoice.pdf"))
    }

    private func run(_ api: String?, _ baseURL: String, _ arguments: [String], extra: String = "", stdin: Data? = nil) throws -> VQProcess.Result {
        try vq(arguments, baseURL: baseURL, extraConfig: (api.map { "api = \"\($0)\"\n" } ?? "") + extra, env: ["VQ_LOG_DB": logPath], stdin: stdin)
    }

    /// The stubs of the apis that read PDFs, with the api name their profile needs.
    private func nativeStubs() throws -> [(api: String, baseURL: String, server: AnyObject)] {
        let openai = try OpenAIStubServer()
        let responses = try ResponsesStubServer()
        let anthropic = try AnthropicStubServer()
        let gemini = try GeminiStubServer()
        return [
            ("openai", openai.baseURL, openai), ("openai-responses", responses.baseURL, responses),
            ("anthropic", anthropic.baseURL, anthropic), ("gemini", gemini.baseURL, gemini),
        ]
    }

    func testEveryApiThatReadsPDFsGetsTheDocumentWhole() throws {
        for stub in try nativeStubs() {
            let whole = try run(stub.api, stub.baseURL, ["Extract the invoice total", "invoice.pdf"])
            XCTAssertEqual(whole.status, 0, "\(stub.api): \(whole.stderr)")
            XCTAssertEqual(whole.stdout, "Saw 0 image(s). Read 1 PDF(s): 3 pages.\n", stub.api)
            let two = try run(stub.api, stub.baseURL, ["--pages", "2-3", "Extract the invoice total", "invoice.pdf"])
            XCTAssertEqual(two.stdout, "Saw 0 image(s). Read 1 PDF(s): 2 pages.\n", "\(stub.api): --pages sends a PDF of just those: \(two.stderr)")
            let json = try run(stub.api, stub.baseURL, ["--json", "Extract the invoice total", "invoice.pdf"])
            let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any], json.stdout)
            XCTAssertEqual(object["text"] as? String, "Saw 0 image(s). Read 1 PDF(s): 3 pages.", stub.api)
            assertKeyNeverShown(whole)
        }
    }

    func testBedrockGetsTheDocumentAsADocumentBlock() throws {
        let stub = try BedrockStubServer(sessionToken: "FwoGZXIvYXdzEStubSessionToken")
        let config = directory.appendingPathComponent("bedrock.toml").path
        try """
        default_profile = "cloud"
        [profiles.cloud]
        api = "bedrock"
        base_url = "\(stub.baseURL)"
        model = "eu.anthropic.claude-sonnet-4-20250514-v1:0"
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let env = [
            "VQ_CONFIG": config, "AWS_REGION": stub.region, "AWS_ACCESS_KEY_ID": "AKIDSTUBEXAMPLE", "AWS_SECRET_ACCESS_KEY": "stub/secret+KEY",
            "AWS_SESSION_TOKEN": "FwoGZXIvYXdzEStubSessionToken", "VQ_LOG_DB": logPath,
        ]
        let result = try VQProcess.run(["--pages", "1-2", "Extract the invoice total", "invoice.pdf"], environment: env, directory: directory)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "Saw 0 image(s). Read 1 PDF(s): 2 pages.\n")
    }

    func testAPDFByURLIsReadByVqAndSentByItsRoute() throws {
        let pdf = try Data(contentsOf: directory.appendingPathComponent("invoice.pdf"))
        let files = try LoopbackHTTPServer { _, writer in writer.respond(status: 200, headers: [("Content-Type", "application/pdf")], body: pdf) }
        let openai = try OpenAIStubServer()
        defer { openai.stop() }
        let result = try run(nil, openai.baseURL, ["Extract the invoice total", files.baseURL + "/docs/invoice.pdf?v=2"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "Saw 0 image(s). Read 1 PDF(s): 3 pages.\n", "downloaded, not passed as an image URL")
        XCTAssertEqual(files.requests.count, 1)
    }

    func testOtherApisGetOneImagePerPage() throws {
        let ollama = try OllamaStubServer()
        let rendered = try run("ollama", ollama.baseURL, ["-v", "Extract the invoice total", "invoice.pdf"])
        XCTAssertEqual(rendered.status, 0, rendered.stderr)
        XCTAssertTrue(rendered.stdout.hasPrefix("Saw 3 image(s): "), rendered.stdout)
        for page in 1...3 { XCTAssertTrue(rendered.stderr.contains("vq: page invoice.pdf#p\(page) "), rendered.stderr) }
        let one = try run("ollama", ollama.baseURL, ["--pages", "3", "Extract the invoice total", "invoice.pdf"])
        XCTAssertTrue(one.stdout.hasPrefix("Saw 1 image(s): "), one.stdout)
        let landscape = try XCTUnwrap(one.stdout.split(separator: " ").last { $0.contains("x") }?.split(separator: "x"), one.stdout)
        XCTAssertGreaterThan(Int(landscape[0]) ?? 0, Int(landscape[1].prefix { $0.isNumber }) ?? 0, "the rotated page is rendered as displayed")

        let openai = try OpenAIStubServer()
        defer { openai.stop() }
        let byProfile = try run(nil, openai.baseURL, ["Extract the invoice total", "invoice.pdf"], extra: "pdf = \"render\"\n")
        XCTAssertEqual(byProfile.status, 0, byProfile.stderr)
        XCTAssertTrue(byProfile.stdout.hasPrefix("Saw 3 image(s): "), byProfile.stdout)
        let byFlag = try run(nil, openai.baseURL, ["--pdf", "render", "--pages", "1", "Extract the invoice total", "invoice.pdf"])
        XCTAssertTrue(byFlag.stdout.hasPrefix("Saw 1 image(s): "), byFlag.stdout)

        let mpx = try MasterpiecexStubServer()
        let uploaded = try run("masterpiecex", mpx.baseURL, ["--pages", "1-2", "Extract the invoice total", "invoice.pdf"], extra: "poll_interval = 0.05\n")
        XCTAssertEqual(uploaded.status, 0, uploaded.stderr)
        XCTAssertTrue(uploaded.stdout.hasPrefix("Saw 2 image(s): "), uploaded.stdout)
    }

    func testRenderedPagesCountTowardsMaxImagesOnEveryRoute() throws {
        let openai = try OpenAIStubServer()
        defer { openai.stop() }
        let limit = "pdf = \"render\"\nmax_images = 2\n"
        let query = try run(nil, openai.baseURL, ["Extract the invoice total", "invoice.pdf"], extra: limit)
        XCTAssertEqual(query.status, 65, query.stderr)
        XCTAssertEqual(
            query.stderr,
            "vq: error: too many images: 3 given (3 of them rendered PDF pages; --pages sends fewer), profile 'stub' accepts at most 2 per request\n")
        let batch = try run(nil, openai.baseURL, ["batch", "Extract the invoice total", "invoice.pdf"], extra: limit)
        XCTAssertEqual(batch.status, 1, batch.stderr)
        XCTAssertTrue(batch.stdout.contains("too many images: 3 given"), batch.stdout)
        XCTAssertEqual(openai.requests.count, 0)
        let fewer = try run(nil, openai.baseURL, ["--pages", "1-2", "Extract the invoice total", "invoice.pdf"], extra: limit)
        XCTAssertEqual(fewer.status, 0, fewer.stderr)
    }

    func testARefusedFilePartIsRenderedAndSentOnceMore() throws {
        let gateway = try OpenAIStubServer(fault: .refusesFileParts)
        defer { gateway.stop() }
        let result = try run(nil, gateway.baseURL, ["Extract the invoice total", "invoice.pdf"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.hasPrefix("Saw 3 image(s): "), result.stdout)
        XCTAssertTrue(result.stderr.contains("pdf = \"render\""), result.stderr)
        XCTAssertEqual(gateway.requests.count, 2, "one refused, one rendered")
        let selected = try run(nil, gateway.baseURL, ["-v", "--pages", "2-3", "Extract the invoice total", "invoice.pdf"])
        XCTAssertTrue(selected.stdout.hasPrefix("Saw 2 image(s): "), selected.stdout)
        XCTAssertTrue(selected.stderr.contains("vq: page invoice.pdf#p3 "), "rendered pages keep their numbers: \(selected.stderr)")
        let batch = try run(nil, gateway.baseURL, ["batch", "Extract the invoice total", "invoice.pdf"])
        XCTAssertEqual(batch.status, 0, batch.stderr)
        XCTAssertTrue(batch.stdout.contains(#""output":"Saw 3 image(s): "#), batch.stdout)
        XCTAssertEqual(batch.stderr.components(separatedBy: "pdf = \"render\"").count, 2, "said once: \(batch.stderr)")
        let explicit = try run(nil, gateway.baseURL, ["Extract the invoice total", "invoice.pdf"], extra: "pdf = \"native\"\n")
        XCTAssertEqual(explicit.status, 65, "a profile that says pdf = \"native\" is not second-guessed: \(explicit.stderr)")
    }

    func testEncryptedTruncatedAndCorruptPDFsAreRefusedBeforeSending() throws {
        let server = try OpenAIStubServer()
        defer { server.stop() }
        let pdf = try Data(contentsOf: directory.appendingPathComponent("invoice.pdf"))
        try TestPDF.encrypted(pdf, password: "secret").write(to: directory.appendingPathComponent("locked.pdf"))
        try pdf.prefix(pdf.count / 2).write(to: directory.appendingPathComponent("cut.pdf"))
        try (Data("%PDF-1.4\n".utf8) + Data(repeating: 0x41, count: 400) + Data("\n%%EOF\n".utf8)).write(to: directory.appendingPathComponent("junk.pdf"))
        for (name, reason) in [("locked.pdf", "encrypted PDF"), ("cut.pdf", "truncated"), ("junk.pdf", "PDF")] {
            for route in ["native", "render"] {
                let result = try run(nil, server.baseURL, ["--pdf", route, "Extract the invoice total", name])
                XCTAssertEqual(result.status, 65, "\(name) \(route): \(result.stderr)")
                XCTAssertTrue(result.stderr.hasPrefix("vq: error: \(name): "), result.stderr)
                XCTAssertTrue(result.stderr.contains(reason), result.stderr)
            }
        }
        XCTAssertEqual(server.requests.count, 0)
    }

    func testOverTheServicesPageLimitNativeStopsNamingTheLimitAndPages() throws {
        let long = TestPDF.make(Array(repeating: TestPDF.Page(width: 200, height: 200), count: 101))
        try long.write(to: directory.appendingPathComponent("long.pdf"))
        let server = try AnthropicStubServer()
        let result = try run("anthropic", server.baseURL, ["--pdf", "native", "Summarise", "long.pdf"])
        XCTAssertEqual(result.status, 65, result.stderr)
        XCTAssertTrue(result.stderr.contains("101 pages, over profile 'stub''s limit of 100 pages per request"), result.stderr)
        XCTAssertTrue(result.stderr.contains("--pages"), result.stderr)
        let selected = try run("anthropic", server.baseURL, ["--pdf", "native", "--pages", "1-100", "Summarise", "long.pdf"])
        XCTAssertEqual(selected.stdout, "Saw 0 image(s). Read 1 PDF(s): 100 pages.\n", selected.stderr)
    }

    func testDryRunShowsPagesBytesAndTokensPerRoute() throws {
        let gemini = try GeminiStubServer()
        let native = try run("gemini", gemini.baseURL, ["--dry-run", "Extract the invoice total", "invoice.pdf"])
        XCTAssertEqual(native.status, 0, native.stderr)
        XCTAssertTrue(native.stderr.contains("vq: invoice.pdf: all 3 pages sent whole as a PDF ("), native.stderr)
        XCTAssertTrue(native.stderr.contains("vq: document invoice.pdf (3 page(s)): ~774 input tokens"), native.stderr)
        let rendered = try run("gemini", gemini.baseURL, ["--dry-run", "--pdf", "render", "--pages", "1,3", "Extract the invoice total", "invoice.pdf"])
        XCTAssertTrue(rendered.stderr.contains("vq: invoice.pdf: pages 1, 3 of 3 rendered as 2 image(s) ("), rendered.stderr)
        XCTAssertTrue(rendered.stderr.contains("vq: page invoice.pdf#p3: ~"), rendered.stderr)
        XCTAssertEqual(gemini.requests.count, 0)
    }

    func testConversationsKeepTheDocument() throws {
        let anthropic = try AnthropicStubServer()
        let first = try run("anthropic", anthropic.baseURL, ["Extract the invoice total", "invoice.pdf"])
        XCTAssertEqual(first.status, 0, first.stderr)
        try FileManager.default.removeItem(at: directory.appendingPathComponent("invoice.pdf"))
        let followUp = try run("anthropic", anthropic.baseURL, ["-c", "And the date?"])
        XCTAssertEqual(followUp.status, 0, followUp.stderr)
        XCTAssertEqual(followUp.stdout, "Saw 0 image(s). Read 1 PDF(s): 3 pages. Turns: 3.\n", "the PDF is sent again from the log")

        let ollama = try OllamaStubServer()
        let elsewhere = try run("ollama", ollama.baseURL, ["-c", "And in short?"])
        XCTAssertEqual(elsewhere.status, 0, elsewhere.stderr)
        XCTAssertTrue(elsewhere.stdout.hasPrefix("Saw 3 image(s): "), "a service without PDFs gets the logged PDF's pages: \(elsewhere.stdout)")
    }

    func testChatTakesPDFsWithImageAndFromTheStart() throws {
        let openai = try OpenAIStubServer()
        defer { openai.stop() }
        let chat = try run(nil, openai.baseURL, ["chat", "invoice.pdf"], stdin: Data("Total?\n/image invoice.pdf\nAgain?\n".utf8))
        XCTAssertEqual(chat.status, 0, chat.stderr)
        XCTAssertEqual(chat.stdout, "Saw 0 image(s). Read 1 PDF(s): 3 pages.\nSaw 0 image(s). Read 2 PDF(s): 3 pages, 3 pages.\n")
    }

    func testBatchTakesPDFsLikeImagesAndPerPageWritesTheMarkdownInPageOrder() throws {
        let openai = try OpenAIStubServer()
        defer { openai.stop() }
        _ = try png("cat.png", width: 10, height: 7)
        let batch = try run(nil, openai.baseURL, ["batch", "Extract", "invoice.pdf", "cat.png"])
        XCTAssertEqual(batch.status, 0, batch.stderr)
        let lines = batch.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        XCTAssertEqual(Set(lines.compactMap { $0["image"] as? String }), ["invoice.pdf", "cat.png"])
        XCTAssertEqual(lines.first { $0["image"] as? String == "invoice.pdf" }?["output"] as? String, "Saw 0 image(s). Read 1 PDF(s): 3 pages.")

        let out = directory.appendingPathComponent("pages.jsonl").path
        let perPage = try run(nil, openai.baseURL, ["batch", "--per-page", "--pdf", "render", "--out", out, "Extract", "invoice.pdf"])
        XCTAssertEqual(perPage.status, 0, perPage.stderr)
        let pageLines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
            .compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        XCTAssertEqual(Set(pageLines.compactMap { $0["image"] as? String }), ["invoice.pdf#p1", "invoice.pdf#p2", "invoice.pdf#p3"])
        XCTAssertTrue(pageLines.allSatisfy { ($0["key"] as? String)?.hasSuffix("invoice.pdf#p\(($0["image"] as! String).suffix(1))") == true }, "\(pageLines)")
        XCTAssertEqual(openai.seen.suffix(3).map(\.images.count), [1, 1, 1], "one request per page")
        let resumed = try run(nil, openai.baseURL, ["batch", "--per-page", "--pdf", "render", "--out", out, "--resume", "Extract", "invoice.pdf"])
        XCTAssertTrue(resumed.stderr.contains("3 already answered"), resumed.stderr)

        let sidecar = try run(nil, openai.baseURL, ["batch", "--per-page", "--pages", "1,2", "--sidecar", "md", "Extract", "invoice.pdf"])
        XCTAssertEqual(sidecar.status, 0, sidecar.stderr)
        let markdown = try String(contentsOfFile: directory.appendingPathComponent("invoice.md").path, encoding: .utf8)
        XCTAssertEqual(markdown, "Saw 0 image(s). Read 1 PDF(s): 1 page.\n\nSaw 0 image(s). Read 1 PDF(s): 1 page.\n")
    }
}
