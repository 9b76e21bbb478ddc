import XCTest

@testable import VisionQuery

/// Cost arithmetic against the services' own published figures and worked examples.
final class CostCalculatorTests: XCTestCase {
    /// Claude Sonnet at $3 / $15 per million tokens, cache reads $0.30, batches half price
    /// (docs.anthropic.com: pricing, prompt caching "0.1x base input", Message Batches "50% of standard prices").
    let sonnet = PriceQuote(
        price: ModelPrice(
            service: "anthropic", model: "claude-sonnet-4-5", input: 3, cachedInput: 0.3, output: 15, batchInput: 1.5, batchOutput: 7.5,
            outputPerImage: nil),
        origin: "bundled", detail: "2026-12-06")
    /// gpt-4o-mini at $0.15 input, $0.075 cached input, $0.60 output; Batch API $0.075 / $0.30 (openai.com/api/pricing).
    let mini = PriceQuote(
        price: ModelPrice(
            service: "openai", model: "gpt-4o-mini", input: 0.15, cachedInput: 0.075, output: 0.6, batchInput: 0.075, batchOutput: 0.3,
            outputPerImage: nil),
        origin: "bundled", detail: "2026-12-06")

    /// Anthropic's vision page: a 1092x1092 image is ~1590 tokens, "~$0.0048" per image and "~$4.80" per thousand at $3
    /// per million input tokens; a 1000x1000 one ~1334 tokens, "~$0.004".
    func testAnthropicVisionWorkedExample() {
        let one = CostCalculator.cost(usage: Usage(promptTokens: 1590, completionTokens: 0), quote: sonnet, model: "claude-sonnet-4-5")
        XCTAssertEqual(one.usd!, 0.00477, accuracy: 1e-12)
        XCTAssertEqual(Cost.dollars(one.usd!), "$0.00477")
        XCTAssertEqual(one.usd! * 1000, 4.77, accuracy: 1e-9, "~$4.80 per thousand images")
        let small = CostCalculator.cost(usage: Usage(promptTokens: 1334, completionTokens: 0), quote: sonnet, model: "claude-sonnet-4-5")
        XCTAssertEqual(small.usd!, 0.004002, accuracy: 1e-12)
    }

    /// OpenAI's usage splits input: prompt_tokens include cached_tokens, charged at the cached rate; output at its own
    /// (OpenAI's answer on community.openai.com/t/1099176: uncached × input + cached × cached + completion × output).
    func testCachedInputIsChargedAtTheCachedRate() {
        let usage = Usage(promptTokens: 2_000, completionTokens: 500, cachedPromptTokens: 1_024)
        let cost = CostCalculator.cost(usage: usage, quote: mini, model: "gpt-4o-mini")
        // 976 × 0.15 + 1024 × 0.075 + 500 × 0.60 = 146.4 + 76.8 + 300 = 523.2 per million
        XCTAssertEqual(cost.usd!, 0.0005232, accuracy: 1e-13)
        let uncached = CostCalculator.cost(usage: Usage(promptTokens: 2_000, completionTokens: 500), quote: mini, model: "gpt-4o-mini")
        XCTAssertEqual(uncached.usd!, 0.0006, accuracy: 1e-13)
    }

    /// Anthropic's cache: reads at 0.1x. The 1590-token image read from the cache costs $0.000477 instead of $0.00477.
    func testAnthropicCacheRead() {
        let cost = CostCalculator.cost(
            usage: Usage(promptTokens: 1590, completionTokens: 0, cachedPromptTokens: 1590), quote: sonnet, model: "claude-sonnet-4-5")
        XCTAssertEqual(cost.usd!, 0.000477, accuracy: 1e-13)
    }

    /// Batches are half price on all three services; cached input is discounted by the same ratio.
    func testProviderBatchDiscount() {
        let usage = Usage(promptTokens: 1590, completionTokens: 100)
        let standard = CostCalculator.cost(usage: usage, quote: sonnet, model: "claude-sonnet-4-5")
        let batch = CostCalculator.cost(usage: usage, quote: sonnet, model: "claude-sonnet-4-5", providerBatch: true)
        XCTAssertEqual(standard.usd!, 0.00627, accuracy: 1e-12)
        XCTAssertEqual(batch.usd!, 0.003135, accuracy: 1e-12)
        let cachedBatch = CostCalculator.cost(
            usage: Usage(promptTokens: 1590, completionTokens: 0, cachedPromptTokens: 1590), quote: sonnet, model: "claude-sonnet-4-5",
            providerBatch: true)
        XCTAssertEqual(cachedBatch.usd!, 0.0002385, accuracy: 1e-13)
    }

