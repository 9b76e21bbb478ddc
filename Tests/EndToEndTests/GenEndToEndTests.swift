import CTestSupport
import Imaging
import TestSupport
import XCTest

/// `vq gen` against a loopback Images API (JSON generations, multipart edits, b64 and URL answers, streamed partial
/// images, a moderation refusal), and the request bodies of the other apis in dry runs.
final class GenEndToEndTests: EndToEndCase {
    private let imagesConfig = "images = true\n"

    func testGenerationSendsEveryOptionAndSavesImagesThatRememberTheirPrompt() throws {
        let server = try ImagesAPIStubServer(answer: .base64)
        let result = try vq(
            [
                "gen", "a watercolour fox", "-m", "gpt-image-1", "-n", "2", "--size", "1600x900", "--quality", "high", "--background", "transparent",
                "--format", "png", "--compression", "80", "--moderation", "low", "-o", "out", "--json", "-v",
            ], baseURL: server.baseURL, extraConfig: imagesConfig)
        XCTAssertEqual(result.status, 0, result.stderr)
        assertKeyNeverShown(result)
        let body = try XCTUnwrap(try server.requests.first?.json() as? [String: Any])
        XCTAssertEqual(server.requests.first?.path, "/v1/images/generations")
        XCTAssertEqual(body["n"] as? Int, 2)
        XCTAssertEqual(body["size"] as? String, "1536x1024", "the nearest size gpt-image-1 makes")
        XCTAssertEqual(body["quality"] as? String, "high")
        XCTAssertEqual(body["background"] as? String, "transparent")
        XCTAssertEqual(body["output_format"] as? String, "png")
        XCTAssertEqual(body["output_compression"] as? Int, 80)
        XCTAssertEqual(body["moderation"] as? String, "low")
        XCTAssertTrue(result.stderr.contains("--size 1600x900 -> 1536x1024"), result.stderr)
        let saved = try files(in: "out")
        XCTAssertEqual(saved.count, 2, "-n 2 saves two images")
        let json = try parsedObject(result.stdout)
        XCTAssertEqual(json["revised_prompts"] as? [String], [ImagesAPIStubServer.revisedPrompt, ImagesAPIStubServer.revisedPrompt])
        XCTAssertEqual((json["usage"] as? [String: Any])?["completion_tokens"] as? Int, 4160)
        XCTAssertEqual((json["provenance"] as? [String: Any])?["prompt"] as? String, "a watercolour fox")
        let provenance = try pngProvenance("out/" + saved[0])
        XCTAssertEqual(provenance["prompt"] as? String, "a watercolour fox")
        XCTAssertEqual(provenance["revised_prompt"] as? String, ImagesAPIStubServer.revisedPrompt)
        XCTAssertEqual(provenance["model"] as? String, "gpt-image-1")
        XCTAssertEqual((provenance["options"] as? [String: Any])?["n"] as? Int, 2)
        XCTAssertEqual((provenance["options"] as? [String: Any])?["size"] as? String, "1600x900")
        let image = try Data(contentsOf: directory.appendingPathComponent("out/" + saved[0]))
        XCTAssertEqual(try ImageValidator.validate(image).width, 8, "the file with its text chunk is still a valid PNG")
    }

    func testTheLogKeepsTheOptionsTheSourcesAndTheRevisedPrompt() throws {
        _ = try png("a.png", width: 16, height: 16)
        let server = try ImagesAPIStubServer(answer: .base64)
        let log = ["VQ_LOG_DB": directory.appendingPathComponent("logs.db").path]
        let result = try vq(["gen", "make it dusk", "a.png", "--quality", "low", "-o", "out"], baseURL: server.baseURL, extraConfig: imagesConfig, env: log)
        XCTAssertEqual(result.status, 0, result.stderr)
        let logs = try vq(["logs", "--json", "-n", "1"], baseURL: nil, env: log)
        XCTAssertEqual(logs.status, 0, logs.stderr)
        let entry = try parsedObject(String(logs.stdout.split(separator: "\n")[0]))
        XCTAssertEqual(entry["prompt"] as? String, "make it dusk")
        let options = try XCTUnwrap(entry["options"] as? [String: Any])
        XCTAssertEqual((options["generation"] as? [String: Any])?["quality"] as? String, "low")
        XCTAssertEqual(options["revised_prompts"] as? [String], [ImagesAPIStubServer.revisedPrompt])
        XCTAssertEqual((entry["images"] as? [[String: Any]])?.first?["source"] as? String, "a.png")
        XCTAssertEqual((entry["saved_images"] as? [String])?.count, 1)
    }

