import Imaging
import TestSupport
import XCTest

/// `vq gen --prompts FILE` against the loopback Images API: one line per prompt with its saved images and provenance,
/// images named after each item's id and never overwritten, a refused prompt a line with its error, resume after a
/// kill making every prompt exactly once, and bad prompt lists stopped before anything is sent.
final class GenBatchEndToEndTests: EndToEndCase {
    private let imagesConfig = "images = true\n"

    private func write(_ name: String, _ text: String) throws {
        try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    private func lines(_ name: String) throws -> [[String: Any]] {
        try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8).split(separator: "\n").map { try parsedObject(String($0)) }
    }

    func testEachPromptGetsALineWithItsImagesNamedByItsIdAndTheirProvenance() throws {
        _ = try png("a.png", width: 16, height: 12)
        try write(
            "prompts.jsonl",
            """
            {"prompt": "a watercolour fox", "id": "fox"}
            {"prompt": "a heron at dawn"}

            {"prompt": "make it dusk", "images": ["a.png"], "id": "dusk/1"}

            """)
        let server = try ImagesAPIStubServer(answer: .base64, echoesPrompt: true)
        let result = try vq(
            ["gen", "--prompts", "prompts.jsonl", "-j", "2", "--out", "gen.jsonl", "-o", "out", "-m", "gpt-image-1", "-n", "2", "--quality", "low"],
            baseURL: server.baseURL, extraConfig: imagesConfig)
        XCTAssertEqual(result.status, 0, result.stderr)
        assertKeyNeverShown(result)
        XCTAssertEqual(server.requests.filter { $0.path == "/v1/images/generations" }.count, 2)
        XCTAssertEqual(server.requests.filter { $0.path == "/v1/images/edits" }.count, 1, "the line with images is an edit")
        let records = try lines("gen.jsonl")
        XCTAssertEqual(records.count, 3)
        let byID = Dictionary(uniqueKeysWithValues: records.map { ($0["id"] as! String, $0) })
        XCTAssertEqual(Set(byID.keys), ["fox", "line-2", "dusk/1"], "an id, or line-N for a line without one")
        let expected: [String: (prompt: String, stem: String, width: Int)] = [
            "fox": ("a watercolour fox", "fox", 8), "line-2": ("a heron at dawn", "line-2", 8), "dusk/1": ("make it dusk", "dusk_1", 16),
        ]
        for (id, want) in expected {
            let record = try XCTUnwrap(byID[id])
            XCTAssertTrue(record["error"] is NSNull, "\(record)")
            XCTAssertEqual(record["key"] as? String, id)
            XCTAssertEqual(record["prompt"] as? String, want.prompt)
            XCTAssertEqual(record["revised_prompts"] as? [String], ["Revised: \(want.prompt)", "Revised: \(want.prompt)"], "each prompt's own answer")
            XCTAssertEqual(record["saved_images"] as? [String], ["out/\(want.stem)-1.png", "out/\(want.stem)-2.png"])
            let provenance = try XCTUnwrap(record["provenance"] as? [String: Any])
            XCTAssertEqual(provenance["prompt"] as? String, want.prompt)
            XCTAssertEqual((provenance["options"] as? [String: Any])?["quality"] as? String, "low")
            let inFile = try pngProvenance("out/\(want.stem)-1.png")
            XCTAssertEqual(inFile["prompt"] as? String, want.prompt)
            XCTAssertEqual(inFile["revised_prompt"] as? String, "Revised: \(want.prompt)")
            let saved = try Data(contentsOf: directory.appendingPathComponent("out/\(want.stem)-2.png"))
            XCTAssertEqual(try ImageValidator.validate(saved).width, want.width, "an edit answers with its source image here")
        }
        XCTAssertEqual(byID["dusk/1"]?["images"] as? [String], ["a.png"])
        XCTAssertEqual((byID["dusk/1"]?["provenance"] as? [String: Any])?["sources"] as? [String], ["a.png"])
    }

