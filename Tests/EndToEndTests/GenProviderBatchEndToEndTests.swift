import Imaging
import TestSupport
import XCTest

/// `vq gen --prompts FILE --provider-batch` against loopback OpenAI Batch and Gemini batch servers: generations and
/// JSON-form edits (with a mask) in jobs of their own endpoint, each line's body checked against OpenAI's published
/// schema, images saved as the direct route saves them (named by id, never overwriting, provenance in the PNG), cost
/// at batch rates, a refused prompt a line with its error that `--resume --retry-failed` alone asks again, status
/// and detach, Gemini image models, and every refusal before any traffic.
final class GenProviderBatchEndToEndTests: EndToEndCase {
    private let openAIConfig = """
        images = true
        poll_interval = 0.02

        [prices."gpt-image-1"]
        input = 5
        output = 40
        batch_input = 2.5
        batch_output = 20
        per_image = { "low/1024x1024" = 0.011 }

        """

    private func write(_ name: String, _ text: String) throws {
        try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    private func lines(_ name: String) throws -> [String: [String: Any]] {
        let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
        let records = try text.split(separator: "\n").map { try parsedObject(String($0)) }
        return Dictionary(uniqueKeysWithValues: records.map { ($0["id"] as! String, $0) })
    }

    private func leftovers(_ out: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix(out + ".vq-batch") }
    }

    private func run(_ arguments: [String], _ baseURL: String, _ config: String) throws -> VQProcess.Result {
        let result = try vq(arguments, baseURL: baseURL, extraConfig: config)
        assertKeyNeverShown(result)
        return result
    }

    func testGenerationsAndEditsGoInJobsOfTheirEndpointAndSaveLikeTheDirectRoute() throws {
        _ = try png("a.png", width: 16, height: 12)
        try write(
            "prompts.jsonl",
            """
            {"prompt": "a watercolour fox", "id": "fox"}
            {"prompt": "make it dusk", "images": ["a.png"], "id": "dusk"}
            {"prompt": "a heron at dawn"}

            """)
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("out"), withIntermediateDirectories: true)
        let earlier = Data("an earlier file".utf8)
        try earlier.write(to: directory.appendingPathComponent("out/fox-1.png"))
        let server = try OpenAIBatchStubServer()
        let result = try run(
            [
                "gen", "--prompts", "prompts.jsonl", "--provider-batch", "--out", "gen.jsonl", "-o", "out", "-m", "gpt-image-1", "--quality", "low",
                "--size", "1024x1024",
            ], server.baseURL, openAIConfig)
        XCTAssertEqual(result.status, 0, result.stderr)

        // One job per endpoint: a job has one endpoint, and each line's url is it.
        let creates = try server.requests.filter { $0.method == "POST" && $0.path == "/v1/batches" }.map { try XCTUnwrap($0.json() as? [String: Any]) }
        XCTAssertEqual(creates.count, 2, "the generations share a job however their lines interleave with the edit")
        XCTAssertEqual(Set(creates.compactMap { $0["endpoint"] as? String }), ["/v1/images/generations", "/v1/images/edits"])
        try assertConformsToOpenAISchema(
            creates.map { try JSONSerialization.data(withJSONObject: $0) }, schema: "CreateBatchRequest", closed: true)
        let items = server.submittedItems
        XCTAssertEqual(items.count, 3)
        let generations = items.filter { $0.body["images"] == nil }
        let edits = items.filter { $0.body["images"] != nil }
        XCTAssertEqual(generations.count, 2)
        XCTAssertEqual(edits.count, 1)
        try assertConformsToOpenAISchema(
            try generations.map { try JSONSerialization.data(withJSONObject: $0.body) }, schema: "CreateImageRequest", closed: true)
        try assertConformsToOpenAISchema(
            try edits.map { try JSONSerialization.data(withJSONObject: $0.body) }, schema: "EditImageBodyJsonParam", closed: true)
        for item in items {
            XCTAssertEqual(item.body["model"] as? String, "gpt-image-1")
            XCTAssertEqual(item.body["quality"] as? String, "low")
            XCTAssertEqual(item.body["size"] as? String, "1024x1024")
        }

