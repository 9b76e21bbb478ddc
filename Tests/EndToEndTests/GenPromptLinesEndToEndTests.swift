import Foundation
import TestSupport
import XCTest

/// A prompt list's per-line options against the loopback Images API: each line's own options and model reach its
/// request (checked against OpenAI's published schema) over the command line's, go into its result's provenance and
/// its dry-run line; a bad value stops the run with exit 65 naming file, line and field before anything is sent;
/// `--prompts -` reads the list from standard input and resumes by id or line number; dall-e images cost their
/// bundled per-image price.
final class GenPromptLinesEndToEndTests: EndToEndCase {
    private let imagesConfig = "images = true\n"

    private func write(_ name: String, _ text: String) throws {
        let url = directory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    private func records(_ name: String) throws -> [String: [String: Any]] {
        let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
        return Dictionary(
            uniqueKeysWithValues: try text.split(separator: "\n").map { line in
                let record = try parsedObject(String(line))
                return (try XCTUnwrap(record["id"] as? String), record)
            })
    }

    /// The request each prompt was sent in (the stub echoes nothing back, so requests are told apart by their prompt).
    private func request(for prompt: String, in server: ImagesAPIStubServer) throws -> RecordedRequest {
        try XCTUnwrap(
            server.requests.first { request in
                if let body = try? request.json() as? [String: Any] { return body["prompt"] as? String == prompt }
                return form(request)?["prompt"] == prompt
            }, "no request for '\(prompt)'")
    }

    /// A multipart request's parts by name.
    private func parts(_ request: RecordedRequest) -> [String: [Data]]? {
        guard let type = request.header("content-type"), let range = type.range(of: "boundary=") else { return nil }
        return ImagesAPIStubServer.multipart(request.body, boundary: String(type[range.upperBound...]))
    }

    /// A multipart request's text fields.
    private func form(_ request: RecordedRequest) -> [String: String]? {
        parts(request)?.compactMapValues { $0.first.map { String(decoding: $0, as: UTF8.self) } }
    }

    /// An option only edits read (--fidelity) or only generations read (--moderation) is not named at the start of a
    /// list that mixes both; each line whose request leaves it out names it, once.
    func testOptionsForEditsOrGenerationsOnlyAreNamedByTheLinesThatDropThem() throws {
        _ = try png("a.png", width: 16, height: 12)
        try write("mixed.jsonl", "{\"id\": \"new\", \"prompt\": \"a fox\"}\n{\"id\": \"edit\", \"prompt\": \"dusk\", \"images\": [\"a.png\"]}\n")
        let server = try ImagesAPIStubServer(answer: .base64)
        let result = try vq(
            ["gen", "--prompts", "mixed.jsonl", "--out", "gen.jsonl", "-o", "out", "-m", "gpt-image-1", "--fidelity", "high", "--moderation", "low"],
            baseURL: server.baseURL, extraConfig: imagesConfig)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertFalse(result.stderr.contains("vq: warning: stub (openai) ignores"), "nothing is ignored by every line: \(result.stderr)")
        XCTAssertEqual(result.stderr.components(separatedBy: "new: stub (openai) ignores --fidelity").count, 2, result.stderr)
        XCTAssertEqual(result.stderr.components(separatedBy: "edit: stub (openai) ignores --moderation").count, 2, result.stderr)
        let edit = try request(for: "dusk", in: server)
        XCTAssertEqual(form(edit)?["input_fidelity"], "high")
    }

    func testEachLinesOptionsReachItsRequestOverTheCommandLinesAndItsProvenance() throws {
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("lists"), withIntermediateDirectories: true)
        _ = try png("lists/a.png", width: 16, height: 12)
        try mask("lists/mask.png", width: 16, height: 12)
        try write(
            "lists/prompts.jsonl",
            """
            {"id": "plain", "prompt": "a fox"}
            {"id": "big", "prompt": "a heron", "size": "1536x1024", "quality": "HIGH", "n": 2, "background": "transparent", "format": "webp", "compression": 70, "moderation": "low"}
            {"id": "square", "prompt": "a crane", "aspect": "1:1"}
            {"id": "dalle", "prompt": "a lighthouse", "model": "dall-e-3", "quality": "hd", "size": "1792x1024"}
            {"id": "edit", "prompt": "make it dusk", "images": ["a.png"], "mask": "mask.png", "input_fidelity": "high", "count": "2"}

            """)
        let server = try ImagesAPIStubServer(answer: .base64)
        let result = try vq(
            [
                "gen", "--prompts", "lists/prompts.jsonl", "-j", "2", "--out", "gen.jsonl", "-o", "out", "-m", "gpt-image-1", "--quality", "low",
                "--size", "1024x1536", "--format", "png", "-n", "1",
            ], baseURL: server.baseURL, extraConfig: imagesConfig)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(server.requests.count, 5)

        let plain = try XCTUnwrap(try request(for: "a fox", in: server).json() as? [String: Any])
        XCTAssertEqual(plain["model"] as? String, "gpt-image-1")
        XCTAssertEqual(plain["quality"] as? String, "low", "the command line's options where the line gives none")
        XCTAssertEqual(plain["size"] as? String, "1024x1536")
        XCTAssertEqual(plain["output_format"] as? String, "png")
        XCTAssertEqual(plain["n"] as? Int, 1)
        let big = try XCTUnwrap(try request(for: "a heron", in: server).json() as? [String: Any])
        XCTAssertEqual(big["size"] as? String, "1536x1024")
        XCTAssertEqual(big["quality"] as? String, "high", "a value is taken as its flag takes it (lower case)")
        XCTAssertEqual(big["n"] as? Int, 2)
        XCTAssertEqual(big["background"] as? String, "transparent")
        XCTAssertEqual(big["output_format"] as? String, "webp")
        XCTAssertEqual(big["output_compression"] as? Int, 70)
        XCTAssertEqual(big["moderation"] as? String, "low")
        let square = try XCTUnwrap(try request(for: "a crane", in: server).json() as? [String: Any])
        XCTAssertEqual(square["size"] as? String, "1024x1024", "the line's aspect replaces the command line's --size")
        XCTAssertEqual(square["quality"] as? String, "low")
        let dalle = try XCTUnwrap(try request(for: "a lighthouse", in: server).json() as? [String: Any])
        XCTAssertEqual(dalle["model"] as? String, "dall-e-3", "the line's model")
        XCTAssertEqual(dalle["quality"] as? String, "hd")
        XCTAssertEqual(dalle["size"] as? String, "1792x1024")
        XCTAssertNil(dalle["output_format"], "dall-e has no output format")
        XCTAssertTrue(result.stderr.contains("dalle: stub (openai) ignores --format with model dall-e-3"), result.stderr)
        let edit = try request(for: "make it dusk", in: server)
        XCTAssertTrue(edit.path.hasSuffix("/images/edits"))
        let fields = try XCTUnwrap(form(edit))
        XCTAssertEqual(fields["input_fidelity"], "high")
        XCTAssertEqual(fields["n"], "2", "\"count\" is -n")
        XCTAssertEqual(fields["quality"], "low")
        let uploaded = try XCTUnwrap(parts(edit))
        XCTAssertEqual(uploaded["mask"]?.count, 1, "the line's mask, found beside the prompt list")
        XCTAssertEqual(uploaded["image[]"]?.count, 1)

        let generations = server.requests.filter { $0.path.hasSuffix("/images/generations") }
        XCTAssertEqual(generations.count, 4)
        try assertConformsToOpenAISchema(generations.map(\.body), schema: "CreateImageRequest", closed: true)
        try assertConformsToOpenAISchema([edit.body], schema: "CreateImageEditRequest", closed: true, multipart: true)

        let lines = try records("gen.jsonl")
        XCTAssertEqual(lines.count, 5)
        for (id, expected) in [
            ("plain", ["quality": "low", "size": "1024x1536"]), ("big", ["quality": "high", "size": "1536x1024", "format": "webp"]),
            ("square", ["quality": "low", "aspect": "1:1"]), ("dalle", ["quality": "hd", "size": "1792x1024"]),
            ("edit", ["input_fidelity": "high", "mask": "mask.png"]),
        ] {
            let record = try XCTUnwrap(lines[id])
            XCTAssertTrue(record["error"] is NSNull, "\(record)")
            let options = try XCTUnwrap((record["provenance"] as? [String: Any])?["options"] as? [String: Any], "\(record)")
            for (name, value) in expected { XCTAssertEqual(options[name] as? String, value, "\(id): \(name) in \(options)") }
        }
        XCTAssertNil(((lines["square"]?["provenance"] as? [String: Any])?["options"] as? [String: Any])?["size"], "the line's shape alone")
        XCTAssertEqual((lines["dalle"]?["provenance"] as? [String: Any])?["model"] as? String, "dall-e-3")
        XCTAssertEqual(lines["dalle"]?["model"] as? String, "dall-e-3", "the line's model, which the Images API does not echo")
        XCTAssertEqual(lines["plain"]?["model"] as? String, "gpt-image-1")
        XCTAssertEqual(lines["edit"]?["images"] as? [String], ["lists/a.png"], "a line's paths are relative to its list")
        XCTAssertEqual((lines["big"]?["saved_images"] as? [String])?.count, 2)
        let inFile = try pngProvenance(try XCTUnwrap((lines["dalle"]?["saved_images"] as? [String])?.first))
        XCTAssertEqual((inFile["options"] as? [String: Any])?["quality"] as? String, "hd")
    }

