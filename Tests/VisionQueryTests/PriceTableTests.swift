import XCTest

@testable import VisionQuery

/// The bundled table, name matching per service, and `[prices."MODEL"]` overrides from the config.
final class PriceTableTests: XCTestCase {
    func testBundledTableHasTheBuiltinProfilesModels() throws {
        let table = PriceTable.bundled
        XCTAssertFalse(table.date.isEmpty)
        XCTAssertTrue(table.source.contains("LiteLLM"))
        for profile in BuiltinProfiles.all {
            guard let model = profile.model, let service = PriceService.of(baseURL: profile.baseURL), service != "aihubmix" else { continue }
            XCTAssertNotNil(table.quote(model: model, service: service), "\(profile.name): \(model) on \(service)")
        }
        // Published prices (anthropic.com/pricing, openai.com/api/pricing, ai.google.dev/gemini-api/docs/pricing).
        let sonnet = try XCTUnwrap(table.quote(model: "claude-sonnet-4-5", service: "anthropic")).price
        XCTAssertEqual([sonnet.input, sonnet.output, sonnet.cachedInput, sonnet.batchInput], [3, 15, 0.3, 1.5])
        let flash = try XCTUnwrap(table.quote(model: "gemini-2.5-flash", service: "gemini")).price
        XCTAssertEqual([flash.input, flash.output, flash.batchOutput], [0.3, 2.5, 1.25])
    }

    func testNamesTheServiceAnswersWith() {
        let table = PriceTable.bundled
        XCTAssertEqual(table.quote(model: "models/gemini-2.5-flash", service: "gemini")?.price.model, "gemini-2.5-flash")
        XCTAssertEqual(table.quote(model: "claude-sonnet-4-5-20990101", service: "anthropic")?.price.model, "claude-sonnet-4-5")
        XCTAssertEqual(table.quote(model: "gpt-4o-mini-2099-07-18", service: "openai")?.price.model, "gpt-4o-mini")
        XCTAssertEqual(table.quote(model: "google/gemini-2.5-flash", service: "openrouter")?.price.service, "gemini")
        XCTAssertNil(table.quote(model: "gpt-4o-mini", service: nil), "a local or unknown server has no bundled price")
        XCTAssertNil(table.quote(model: "gpt-4o-mini", service: "anthropic"))
    }

    func testDateSuffixesAreDroppedOnlyWhenWhole() {
        XCTAssertEqual(PriceTable.candidates(model: "claude-x-20250929", service: nil).names, ["claude-x-20250929", "claude-x"])
        XCTAssertEqual(PriceTable.candidates(model: "gpt-4o-2024-08-06", service: nil).names, ["gpt-4o-2024-08-06", "gpt-4o"])
        XCTAssertEqual(PriceTable.candidates(model: "gpt-4o-2024-08-0x", service: nil).names, ["gpt-4o-2024-08-0x"])
        XCTAssertEqual(PriceTable.candidates(model: "model-2025092", service: nil).names, ["model-2025092"], "seven digits")
        XCTAssertEqual(PriceTable.candidates(model: "m20250929", service: nil).names, ["m20250929"], "no dash before the date")
        XCTAssertEqual(PriceTable.candidates(model: "-20250929", service: nil).names, ["-20250929"], "nothing left without it")
        XCTAssertEqual(PriceTable.candidates(model: "é-２０２５０９２９", service: nil).names, ["é-２０２５０９２９"], "ASCII digits only")
    }

    func testServiceFromBaseURL() {
        XCTAssertEqual(PriceService.of(baseURL: "https://api.openai.com/v1"), "openai")
        XCTAssertEqual(PriceService.of(baseURL: "https://api.aihubmix.com/v1"), "aihubmix")
        XCTAssertNil(PriceService.of(baseURL: "http://localhost:11434"))
        XCTAssertNil(PriceService.of(baseURL: "https://evilapi.openai.com.example.org/v1"))
    }

    func testConfigOverrides() throws {
        let config = try ConfigFile.parse(
            """
            [prices."gpt-4o-mini"]
            input = 1
            [prices."llava"]
            input = 0
            output = 0
            [prices."scaleway/pixtral-12b-2409"]
            output = 9.5
            """, path: "c.toml")
        let table = PriceTable.forConfig(config)
        let mini = try XCTUnwrap(table.quote(model: "gpt-4o-mini", service: "openai"))
        XCTAssertEqual(mini.origin, "config")
        XCTAssertEqual(mini.detail, "c.toml")
        XCTAssertEqual(mini.price.input, 1)
        XCTAssertEqual(mini.price.output, 0.6, "figures the section leaves out stay the bundled ones")
        let llava = try XCTUnwrap(table.quote(model: "llava", service: nil))
        XCTAssertEqual(CostCalculator.cost(usage: Usage(promptTokens: 100, completionTokens: 9), quote: llava, model: "llava").usd, 0)
        XCTAssertEqual(table.quote(model: "pixtral-12b-2409", service: "scaleway")?.price.output, 9.5)
        XCTAssertNotEqual(table.quote(model: "pixtral-12b-2409", service: "mistral")?.price.output, 9.5)
        XCTAssertTrue(table.listing(filter: "llava").contains { $0.price.model == "llava" })
    }