        let byID = try lines("gen.jsonl")
        XCTAssertEqual(Set(byID.keys), ["fox", "dusk", "line-3"])
        let expected: [String: (prompt: String, saved: String, width: Int)] = [
            "fox": ("a watercolour fox", "out/fox-2.png", 8), "dusk": ("make it dusk", "out/dusk-1.png", 16),
            "line-3": ("a heron at dawn", "out/line-3-1.png", 8),
        ]
        for (id, want) in expected {
            let record = try XCTUnwrap(byID[id])
            XCTAssertTrue(record["error"] is NSNull, "\(record)")
            XCTAssertEqual(record["prompt"] as? String, want.prompt)
            XCTAssertEqual(record["saved_images"] as? [String], [want.saved], "named by id, the taken name skipped")
            XCTAssertEqual(record["revised_prompts"] as? [String], ["Revised: \(want.prompt)"], "each result matched to its own prompt")
            XCTAssertEqual(record["model"] as? String, "gpt-image-1")
            let provenance = try XCTUnwrap(record["provenance"] as? [String: Any])
            XCTAssertEqual(provenance["prompt"] as? String, want.prompt)
            XCTAssertEqual((provenance["options"] as? [String: Any])?["quality"] as? String, "low")
            let inFile = try pngProvenance(want.saved)
            XCTAssertEqual(inFile["prompt"] as? String, want.prompt)
            XCTAssertEqual(inFile["revised_prompt"] as? String, "Revised: \(want.prompt)")
            XCTAssertEqual(inFile["model"] as? String, "gpt-image-1")
            let saved = try Data(contentsOf: directory.appendingPathComponent(want.saved))
            XCTAssertEqual(try ImageValidator.validate(saved).width, want.width, "an edit answers with its source image here")
            // Batch rates: half the input price and half the per-image price.
            let cost = try XCTUnwrap(record["cost"] as? [String: Any], "\(record)")
            XCTAssertEqual(try XCTUnwrap(cost["usd"] as? Double), 12 * 2.5 / 1e6 + 0.011 / 2, accuracy: 1e-12)
        }
        XCTAssertEqual(byID["dusk"]?["images"] as? [String], ["a.png"])
        XCTAssertEqual((byID["dusk"]?["provenance"] as? [String: Any])?["sources"] as? [String], ["a.png"])
        XCTAssertEqual(try pngProvenance("out/dusk-1.png")["sources"] as? [String], ["a.png"])
        XCTAssertEqual(try Data(contentsOf: directory.appendingPathComponent("out/fox-1.png")), earlier, "never overwritten")
        XCTAssertEqual(try leftovers("gen.jsonl"), [], "state and input files are removed once every result is written")
    }

    func testEditsWithAMaskGoInTheirJSONFormAndTheDryRunShowsTheLinesAndTheirCost() throws {
        _ = try png("a.png", width: 16, height: 12)
        _ = try png("b.png", width: 16, height: 12)
        try mask("mask.png", width: 16, height: 12)
        try write(
            "edits.jsonl",
            """
            {"prompt": "make it dusk", "images": ["a.png"], "id": "dusk"}
            {"prompt": "make it night", "images": ["b.png", "a.png"], "id": "night"}

            """)
        let server = try OpenAIBatchStubServer()
        let asked = [
            "gen", "--prompts", "edits.jsonl", "--provider-batch", "--mask", "mask.png", "-m", "gpt-image-1", "--quality", "low", "--size", "1024x1024",
            "--fidelity", "high", "-o", "out",
        ]
        let dry = try run(asked + ["--dry-run"], server.baseURL, openAIConfig)
        XCTAssertEqual(dry.status, 0, dry.stderr)
        XCTAssertTrue(server.requests.isEmpty, "a dry run sends nothing")
        let shown = try dry.stdout.split(separator: "\n").map { try parsedObject(String($0)) }
        XCTAssertEqual(shown.count, 2, dry.stdout)
        for line in shown {
            XCTAssertEqual(line["url"] as? String, "/v1/images/edits")
            let body = try XCTUnwrap(line["body"] as? [String: Any])
            let mask = try XCTUnwrap((body["mask"] as? [String: Any])?["image_url"] as? String)
            XCTAssertTrue(mask.hasPrefix("data:image/png;base64,[base64 of ") && mask.hasSuffix(" elided]"), mask)
        }
        XCTAssertFalse(dry.stdout.contains("iVBOR"), "no image's base64 is shown")
        XCTAssertTrue(dry.stderr.contains("estimated cost (batch rates): ~$0.011"), "two images at half of $0.011, and the input: \(dry.stderr)")
        XCTAssertTrue(dry.stderr.contains("image(s) at $0.011 each before the batch discount"), dry.stderr)
        XCTAssertTrue(dry.stderr.contains("1 job(s), 2 request(s)"), dry.stderr)

        let overBudget = try run(asked + ["--out", "edits.out.jsonl", "--max-cost", "0.005"], server.baseURL, openAIConfig)
        XCTAssertEqual(overBudget.status, 1, overBudget.stderr)
        XCTAssertTrue(overBudget.stderr.contains("at batch rates (input and images) exceeds --max-cost $0.005; nothing submitted"), overBudget.stderr)
        XCTAssertTrue(server.requests.isEmpty, "a job over budget is not submitted")
        XCTAssertEqual(try leftovers("edits.out.jsonl"), [], "nor are its input files left behind")

        let result = try run(asked + ["--out", "edits.out.jsonl"], server.baseURL, openAIConfig)
        XCTAssertEqual(result.status, 0, result.stderr)
        let items = server.submittedItems
        XCTAssertEqual(items.count, 2)
        try assertConformsToOpenAISchema(
            try items.map { try JSONSerialization.data(withJSONObject: $0.body) }, schema: "EditImageBodyJsonParam", closed: true)
        for item in items {
            XCTAssertEqual(item.body["input_fidelity"] as? String, "high")
            let mask = try XCTUnwrap((item.body["mask"] as? [String: Any])?["image_url"] as? String)
            let sent = try XCTUnwrap(Data(base64Encoded: String(mask.drop { $0 != "," }.dropFirst())))
            let decoded = try ImageValidator.validate(sent)
            XCTAssertEqual([decoded.width, decoded.height], [16, 12], "the mask as checked")
        }
        XCTAssertEqual(Set(items.map { ($0.body["images"] as? [Any])?.count ?? 0 }), [1, 2], "every source image of a line")
        let byID = try lines("edits.out.jsonl")
        XCTAssertEqual(byID["dusk"]?["saved_images"] as? [String], ["out/dusk-1.png"])
        XCTAssertEqual(byID["night"]?["saved_images"] as? [String], ["out/night-1.png"])
        XCTAssertEqual(try pngProvenance("out/night-1.png")["sources"] as? [String], ["b.png", "a.png"])
    }

    func testARefusedPromptIsALineAndRetryFailedAsksOnlyItAgain() throws {
        try write("prompts.txt", "a fox\nrefuse this one\na heron\n")
        let server = try OpenAIBatchStubServer(refusingPrompt: "refuse")
        let command = ["gen", "--prompts", "prompts.txt", "--provider-batch", "--out", "gen.jsonl", "-o", "out", "-m", "gpt-image-1"]
        let detached = try run(command + ["--detach"], server.baseURL, openAIConfig)
        XCTAssertEqual(detached.status, 0, detached.stderr)
        XCTAssertTrue(detached.stderr.contains("submitted"), detached.stderr)
        let status = try run(["batch", "status", "--out", "gen.jsonl"], server.baseURL, openAIConfig)
        XCTAssertEqual(status.status, 0, status.stderr)
        XCTAssertTrue(status.stdout.hasPrefix("batch_0: "), status.stdout)
        XCTAssertTrue(status.stderr.contains("next: run the same vq gen command with --resume"), status.stderr)

        let resumed = try run(command + ["--resume"], server.baseURL, openAIConfig)
        XCTAssertEqual(resumed.status, 1, "a job with a refused item: \(resumed.stderr)")
        XCTAssertTrue(resumed.stderr.contains("line-2: ") && resumed.stderr.contains("safety system"), resumed.stderr)
        var byID = try lines("gen.jsonl")
        XCTAssertEqual(byID.count, 3, "every prompt has its line")
        XCTAssertTrue((byID["line-2"]?["error"] as? String)?.contains("moderation_blocked") == true, "\(byID)")
        XCTAssertEqual(byID["line-2"]?["saved_images"] as? [String], [])
        XCTAssertEqual(byID["line-2"]?["prompt"] as? String, "refuse this one")
        XCTAssertEqual(byID["line-1"]?["saved_images"] as? [String], ["out/line-1-1.png"])
        XCTAssertEqual(server.createdCount, 1)

        server.refusingPrompt = nil
        let retried = try run(command + ["--resume", "--retry-failed"], server.baseURL, openAIConfig)
        XCTAssertEqual(retried.status, 0, retried.stderr)
        XCTAssertEqual(server.createdCount, 2)
        XCTAssertEqual(server.submittedItems.count, 4, "only the refused prompt went into the second job")
        XCTAssertEqual(server.submittedItems.last?.body["prompt"] as? String, "refuse this one")
        byID = try lines("gen.jsonl")
        XCTAssertEqual(byID.count, 3, "its failed line replaced, not added to")
        XCTAssertTrue(byID["line-2"]?["error"] is NSNull, "\(byID)")
        XCTAssertEqual(byID["line-2"]?["saved_images"] as? [String], ["out/line-2-1.png"])
        XCTAssertEqual(try pngProvenance("out/line-2-1.png")["prompt"] as? String, "refuse this one")
    }

    func testCancelThenResumeWritesWhatFinishedAndFailsTheRest() throws {
        try write("prompts.txt", "a fox\na heron\na crane\na stork\n")
        let server = try OpenAIBatchStubServer()
        let command = ["gen", "--prompts", "prompts.txt", "--provider-batch", "--out", "gen.jsonl", "-o", "out", "-m", "gpt-image-1"]
        let detached = try run(command + ["--detach"], server.baseURL, openAIConfig)
        XCTAssertEqual(detached.status, 0, detached.stderr)
        let cancel = try run(["batch", "cancel", "--out", "gen.jsonl"], server.baseURL, openAIConfig)
        XCTAssertEqual(cancel.status, 0, cancel.stderr)
        XCTAssertTrue(cancel.stderr.contains("cancel requested for 1 job(s)"), cancel.stderr)

        let resumed = try run(command + ["--resume"], server.baseURL, openAIConfig)
        XCTAssertEqual(resumed.status, 1, "the cancelled prompts are failed lines: \(resumed.stderr)")
        let byID = try lines("gen.jsonl")
        XCTAssertEqual(byID.count, 4, "every prompt has its line")
        let made = byID.values.filter { $0["error"] is NSNull }
        XCTAssertEqual(made.count, 2, "the stub finished half the job before the cancel took: \(byID)")
        for line in made {
            let saved = try XCTUnwrap((line["saved_images"] as? [String])?.first)
            XCTAssertEqual(try pngProvenance(saved)["prompt"] as? String, line["prompt"] as? String)
        }
        for line in byID.values where !(line["error"] is NSNull) {
            XCTAssertTrue((line["error"] as? String)?.contains("--resume --retry-failed submits it again") == true, "\(line)")
        }
        XCTAssertEqual(try leftovers("gen.jsonl"), [])
    }

    func testAKillDuringTheUploadResumesIntoAJobOfTheEditsEndpoint() throws {
        _ = try png("a.png", width: 16, height: 12)
        try write("edits.jsonl", "{\"prompt\": \"make it dusk\", \"images\": [\"a.png\"], \"id\": \"dusk\"}\n")
        let server = try OpenAIBatchStubServer()
        server.hangAfterNextUpload()
        let env = ["VQ_CONFIG": try writeConfig(baseURL: server.baseURL, extra: openAIConfig), "STUB_KEY": Self.key]
        let command = ["gen", "--prompts", "edits.jsonl", "--provider-batch", "--out", "gen.jsonl", "-o", "out", "-m", "gpt-image-1"]
        let process = try VQProcess.start(command, environment: env, directory: directory)
        XCTAssertTrue(server.waitForUpload(timeout: 30), "the input was never uploaded")
        kill(process.processIdentifier, SIGKILL)  // stored, but vq never heard its id
        process.waitUntilExit()
        XCTAssertEqual(server.createdCount, 0)

        // The job's endpoint comes back from the state file: created for a line of another endpoint, the job would fail.
        let resumed = try VQProcess.run(command + ["--resume"], environment: env, directory: directory)
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertEqual(server.createdCount, 1)
        let create = try XCTUnwrap(server.requests.first { $0.method == "POST" && $0.path == "/v1/batches" }?.json() as? [String: Any])
        XCTAssertEqual(create["endpoint"] as? String, "/v1/images/edits")
        XCTAssertEqual(try lines("gen.jsonl")["dusk"]?["saved_images"] as? [String], ["out/dusk-1.png"])
        XCTAssertEqual(try leftovers("gen.jsonl"), [])
    }

    func testGeminiImageModelsGoThroughBatchModeWithTheDirectRequest() throws {
        _ = try png("a.png", width: 16, height: 12)
        try write(
            "p.jsonl",
            """
            {"prompt": "a watercolour fox", "id": "fox"}
            {"prompt": "make it dusk", "images": ["a.png"], "id": "dusk"}

            """)
        let server = try GeminiBatchStubServer()
        let config = "api = \"gemini\"\nimage_model = \"stub-image-1\"\npoll_interval = 0.02\n"
        let result = try run(
            ["gen", "--prompts", "p.jsonl", "--provider-batch", "--aspect", "16:9", "--out", "g.jsonl", "-o", "out"], server.baseURL, config)
        XCTAssertEqual(result.status, 0, result.stderr)
        let create = try XCTUnwrap(server.requests.first { $0.method == "POST" })
        XCTAssertEqual(create.path, "/v1beta/models/stub-image-1:batchGenerateContent", "the batch goes to the image model")
        XCTAssertEqual(server.createdCount, 1)
        let submitted = server.submittedRequests
        XCTAssertEqual(submitted.count, 2)
        // Each batch request is the one `vq gen` sends directly.
        let direct = try run(["gen", "a watercolour fox", "--aspect", "16:9", "--dry-run", "--json"], server.baseURL, config)
        XCTAssertEqual(direct.status, 0, direct.stderr)
        let directBody = try XCTUnwrap(try parsedObject(direct.stdout)["body"] as? [String: Any])
        let fox = try XCTUnwrap(submitted.first { !"\($0)".contains("inline_data") })
        XCTAssertEqual(fox as NSDictionary, directBody as NSDictionary)
        let generation = try XCTUnwrap(fox["generationConfig"] as? [String: Any])
        XCTAssertEqual(generation["responseModalities"] as? [String], ["TEXT", "IMAGE"])
        XCTAssertEqual((generation["imageConfig"] as? [String: Any])?["aspectRatio"] as? String, "16:9")

        let byID = try lines("g.jsonl")
        XCTAssertEqual(byID["fox"]?["saved_images"] as? [String], ["out/fox-1.png"], "\(byID)")
        XCTAssertEqual(byID["dusk"]?["saved_images"] as? [String], ["out/dusk-1.png"])
        let dusk = try Data(contentsOf: directory.appendingPathComponent("out/dusk-1.png"))
        XCTAssertEqual(try ImageValidator.validate(dusk).width, 16, "the edit's answer carries its reference image here")
        XCTAssertEqual(try pngProvenance("out/fox-1.png")["prompt"] as? String, "a watercolour fox")
        XCTAssertEqual(try pngProvenance("out/fox-1.png")["model"] as? String, "stub-image-1")
        XCTAssertEqual(try pngProvenance("out/dusk-1.png")["sources"] as? [String], ["a.png"])
        XCTAssertEqual(try leftovers("g.jsonl"), [])
    }

    func testApisWithoutImageBatchesAndBadInputAreRefusedBeforeAnyTraffic() throws {
        try write("ok.txt", "a fox\n")
        try write("edit.jsonl", "{\"prompt\": \"dusk\", \"images\": [\"a.png\"], \"id\": \"dusk\"}\n")
        _ = try png("a.png")
        let server = try OpenAIBatchStubServer()
        let refused: [([String], String, String)] = [
            (["--prompts", "ok.txt"], "api = \"anthropic\"\n", "cannot make images"),
            (["--prompts", "ok.txt"], "api = \"openai-responses\"\n", "'--provider-batch' makes images through api openai with the Images API"),
            (["--prompts", "ok.txt"], "", "set images = true for the Images API"),
            (["--prompts", "edit.jsonl", "-m", "dall-e-2"], "images = true\n", "dusk: dall-e-2 edits images through multipart/form-data only"),
            (["--prompts", "ok.txt", "--retry-failed"], "images = true\n", "'--retry-failed' applies to '--provider-batch --resume'"),
        ]
        for (arguments, config, message) in refused {
            let result = try run(["gen"] + arguments + ["--provider-batch", "--out", "x.jsonl"], server.baseURL, config)
            XCTAssertEqual(result.status, 64, "\(arguments) \(config): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains(message), result.stderr)
            XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)
        }
        try write("bad.jsonl", "{\"prompt\": \"a fox\"}\n{not json\n")
        let bad = try run(["gen", "--prompts", "bad.jsonl", "--provider-batch", "--out", "x.jsonl"], server.baseURL, openAIConfig)
        XCTAssertEqual(bad.status, 65, bad.stderr)
        XCTAssertTrue(bad.stderr.contains("bad.jsonl:2: not a JSON object"), bad.stderr)
        let noOut = try run(["gen", "--prompts", "ok.txt", "--provider-batch"], server.baseURL, openAIConfig)
        XCTAssertEqual(noOut.status, 64, noOut.stderr)
        XCTAssertTrue(noOut.stderr.contains("'--provider-batch' needs '--out FILE'"), noOut.stderr)
        XCTAssertTrue(server.requests.isEmpty, "nothing is sent for a refused run")
        XCTAssertEqual(try leftovers("x.jsonl"), [], "and nothing is left beside --out")
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("x.jsonl").path), "nor --out itself")
    }
}