    func testTheDryRunShowsEachLinesOptionsAndSendsNothing() throws {
        try write(
            "p.jsonl",
            "{\"id\": \"a\", \"prompt\": \"a fox\"}\n{\"id\": \"b\", \"prompt\": \"a heron\", \"model\": \"dall-e-2\", \"size\": \"512x512\", \"n\": 3}\n")
        let server = try ImagesAPIStubServer(answer: .base64)
        let result = try vq(["gen", "--prompts", "p.jsonl", "--quality", "low", "--dry-run"], baseURL: server.baseURL, extraConfig: imagesConfig)
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n").sorted()
        XCTAssertEqual(lines, ["would send a: a fox", "would send b: a heron [model dall-e-2, n 3, size 512x512]"], result.stdout)
        XCTAssertTrue(server.requests.isEmpty)
    }

    /// The provider-batch route builds its lines from the same query: each line's options and model are in its body.
    func testEachLinesOptionsReachItsProviderBatchLine() throws {
        try write(
            "p.jsonl",
            "{\"id\": \"a\", \"prompt\": \"a fox\", \"quality\": \"high\", \"size\": \"1536x1024\"}\n{\"id\": \"b\", \"prompt\": \"a heron\", \"model\": \"gpt-image-1-mini\"}\n"
        )
        let server = try ImagesAPIStubServer(answer: .base64)
        let result = try vq(
            ["gen", "--prompts", "p.jsonl", "--provider-batch", "-m", "gpt-image-1", "--quality", "low", "--out", "g.jsonl", "--dry-run"],
            baseURL: server.baseURL, extraConfig: imagesConfig)
        XCTAssertEqual(result.status, 0, result.stderr)
        let bodies = try result.stdout.split(separator: "\n").map { try XCTUnwrap(try parsedObject(String($0))["body"] as? [String: Any]) }
        let byPrompt = Dictionary(uniqueKeysWithValues: bodies.map { ($0["prompt"] as? String ?? "", $0) })
        XCTAssertEqual(byPrompt["a fox"]?["quality"] as? String, "high")
        XCTAssertEqual(byPrompt["a fox"]?["size"] as? String, "1536x1024")
        XCTAssertEqual(byPrompt["a fox"]?["model"] as? String, "gpt-image-1")
        XCTAssertEqual(byPrompt["a heron"]?["quality"] as? String, "low")
        XCTAssertEqual(byPrompt["a heron"]?["model"] as? String, "gpt-image-1-mini")
        XCTAssertTrue(server.requests.isEmpty)
    }