    func testNoMetadataSavesTheBytesAsReturned() throws {
        let server = try ImagesAPIStubServer(answer: .base64)
        let result = try vq(["gen", "a fox", "--no-metadata", "--output", "fox.png"], baseURL: server.baseURL, extraConfig: imagesConfig)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(try Data(contentsOf: directory.appendingPathComponent("fox.png")), ImagesAPIStubServer.generated)
        XCTAssertTrue(result.stderr.contains("revised prompt: \(ImagesAPIStubServer.revisedPrompt)"), result.stderr)
    }

    func testEditSendsSeveralImagesAndTheMaskAsMultipartForm() throws {
        let first = try png("a.png", width: 64, height: 48)
        _ = try png("b.png", width: 32, height: 32)
        let maskData = try mask("mask.png", width: 64, height: 48)
        let server = try ImagesAPIStubServer(answer: .base64)
        let result = try vq(
            ["gen", "make it dusk", "a.png", "b.png", "--mask", "mask.png", "--fidelity", "high", "-m", "gpt-image-1", "--no-resize", "-o", "out"],
            baseURL: server.baseURL, extraConfig: imagesConfig)
        XCTAssertEqual(result.status, 0, result.stderr)
        let fields = try XCTUnwrap(server.lastEditFields(), "a well-formed multipart body")
        XCTAssertEqual(fields["image[]"]?.count, 2, "both reference images")
        XCTAssertEqual(fields["image[]"]?.first, first)
        XCTAssertEqual(fields["mask"]?.first, maskData)
        XCTAssertEqual(fields["prompt"]?.first, Data("make it dusk".utf8))
        XCTAssertEqual(fields["input_fidelity"]?.first, Data("high".utf8))
        let saved = try files(in: "out")
        XCTAssertEqual(saved.count, 1)
        let provenance = try pngProvenance("out/" + saved[0])
        XCTAssertEqual(provenance["sources"] as? [String], ["a.png", "b.png"])
    }