    func testBadPriceSectionsNameFileLineAndKey() {
        XCTAssertThrowsError(try ConfigFile.parse("[prices.\"m\"]\ninput = \"cheap\"\n", path: "c.toml")) { error in
            XCTAssertEqual((error as? VQError)?.message, "c.toml:2: price of 'm': input must be a number of US dollars, 0 or more")
        }
        XCTAssertThrowsError(try ConfigFile.parse("[prices.\"m\"]\ninptu = 1\n", path: "c.toml")) { error in
            XCTAssertTrue((error as? VQError)?.message.contains("did you mean 'input'?") == true)
        }
        XCTAssertThrowsError(try ConfigFile.parse("[prices.\"m\"]\noutput = -1\n", path: "c.toml"))
    }

    /// `per_image` prices an image maker's images by quality and size; the bundled table has OpenAI's for gpt-image-1.
    func testPerImagePricesByQualityAndSize() throws {
        let config = try ConfigFile.parse(
            """
            [prices."my-image"]
            input = 2
            output = 8
            per_image = { "low/1024x1024" = 0.01, "512x512" = 0.02 }
            [prices."gpt-image-1"]
            per_image = { "high/1024x1024" = 0.2 }
            """, path: "c.toml")
        let table = PriceTable.forConfig(config)
        let mine = try XCTUnwrap(table.quote(model: "my-image", service: nil)).price
        XCTAssertEqual(mine.imagePrice(ImagePriceKey(quality: "low", size: "1024x1024", count: 1)), 0.01)
        XCTAssertEqual(mine.imagePrice(ImagePriceKey(quality: "high", size: "512x512", count: 1)), 0.02, "a size alone prices every quality")
        XCTAssertNil(mine.imagePrice(ImagePriceKey(quality: "high", size: "1024x1024", count: 1)))
        XCTAssertNil(mine.imagePrice(ImagePriceKey(quality: nil, size: nil, count: 1)), "no size, no per-image price")
        let bundled = try XCTUnwrap(PriceTable.bundled.quote(model: "gpt-image-1", service: "openai")).price
        XCTAssertEqual(bundled.imagePrice(ImagePriceKey(quality: "medium", size: "1536x1024", count: 1)), 0.063)
        let overridden = try XCTUnwrap(table.quote(model: "gpt-image-1", service: "openai")).price
        XCTAssertEqual(overridden.imagePrice(ImagePriceKey(quality: "high", size: "1024x1024", count: 1)), 0.2)
        XCTAssertEqual(overridden.imagePrice(ImagePriceKey(quality: "low", size: "1024x1024", count: 1)), 0.011, "the bundled rest kept")
        for bad in ["per_image = 0.1", "per_image = { \"huge\" = 0.1 }", "per_image = { \"low/1024x1024\" = \"cheap\" }"] {
            XCTAssertThrowsError(try ConfigFile.parse("[prices.\"m\"]\ninput = 1\noutput = 1\n\(bad)\n", path: "c.toml")) { error in
                XCTAssertTrue((error as? VQError)?.message.hasPrefix("c.toml:4: price of 'm': ") == true, "\(error)")
            }
        }
    }

    /// dall-e-2 and dall-e-3 cost their published price per image, by size (and quality for dall-e-3; standard when
    /// the request leaves it out), nothing per token.
    func testDallEImagesHaveTheirPublishedPerImagePrices() throws {
        let table = PriceTable.bundled
        func price(_ model: String, quality: String?, size: String?) throws -> Double? {
            var query = Query(prompt: "a fox", model: model)
            var generation = ImageGeneration()
            generation.quality = quality
            if let size { XCTAssertTrue(generation.setSize(size)) }
            query.generation = generation
            let key = try XCTUnwrap(ImagePriceKey(query: query))
            return try XCTUnwrap(table.quote(model: model, service: "openai")).price.imagePrice(key)
        }
        XCTAssertEqual(try price("dall-e-2", quality: nil, size: "256x256"), 0.016)
        XCTAssertEqual(try price("dall-e-2", quality: nil, size: "512x512"), 0.018)
        XCTAssertEqual(try price("dall-e-2", quality: nil, size: nil), 0.02, "1024x1024 when not asked")
        XCTAssertEqual(try price("dall-e-3", quality: nil, size: nil), 0.04, "standard 1024x1024 when not asked")
        XCTAssertEqual(try price("dall-e-3", quality: "standard", size: "1792x1024"), 0.08)
        XCTAssertEqual(try price("dall-e-3", quality: "hd", size: "1024x1024"), 0.08)
        XCTAssertEqual(try price("dall-e-3", quality: "hd", size: "1024x1792"), 0.12)
        XCTAssertEqual(try price("dall-e-3", quality: "hd", size: "1800x1000"), 0.12, "the size as sent: the nearest dall-e-3 makes")
        let dallE3 = try XCTUnwrap(table.quote(model: "dall-e-3", service: "openai")).price
        XCTAssertEqual([dallE3.input, dallE3.output], [0, 0])
        XCTAssertNil(dallE3.batchInput)
    }
}