    /// Options a line's model has no field for are named once however many lines ask them; a budget needs a price for
    /// every line's model before anything is sent.
    func testIgnoredLineOptionsAreNamedOnceAndABudgetNeedsEachLinesModelPriced() throws {
        try write("p.jsonl", (1...3).map { "{\"id\": \"d\($0)\", \"prompt\": \"a fox \($0)\", \"model\": \"dall-e-3\"}" }.joined(separator: "\n") + "\n")
        let server = try ImagesAPIStubServer(answer: .base64)
        let dry = try vq(["gen", "--prompts", "p.jsonl", "--format", "webp", "--dry-run"], baseURL: server.baseURL, extraConfig: imagesConfig)
        XCTAssertEqual(dry.status, 0, dry.stderr)
        XCTAssertEqual(dry.stderr.components(separatedBy: "ignores --format with model dall-e-3").count, 2, "said once: \(dry.stderr)")

        let priced = imagesConfig + "\n[prices.\"gpt-image-1\"]\ninput = 5\noutput = 40\n"
        let budget = try vq(
            ["gen", "--prompts", "p.jsonl", "-m", "gpt-image-1", "--max-cost", "1", "--out", "g.jsonl"], baseURL: server.baseURL, extraConfig: priced)
        XCTAssertEqual(budget.status, 78, budget.stderr)
        XCTAssertTrue(budget.stderr.contains("--max-cost needs the price of model 'dall-e-3'"), budget.stderr)
        XCTAssertTrue(server.requests.isEmpty)
    }