    func testMaskIsShrunkWithTheFirstImage() throws {
        _ = try png("a.png", width: 64, height: 48)
        _ = try mask("mask.png", width: 64, height: 48)
        let server = try ImagesAPIStubServer(answer: .base64)
        let result = try vq(["gen", "dusk", "a.png", "--mask", "mask.png", "--max-side", "32"], baseURL: server.baseURL, extraConfig: imagesConfig)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("the mask was resized to 32x24"), result.stderr)
        let sent = try XCTUnwrap(server.lastEditFields()?["mask"]?.first)
        let decoded = try ImageDecoder.decodeRGB(sent)
        XCTAssertEqual([decoded.width, decoded.height, decoded.channels], [32, 24, 4], "a 32x24 mask with its alpha kept")
    }

    func testBadMasksExit65BeforeAnythingIsSent() throws {
        _ = try png("a.png", width: 64, height: 48)
        _ = try mask("small.png", width: 60, height: 48)
        _ = try png("opaque.png", width: 64, height: 48)
        try jpeg("mask.jpg", width: 64, height: 48)
        let server = try ImagesAPIStubServer(answer: .base64)
        for (file, reason) in [
            ("small.png", "the mask is 60x48 but the first image is 64x48"), ("opaque.png", "no transparent pixels"), ("mask.jpg", "must be a PNG"),
        ] {
            let result = try vq(["gen", "dusk", "a.png", "--mask", file], baseURL: server.baseURL, extraConfig: imagesConfig)
            XCTAssertEqual(result.status, 65, result.stderr)
            XCTAssertTrue(result.stderr.contains("--mask \(file): ") && result.stderr.contains(reason), result.stderr)
            XCTAssertEqual(result.stderr.split(separator: "\n").filter { $0.hasPrefix("vq: error") }.count, 1)
        }
        XCTAssertTrue(server.requests.isEmpty, "no traffic for a bad mask")
    }

    func testURLAnswersAreDownloadedWithoutTheKey() throws {
        let server = try ImagesAPIStubServer(answer: .url)
        let result = try vq(["gen", "a fox", "-n", "2", "-o", "out"], baseURL: server.baseURL, extraConfig: imagesConfig)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(try files(in: "out").count, 2)
        XCTAssertEqual(server.requests.filter { $0.path.hasPrefix("/files/") }.count, 2)
    }

    func testStreamedPartialImagesEndInTheFinalImage() throws {
        let server = try ImagesAPIStubServer(answer: .stream)
        let result = try vq(["gen", "a fox", "--partial-images", "2", "-o", "out"], baseURL: server.baseURL, extraConfig: imagesConfig)
        XCTAssertEqual(result.status, 0, result.stderr)
        let body = try XCTUnwrap(try server.requests.first?.json() as? [String: Any])
        XCTAssertEqual(body["stream"] as? Bool, true)
        XCTAssertEqual(body["partial_images"] as? Int, 2)
        XCTAssertEqual(try files(in: "out").count, 1, "partial images are progress, only the final one is saved")
    }

    func testPartialImagesShowAsProgressOnATerminal() throws {
        let server = try ImagesAPIStubServer(answer: .stream)
        let config = try writeConfig(baseURL: server.baseURL, extra: imagesConfig)
        let result = try VQProcess.runOnTerminal(
            ["gen", "a fox", "--partial-images", "2", "-o", "out"], environment: ["VQ_CONFIG": config, "STUB_KEY": Self.key], directory: directory)
        XCTAssertEqual(result.status, 0, result.stdout)
        XCTAssertTrue(result.stdout.contains("partial image 1 received") && result.stdout.contains("partial image 2 received"), result.stdout)
        XCTAssertEqual(try files(in: "out").count, 1)
    }

    func testDallEWarnsOfOptionsItLacksAndRefusesTooManyImages() throws {
        _ = try png("a.png")
        _ = try png("b.png")
        let server = try ImagesAPIStubServer(answer: .base64)
        let edit = try vq(["gen", "dusk", "a.png", "b.png", "-m", "dall-e-2"], baseURL: server.baseURL, extraConfig: imagesConfig)
        XCTAssertEqual(edit.status, 65, edit.stderr)
        XCTAssertTrue(edit.stderr.contains("dall-e-2 edits at most 1 image at once (got 2)"), edit.stderr)
        XCTAssertTrue(server.requests.isEmpty, "refused before sending")
        let several = try vq(["gen", "a fox", "-m", "dall-e-3", "-n", "2"], baseURL: server.baseURL, extraConfig: imagesConfig)
        XCTAssertEqual(several.status, 64, several.stderr)
        XCTAssertTrue(several.stderr.contains("dall-e-3 makes one image a request (asked for 2)"), several.stderr)
        XCTAssertTrue(server.requests.isEmpty, "refused before sending")
        let made = try vq(["gen", "a fox", "-m", "dall-e-3", "--background", "opaque", "--quality", "hd"], baseURL: server.baseURL, extraConfig: imagesConfig)
        XCTAssertEqual(made.status, 0, made.stderr)
        XCTAssertTrue(made.stderr.contains("stub (openai) ignores --background"), made.stderr)
        let body = try XCTUnwrap(try server.requests.last?.json() as? [String: Any])
        XCTAssertEqual(body["response_format"] as? String, "b64_json")
        XCTAssertEqual(body["quality"] as? String, "hd")
        XCTAssertNil(body["background"])
    }

    /// Every field vq sends to the Images API, checked against OpenAI's published OpenAPI spec (CreateImageRequest,
    /// CreateImageEditRequest), a field the spec does not name included.
    func testImagesAPIRequestsConformToOpenAIsPublishedSchema() throws {
        _ = try png("a.png", width: 64, height: 48)
        _ = try png("b.png", width: 32, height: 32)
        _ = try mask("mask.png", width: 64, height: 48)
        let streaming = try ImagesAPIStubServer(answer: .stream)
        let options = [
            "-m", "gpt-image-1", "-n", "2", "--size", "1536x1024", "--quality", "high", "--background", "transparent", "--format", "webp",
            "--compression", "80", "--partial-images", "2", "-o", "out",
        ]
        let generation = try vq(["gen", "a fox", "--moderation", "low"] + options, baseURL: streaming.baseURL, extraConfig: imagesConfig)
        XCTAssertEqual(generation.status, 0, generation.stderr)
        let edit = try vq(
            ["gen", "dusk", "a.png", "b.png", "--mask", "mask.png", "--fidelity", "high", "--no-resize"] + options, baseURL: streaming.baseURL,
            extraConfig: imagesConfig)
        XCTAssertEqual(edit.status, 0, edit.stderr)
        let server = try ImagesAPIStubServer(answer: .base64)
        for arguments in [["gen", "a fox", "-m", "dall-e-3", "--quality", "hd", "--size", "1792x1024"], ["gen", "a fox", "--size", "auto"]] {
            let result = try vq(arguments, baseURL: server.baseURL, extraConfig: imagesConfig)
            XCTAssertEqual(result.status, 0, result.stderr)
        }
        let dallE = try vq(["gen", "dusk", "a.png", "-m", "dall-e-2", "-n", "2", "--size", "512x512"], baseURL: server.baseURL, extraConfig: imagesConfig)
        XCTAssertEqual(dallE.status, 0, dallE.stderr)

        let generations = (streaming.requests + server.requests).filter { $0.path == "/v1/images/generations" }
        XCTAssertEqual(generations.count, 3)
        XCTAssertEqual(try XCTUnwrap(try generations[0].json() as? [String: Any])["partial_images"] as? Int, 2, "the streamed fields are checked too")
        try assertConformsToOpenAISchema(generations.map(\.body), schema: "CreateImageRequest", closed: true)
        let edits = (streaming.requests + server.requests).filter { $0.path == "/v1/images/edits" }
        XCTAssertEqual(edits.count, 2)
        XCTAssertEqual(ImagesAPIStubServer.multipart(edits[0].body, boundary: try boundary(edits[0]))?["mask"]?.count, 1)
        try assertConformsToOpenAISchema(edits.map(\.body), schema: "CreateImageEditRequest", closed: true, multipart: true)
    }

    /// The checker fails a body with a field the spec does not name, and a form with a value of the wrong type: the
    /// test above could catch a wrong field name.
    func testTheImagesSchemaCheckCatchesAWrongField() throws {
        let form =
            "--b\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\nx\r\n--b\r\nContent-Disposition: form-data; name=\"image[]\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\nPNG\r\n--b\r\nContent-Disposition: form-data; name=\"n\"\r\n\r\ntwo\r\n--b--\r\n"
        for (body, arguments) in [
            (Data(#"{"prompt":"a fox","format":"png"}"#.utf8), ["--schema", "CreateImageRequest", "--closed"]),
            (Data(form.utf8), ["--schema", "CreateImageEditRequest", "--closed", "--multipart"]),
        ] {
            let (status, text) = try checkOpenAIRequest(body, named: "bad.json", arguments)
            XCTAssertEqual(status, 1, "\(String(decoding: body, as: UTF8.self)) must fail the check")
            XCTAssertTrue(text.contains("1 body(ies) checked, 1 schema error(s)"), "read, then found wrong: \(text)")
        }
    }

    private func boundary(_ request: RecordedRequest) throws -> String {
        let type = try XCTUnwrap(request.header("content-type"))
        return String(type[try XCTUnwrap(type.range(of: "boundary=")).upperBound...])
    }

    /// Images cost their per-image price from the prices config (quality and size as sent), in the dry run and the
    /// result; without one, the tokens the service reports.
    func testImagesCostTheirPerImagePriceInTheDryRunAndTheResult() throws {
        let prices = imagesConfig + "\n[prices.\"gpt-image-1\"]\ninput = 5\noutput = 40\nper_image = { \"low/1024x1024\" = 0.011 }\n"
        let server = try ImagesAPIStubServer(answer: .base64)
        let asked = ["gen", "a fox", "-m", "gpt-image-1", "-n", "2", "--quality", "low", "--size", "1000x1000", "-o", "out"]
        let dry = try vq(asked + ["--dry-run"], baseURL: server.baseURL, extraConfig: prices)
        XCTAssertEqual(dry.status, 0, dry.stderr)
        XCTAssertTrue(dry.stderr.contains("(input and 2 image(s) at $0.011 each)"), dry.stderr)
        let estimate = try XCTUnwrap(dry.stderr.split(separator: "\n").first { $0.contains("estimated cost: ~$0.022") }, dry.stderr)
        XCTAssertFalse(estimate.isEmpty)
        XCTAssertTrue(server.requests.isEmpty)

        let made = try vq(asked + ["--json"], baseURL: server.baseURL, extraConfig: prices)
        XCTAssertEqual(made.status, 0, made.stderr)
        let cost = try XCTUnwrap(try parsedObject(made.stdout)["cost"] as? [String: Any])
        XCTAssertEqual(try XCTUnwrap(cost["usd"] as? Double), 12 * 5 / 1e6 + 2 * 0.011, accuracy: 1e-12, "12 input tokens and two low 1024x1024 images")

        let auto = try vq(["gen", "a fox", "-m", "gpt-image-1", "--json", "-o", "out"], baseURL: server.baseURL, extraConfig: prices)
        XCTAssertEqual(auto.status, 0, auto.stderr)
        let tokens = try XCTUnwrap(try parsedObject(auto.stdout)["cost"] as? [String: Any])
        XCTAssertEqual(try XCTUnwrap(tokens["usd"] as? Double), (12 * 5 + 4160 * 40) / 1e6, accuracy: 1e-12, "no quality given: the tokens")
        let autoDry = try vq(["gen", "a fox", "-m", "gpt-image-1", "--dry-run"], baseURL: server.baseURL, extraConfig: prices)
        XCTAssertTrue(autoDry.stderr.contains("no per-image price for the size and quality the service picks; --quality and --size name one"), autoDry.stderr)

        try "a heron\na crane\n".write(to: directory.appendingPathComponent("p.txt"), atomically: true, encoding: .utf8)
        let batch = try vq(
            ["gen", "--prompts", "p.txt", "-m", "gpt-image-1", "--quality", "low", "--size", "1024x1024", "--out", "g.jsonl", "-o", "out"],
            baseURL: server.baseURL, extraConfig: prices)
        XCTAssertEqual(batch.status, 0, batch.stderr)
        let lines = try String(contentsOf: directory.appendingPathComponent("g.jsonl"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, 2)
        for line in lines {
            let usd = try XCTUnwrap((try parsedObject(String(line))["cost"] as? [String: Any])?["usd"] as? Double, String(line))
            XCTAssertEqual(usd, 12 * 5 / 1e6 + 0.011, accuracy: 1e-12)
        }
    }

    func testModerationRefusalIsOneLineAndExit80() throws {
        let server = try ImagesAPIStubServer(answer: .moderationRefusal)
        let result = try vq(["gen", "something refused"], baseURL: server.baseURL, extraConfig: imagesConfig)
        XCTAssertEqual(result.status, 80, result.stderr)
        XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("moderation_blocked"), result.stderr)
    }

    func testGeminiAsksForImagesWithImageConfigAndNamesWhatItIgnores() throws {
        let result = try vq(
            ["gen", "a fox", "--aspect", "16:9", "--size", "1920x1080", "--quality", "high", "-n", "2", "--dry-run", "--json"],
            baseURL: "http://127.0.0.1:9", extraConfig: "api = \"gemini\"\n")
        XCTAssertEqual(result.status, 0, result.stderr)
        let body = try XCTUnwrap(try parsedObject(result.stdout)["body"] as? [String: Any])
        let config = try XCTUnwrap(body["generationConfig"] as? [String: Any])
        XCTAssertEqual(config["responseModalities"] as? [String], ["TEXT", "IMAGE"])
        XCTAssertEqual(config["imageConfig"] as? [String: String], ["aspectRatio": "16:9", "imageSize": "2K"])
        XCTAssertTrue(result.stderr.contains("ignores -n, --quality"), result.stderr)
    }

    func testChatServicesGetModalitiesAndImageConfig() throws {
        let result = try vq(["gen", "a fox", "--aspect", "4:3", "--dry-run", "--json"], baseURL: "http://127.0.0.1:9")
        XCTAssertEqual(result.status, 0, result.stderr)
        let body = try XCTUnwrap(try parsedObject(result.stdout)["body"] as? [String: Any])
        XCTAssertEqual(body["modalities"] as? [String], ["image", "text"])
        XCTAssertEqual(body["image_config"] as? [String: String], ["aspect_ratio": "4:3"])
    }

    func testResponsesToolCarriesTheOptionsAndTheMask() throws {
        _ = try png("a.png", width: 64, height: 48)
        _ = try mask("mask.png", width: 64, height: 48)
        let result = try vq(
            ["gen", "dusk", "a.png", "--mask", "mask.png", "--background", "opaque", "--format", "webp", "--dry-run", "--json"],
            baseURL: "http://127.0.0.1:9", extraConfig: "api = \"openai-responses\"\n")
        XCTAssertEqual(result.status, 0, result.stderr)
        let body = try XCTUnwrap(try parsedObject(result.stdout)["body"] as? [String: Any])
        let tool = try XCTUnwrap((body["tools"] as? [[String: Any]])?.first)
        XCTAssertEqual(tool["type"] as? String, "image_generation")
        XCTAssertEqual(tool["background"] as? String, "opaque")
        XCTAssertEqual(tool["output_format"] as? String, "webp")
        XCTAssertNotNil((tool["input_image_mask"] as? [String: Any])?["image_url"])
        try assertConformsToOpenAISchema([try JSONSerialization.data(withJSONObject: body)], schema: "CreateResponse")
        let spec = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Conformance/openai-openapi.json")
        let schemas = try XCTUnwrap(
            (try JSONSerialization.jsonObject(with: Data(contentsOf: spec)) as? [String: Any])?["components"] as? [String: Any])["schemas"]
        let named = try XCTUnwrap(((schemas as? [String: Any])?["ImageGenTool"] as? [String: Any])?["properties"] as? [String: Any])
        XCTAssertEqual(Set(tool.keys).subtracting(named.keys), [], "every tool field is one the spec names")
    }

    func testProfilesThatCannotMakeImagesSaySo() throws {
        let result = try vq(["gen", "a fox", "--dry-run"], baseURL: "http://127.0.0.1:9", extraConfig: "api = \"anthropic\"\n")
        XCTAssertEqual(result.status, 64, result.stderr)
        XCTAssertTrue(result.stderr.contains("cannot make images"), result.stderr)
    }
}