    func testARefusedPromptIsALineWithItsErrorAndNoImageIsOverwritten() throws {
        try write("prompts.txt", "a fox\nrefuse this one\na heron\n")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("out"), withIntermediateDirectories: true)
        let earlier = Data("an earlier file".utf8)
        try earlier.write(to: directory.appendingPathComponent("out/line-1-1.png"))
        let server = try ImagesAPIStubServer(answer: .base64, refusing: "refuse")
        let result = try vq(["gen", "--prompts", "prompts.txt", "--out", "gen.jsonl", "-o", "out"], baseURL: server.baseURL, extraConfig: imagesConfig)
        XCTAssertEqual(result.status, 1, "a batch with a failed item: \(result.stderr)")
        XCTAssertTrue(result.stderr.contains("line-2: ") && result.stderr.contains("safety system"), result.stderr)
        let byID = Dictionary(uniqueKeysWithValues: try lines("gen.jsonl").map { ($0["id"] as! String, $0) })
        XCTAssertEqual(byID.count, 3, "every prompt has its line")
        XCTAssertTrue((byID["line-2"]?["error"] as? String)?.contains("moderation_blocked") == true, "\(byID)")
        XCTAssertEqual(byID["line-2"]?["saved_images"] as? [String], [])
        XCTAssertEqual(byID["line-1"]?["saved_images"] as? [String], ["out/line-1-2.png"], "the taken name is skipped")
        XCTAssertEqual(try Data(contentsOf: directory.appendingPathComponent("out/line-1-1.png")), earlier)