    func testABadValueInALineIsExit65NamingFileLineAndFieldBeforeAnythingIsSent() throws {
        let server = try ImagesAPIStubServer(answer: .base64)
        let first = "{\"prompt\": \"a fox\"}\n"
        let cases: [(String, String)] = [
            ("{\"prompt\": \"a\", \"size\": \"huge\"}", "p.jsonl:2: invalid value 'huge' for \"size\": expected WIDTHxHEIGHT such as 1024x1024, or auto"),
            ("{\"prompt\": \"a\", \"n\": 11}", "p.jsonl:2: invalid value '11' for \"n\": expected a whole number from 1 to 10"),
            ("{\"prompt\": \"a\", \"n\": 2.5}", "p.jsonl:2: invalid value '2.5' for \"n\": expected a whole number from 1 to 10"),
            ("{\"prompt\": \"a\", \"quality\": \"ultra\"}", "p.jsonl:2: invalid value 'ultra' for \"quality\": expected low, medium, high, auto, standard, hd"),
            ("{\"prompt\": \"a\", \"aspect\": \"wide\"}", "p.jsonl:2: invalid value 'wide' for \"aspect\": expected W:H such as 16:9"),
            ("{\"prompt\": \"a\", \"compression\": true}", "p.jsonl:2: \"compression\" must be a string or a number"),
            ("{\"prompt\": \"a\", \"n\": 1, \"count\": 2}", "p.jsonl:2: \"count\" and \"n\" both give -n"),
            ("{\"prompt\": \"a\", \"mask\": \"m.png\"}", "p.jsonl:2: \"mask\" edits an image: give the line's \"images\" too"),
            ("{\"prompt\": \"a\", \"background\": \"transparent\"}", "p.jsonl:2: a transparent \"background\" needs \"format\" png or webp"),
            ("{\"prompt\": \"a\", \"model\": \"\"}", "p.jsonl:2: \"model\" must be a non-empty string"),
            ("{\"prompt\": \"a\", \"profile\": \"other\"}", "p.jsonl:2: a line cannot choose the profile"),
            ("{\"prompt\": \"a\", \"partial-images\": 2}", "p.jsonl:2: unknown field 'partial-images'"),
        ]
        for (line, message) in cases {
            try write("p.jsonl", first + line + "\n")
            let result = try vq(["gen", "--prompts", "p.jsonl", "--format", "jpeg", "-o", "out"], baseURL: server.baseURL, extraConfig: imagesConfig)
            XCTAssertEqual(result.status, 65, "\(line): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains(message), "\(line): \(result.stderr)")
            XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)
        }
        XCTAssertTrue(server.requests.isEmpty, "no traffic for a bad line, not even for the good line before it")

        // The same check as the flag's: the same words after "expected".
        for (flag, value, field) in [("--size", "huge", "size"), ("-n", "11", "n"), ("--quality", "ultra", "quality")] {
            let command = try vq(["gen", "a fox", flag, value], baseURL: server.baseURL, extraConfig: imagesConfig)
            XCTAssertEqual(command.status, 64, command.stderr)
            let expected = try XCTUnwrap(command.stderr.range(of: "expected ")).upperBound
            try write("p.jsonl", "{\"prompt\": \"a\", \"\(field)\": \"\(value)\"}\n")
            let listed = try vq(["gen", "--prompts", "p.jsonl"], baseURL: server.baseURL, extraConfig: imagesConfig)
            XCTAssertTrue(listed.stderr.hasSuffix(String(command.stderr[expected...])), "\(listed.stderr) vs \(command.stderr)")
        }
    }