    /// Google's pricing page for Gemini 2.5 Flash Image: "$0.039 per image" (1290 tokens at $30 per million).
    func testPerImageOutput() {
        let quote = PriceQuote(
            price: ModelPrice(
                service: "gemini", model: "gemini-2.5-flash-image", input: 0.3, cachedInput: 0.03, output: 2.5, batchInput: 0.15,
                batchOutput: 1.25, outputPerImage: 0.039),
            origin: "bundled", detail: "2026-12-06")
        let cost = CostCalculator.cost(usage: Usage(promptTokens: 0, completionTokens: 0), returnedImages: 2, quote: quote, model: "m")
        XCTAssertEqual(cost.usd!, 0.078, accuracy: 1e-12)
        let batch = CostCalculator.cost(
            usage: Usage(promptTokens: 0, completionTokens: 0), returnedImages: 2, quote: quote, model: "m", providerBatch: true)
        XCTAssertEqual(batch.usd!, 0.039, accuracy: 1e-12)
    }

    func testUnknownIsNeverZero() {
        let noPrice = CostCalculator.cost(usage: Usage(promptTokens: 10, completionTokens: 5), quote: nil, model: "llava")
        XCTAssertNil(noPrice.usd)
        XCTAssertEqual(noPrice.text, "unknown")
        XCTAssertEqual(noPrice.jsonObject["usd"] as? String, "unknown")
        XCTAssertTrue((noPrice.jsonObject["reason"] as? String ?? "").contains("[prices.\"llava\"]"))
        let noUsage = CostCalculator.cost(usage: nil, quote: mini, model: "gpt-4o-mini")
        XCTAssertNil(noUsage.usd)
        let noBatchPrice = PriceQuote(
            price: ModelPrice(
                service: "scaleway", model: "pixtral-12b-2409", input: 0.2, cachedInput: nil, output: 0.2, batchInput: nil, batchOutput: nil,
                outputPerImage: nil),
            origin: "bundled", detail: "d")
        XCTAssertNil(
            CostCalculator.cost(usage: Usage(promptTokens: 1, completionTokens: 1), quote: noBatchPrice, model: "p", providerBatch: true).usd)
    }

    func testDollarText() {
        XCTAssertEqual(Cost.dollars(0), "$0")
        XCTAssertEqual(Cost.dollars(0.000417), "$0.000417")
        XCTAssertEqual(Cost.dollars(12.3456), "$12.35")
        XCTAssertEqual(Cost.dollars(0.5), "$0.50")
        XCTAssertEqual(Cost.dollars(0.0123), "$0.0123")
    }

    /// gpt-image-1 at OpenAI's per-image prices: images cost their quality and size's price in place of output
    /// tokens, the prompt its input tokens ($5 per million); the Batch API halves both.
    func testGeneratedImagesCostTheirPerImagePrice() throws {
        let quote = PriceQuote(price: try XCTUnwrap(PriceTable.bundled.quote(model: "gpt-image-1", service: "openai")).price, origin: "bundled", detail: "")
        let key = ImagePriceKey(quality: "high", size: "1536x1024", count: 2)
        let usage = Usage(promptTokens: 50, completionTokens: 12_480)
        let cost = CostCalculator.cost(usage: usage, returnedImages: 2, quote: quote, model: "gpt-image-1", images: key)
        XCTAssertEqual(cost.usd!, 50 * 5 / 1e6 + 2 * 0.25, accuracy: 1e-12)
        let batch = CostCalculator.cost(usage: usage, returnedImages: 2, quote: quote, model: "gpt-image-1", providerBatch: true, images: key)
        XCTAssertEqual(batch.usd!, cost.usd! / 2, accuracy: 1e-12)
        let unpriced = CostCalculator.cost(
            usage: usage, returnedImages: 2, quote: quote, model: "gpt-image-1", images: ImagePriceKey(quality: nil, size: nil, count: 2))
        XCTAssertEqual(unpriced.usd!, (50 * 5 + 12_480 * 40) / 1e6, accuracy: 1e-12, "without a per-image price: its tokens")
        let noUsage = CostCalculator.cost(
            usage: nil, returnedImages: 1, quote: quote, model: "gpt-image-1", images: ImagePriceKey(quality: "low", size: "1024x1024", count: 1))
        XCTAssertEqual(noUsage.usd!, 0.011, accuracy: 1e-12, "an answer without usage still costs its images")
    }
}