        let again = try vq(
            ["gen", "--prompts", "prompts.txt", "--out", "gen.jsonl", "--resume", "-o", "out"], baseURL: server.baseURL, extraConfig: imagesConfig)
        XCTAssertEqual(again.status, 1, again.stderr)
        XCTAssertTrue(again.stderr.contains("2 already answered"), again.stderr)
        XCTAssertEqual(server.requests.count, 4, "only the refused prompt is asked again")
        XCTAssertEqual(try lines("gen.jsonl").count, 3, "its failed line replaced, not added to")
    }

    func testAPromptWhoseImageIsMissingIsALineOfItsOwnShape() throws {
        try write("p.jsonl", "{\"prompt\": \"make it dusk\", \"images\": [\"missing.png\"], \"id\": \"dusk\"}\n{\"prompt\": \"a fox\"}\n")
        let server = try ImagesAPIStubServer(answer: .base64)
        let result = try vq(["gen", "--prompts", "p.jsonl", "--out", "g.jsonl", "-o", "out"], baseURL: server.baseURL, extraConfig: imagesConfig)
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("dusk: missing.png"), result.stderr)
        let byID = Dictionary(uniqueKeysWithValues: try lines("g.jsonl").map { ($0["id"] as! String, $0) })
        let failed = try XCTUnwrap(byID["dusk"], "\(byID)")
        XCTAssertEqual(failed["prompt"] as? String, "make it dusk")
        XCTAssertEqual(failed["images"] as? [String], ["missing.png"])
        XCTAssertTrue((failed["error"] as? String)?.contains("missing.png") == true, "\(failed)")
        XCTAssertNil(failed["image"], "a prompt's line, not an image's")
        XCTAssertTrue(byID["line-2"]?["error"] is NSNull)
        XCTAssertEqual(server.requests.count, 1, "only the prompt that could be prepared is sent")
    }

    func testResumeAfterSIGKILLMakesEveryPromptExactlyOnce() throws {
        let count = 12
        try write("prompts.txt", (1...count).map { "prompt number \($0)" }.joined(separator: "\n") + "\n")
        let server = try ImagesAPIStubServer(answer: .base64, echoesPrompt: true)
        let before = Int.random(in: 2...8)
        server.hold(after: before)
        let env = ["VQ_CONFIG": try writeConfig(baseURL: server.baseURL, extra: imagesConfig), "STUB_KEY": Self.key]
        let process = try VQProcess.start(
            ["gen", "--prompts", "prompts.txt", "-j", "3", "--out", "gen.jsonl", "-o", "out"], environment: env, directory: directory)
        XCTAssertTrue(server.waitForAnswers(before), "the first answers never went out")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        server.release()
        let written = ((try? String(contentsOf: directory.appendingPathComponent("gen.jsonl"), encoding: .utf8)) ?? "").split(separator: "\n").count
        XCTAssertLessThanOrEqual(written, before)

        let resumed = try vq(
            ["gen", "--prompts", "prompts.txt", "-j", "3", "--out", "gen.jsonl", "--resume", "-o", "out"], baseURL: server.baseURL,
            extraConfig: imagesConfig)
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stderr.contains("\(written) already answered"), resumed.stderr)
        let records = try lines("gen.jsonl")
        XCTAssertEqual(records.map { $0["id"] as! String }.sorted(), (1...count).map { "line-\($0)" }.sorted(), "each prompt exactly once")
        var saved: Set<String> = []
        for record in records {
            XCTAssertTrue(record["error"] is NSNull, "\(record)")
            XCTAssertEqual(record["revised_prompts"] as? [String], ["Revised: \(record["prompt"] as! String)"])
            let paths = try XCTUnwrap(record["saved_images"] as? [String])
            XCTAssertEqual(paths.count, 1)
            for path in paths {
                XCTAssertTrue(saved.insert(path).inserted, "\(path) named twice")
                XCTAssertEqual(try pngProvenance(path)["prompt"] as? String, record["prompt"] as? String)
            }
        }
    }

    func testDryRunListsEachPromptAndSendsNothing() throws {
        try write("prompts.txt", "a fox\na heron\n")
        let server = try ImagesAPIStubServer(answer: .base64)
        let result = try vq(["gen", "--prompts", "prompts.txt", "--dry-run"], baseURL: server.baseURL, extraConfig: imagesConfig)
        XCTAssertEqual(result.status, 0, result.stderr)
        // Batch results arrive as each item is done (BatchRunner), so the lines come in either order.
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).sorted()
        XCTAssertEqual(lines, ["", "would send line-1: a fox", "would send line-2: a heron"], result.stdout)
        XCTAssertTrue(server.requests.isEmpty)
    }

    func testBadPromptListsStopBeforeAnythingIsSent() throws {
        let server = try ImagesAPIStubServer(answer: .base64)
        let cases: [(String, String, Int32, String)] = [
            ("bad.jsonl", "{\"prompt\": \"a fox\"}\n{not json\n", 65, "bad.jsonl:2: not a JSON object"),
            ("unknown.jsonl", "{\"prompt\": \"a fox\", \"sizes\": 2}\n", 65, "unknown.jsonl:1: unknown field 'sizes'"),
            ("twice.jsonl", "{\"prompt\": \"a\", \"id\": \"x\"}\n{\"prompt\": \"b\", \"id\": \"x\"}\n", 65, "twice.jsonl:2: id 'x' is line 1's too"),
            ("noprompt.jsonl", "{\"images\": [\"a.png\"]}\n", 65, "noprompt.jsonl:1: \"prompt\" must be a non-empty string"),
            ("empty.txt", "\n\n", 65, "empty.txt: no prompts"),
        ]
        for (name, text, status, message) in cases {
            try write(name, text)
            let result = try vq(["gen", "--prompts", name, "-o", "out"], baseURL: server.baseURL, extraConfig: imagesConfig)
            XCTAssertEqual(result.status, status, result.stderr)
            XCTAssertTrue(result.stderr.contains(message), result.stderr)
        }
        let missing = try vq(["gen", "--prompts", "nowhere.txt"], baseURL: server.baseURL, extraConfig: imagesConfig)
        XCTAssertEqual(missing.status, 66, missing.stderr)
        try write("ok.txt", "a fox\n")
        for (arguments, message) in [
            (["gen", "--prompts", "ok.txt", "a fox"], "'--prompts' gives the prompts; give no PROMPT"),
            (["gen", "--prompts", "ok.txt", "--detach"], "'--detach' applies to '--provider-batch'"),
            (["gen", "a fox", "-j", "2"], "'--jobs' applies to a run over a prompt list"),
            (["gen", "--prompts", "ok.txt", "--resume"], "'--resume' needs '--out FILE'"),
        ] {
            let result = try vq(arguments, baseURL: server.baseURL, extraConfig: imagesConfig)
            XCTAssertEqual(result.status, 64, result.stderr)
            XCTAssertTrue(result.stderr.contains(message), result.stderr)
            XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)
        }
        XCTAssertTrue(server.requests.isEmpty, "no traffic for a bad prompt list")
    }
}