    func testPromptsFromStandardInputAsTextResumeByLineNumber() throws {
        let list = Data("a fox\nrefuse the heron\n".utf8)
        let refusing = try ImagesAPIStubServer(answer: .base64, refusing: "refuse")
        let first = try vq(["gen", "--prompts", "-", "--out", "gen.jsonl", "-o", "out"], baseURL: refusing.baseURL, extraConfig: imagesConfig, stdin: list)
        XCTAssertEqual(first.status, 1, first.stderr)
        XCTAssertTrue((try records("gen.jsonl")["line-2"]?["error"] as? String)?.contains("moderation_blocked") == true)

        let server = try ImagesAPIStubServer(answer: .base64, echoesPrompt: true)
        let again = try vq(
            ["gen", "--prompts", "-", "--out", "gen.jsonl", "--resume", "-o", "out"], baseURL: server.baseURL, extraConfig: imagesConfig, stdin: list)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stderr.contains("1 already answered"), again.stderr)
        XCTAssertEqual(server.requests.count, 1, "only line 2 is asked again")
        let lines = try records("gen.jsonl")
        XCTAssertEqual(Set(lines.keys), ["line-1", "line-2"])
        XCTAssertEqual(lines["line-2"]?["revised_prompts"] as? [String], ["Revised: refuse the heron"])
    }

    func testPromptsFromStandardInputAsJSONLinesResumeByIdWithPathsFromTheCurrentFolder() throws {
        _ = try png("a.png", width: 16, height: 12)
        let list = Data(
            """
            {"id": "dusk", "prompt": "make it dusk", "images": ["a.png"], "quality": "high"}
            {"id": "fox", "prompt": "refuse the fox", "size": "1024x1024"}

            """.utf8)
        let refusing = try ImagesAPIStubServer(answer: .base64, refusing: "refuse")
        let first = try vq(["gen", "--prompts", "-", "--out", "gen.jsonl", "-o", "out"], baseURL: refusing.baseURL, extraConfig: imagesConfig, stdin: list)
        XCTAssertEqual(first.status, 1, first.stderr)
        XCTAssertEqual(form(try request(for: "make it dusk", in: refusing))?["quality"], "high")
        XCTAssertTrue(try records("gen.jsonl")["dusk"]?["error"] is NSNull)

        let server = try ImagesAPIStubServer(answer: .base64)
        let again = try vq(
            ["gen", "--prompts", "-", "--out", "gen.jsonl", "--resume", "-o", "out"], baseURL: server.baseURL, extraConfig: imagesConfig, stdin: list)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(server.requests.count, 1, "only the refused id is asked again")
        XCTAssertEqual((try server.requests[0].json() as? [String: Any])?["size"] as? String, "1024x1024", "with its own options")
        XCTAssertEqual(Set(try records("gen.jsonl").keys), ["dusk", "fox"])
    }

    func testStandardInputCannotBeTheListAndAnImageOrTheMask() throws {
        let server = try ImagesAPIStubServer(answer: .base64)
        for (arguments, list, message) in [
            (["gen", "--prompts", "-"], "{\"prompt\": \"dusk\", \"images\": [\"-\"]}\n", "stdin:1: \"images\" names standard input ('-')"),
            (["gen", "--prompts", "-", "--mask", "-"], "a fox\n", "'--prompts -' reads the prompt list from standard input, so '--mask -'"),
        ] {
            let result = try vq(arguments, baseURL: server.baseURL, extraConfig: imagesConfig, stdin: Data(list.utf8))
            XCTAssertEqual(result.status, 64, result.stderr)
            XCTAssertTrue(result.stderr.contains(message), result.stderr)
        }
        XCTAssertTrue(server.requests.isEmpty)
    }

    /// dall-e images cost OpenAI's per-image price from the bundled table: a dry run needs no server; the result goes
    /// through `http_proxy` to the stub, so the base URL still names OpenAI's host and its prices apply.
    func testDallEImagesCostTheirBundledPerImagePrice() throws {
        let openAI = "http://api.openai.com/v1"
        for (arguments, total, each) in [
            (["-m", "dall-e-3", "--quality", "hd", "--size", "1792x1024"], "~$0.12", "$0.12"),
            (["-m", "dall-e-3"], "~$0.04", "$0.04"),
            (["-m", "dall-e-2", "-n", "2", "--size", "512x512"], "~$0.036", "$0.018"),
        ] {
            let dry = try vq(["gen", "a fox", "--dry-run"] + arguments, baseURL: openAI, extraConfig: imagesConfig)
            XCTAssertEqual(dry.status, 0, dry.stderr)
            XCTAssertTrue(dry.stderr.contains("estimated cost: \(total) (input and"), "\(arguments): \(dry.stderr)")
            XCTAssertTrue(dry.stderr.contains("at \(each) each"), "\(arguments): \(dry.stderr)")
        }
        try write(
            "p.jsonl",
            "{\"prompt\": \"a\", \"model\": \"dall-e-2\", \"size\": \"256x256\"}\n{\"prompt\": \"b\", \"model\": \"dall-e-3\", \"quality\": \"hd\"}\n")
        let list = try vq(["gen", "--prompts", "p.jsonl", "--dry-run"], baseURL: openAI, extraConfig: imagesConfig)
        XCTAssertTrue(list.stderr.contains("estimated cost: ~$0.096 (input, and each prompt's images"), list.stderr)

        let server = try ImagesAPIStubServer(answer: .base64)
        let proxy = ["http_proxy": String(server.baseURL.dropLast("/v1".count))]
        let made = try vq(
            ["gen", "a fox", "-m", "dall-e-3", "--quality", "hd", "--json", "-o", "out"], baseURL: openAI, extraConfig: imagesConfig, env: proxy)
        XCTAssertEqual(made.status, 0, made.stderr)
        XCTAssertEqual(server.requests.count, 1, "through the proxy to the stub")
        let cost = try XCTUnwrap(try parsedObject(made.stdout)["cost"] as? [String: Any])
        XCTAssertEqual(try XCTUnwrap(cost["usd"] as? Double), 0.08, accuracy: 1e-12, "one hd 1024x1024 image; dall-e's tokens cost nothing")
        XCTAssertTrue((cost["prices"] as? String)?.hasPrefix("bundled") == true, "\(cost)")

        let batch = try vq(["gen", "--prompts", "p.jsonl", "--out", "g.jsonl", "-o", "out"], baseURL: openAI, extraConfig: imagesConfig, env: proxy)
        XCTAssertEqual(batch.status, 0, batch.stderr)
        let lines = try records("g.jsonl")
        for (id, usd) in [("line-1", 0.016), ("line-2", 0.08)] {
            XCTAssertEqual(try XCTUnwrap((lines[id]?["cost"] as? [String: Any])?["usd"] as? Double, "\(lines)"), usd, accuracy: 1e-12, id)
        }
    }
}
