import FoundationEssentials

/// Turns token counts into dollars with a `ModelPrice`: uncached input, cached input, output tokens, returned
/// images, at the batch rates for provider batches.
public enum CostCalculator {
    /// The cost of an exchange whose service reported `usage`; unknown without a price or without token counts.
    /// `images`: what a generation asked; when the price has a per-image figure for it, the images made cost that
    /// (in place of output tokens) and the input tokens, if reported, their rate.
    public static func cost(
        usage: Usage?, returnedImages: Int = 0, quote: PriceQuote?, model: String, providerBatch: Bool = false, estimated: Bool = false,
        images: ImagePriceKey? = nil
    ) -> Cost {
        guard let quote else {
            return Cost(unknown: "no price for model '\(model)' (see 'vq prices'; add [prices.\"\(model)\"] to the config)")
        }
        if let images, let each = quote.price.imagePrice(images) {
            return imageCost(
                each, count: returnedImages, inputTokens: usage?.promptTokens ?? 0, quote: quote, providerBatch: providerBatch, estimated: estimated)
        }
        guard let input = usage?.promptTokens, let output = usage?.completionTokens else {
            return Cost(unknown: "the service reported no token counts")
        }
        let price = quote.price
        var rates = (input: price.input, cached: price.cachedInput ?? price.input, output: price.output, image: price.outputPerImage ?? 0)
        if providerBatch {
            guard let batchInput = price.batchInput, let batchOutput = price.batchOutput else {
                return Cost(unknown: "no batch price for model '\(model)'")
            }
            // A batch discounts cached input and images as it does the rest (Anthropic's and OpenAI's batch pages).
            rates = (
                batchInput, rates.cached * ratio(batchInput, price.input), batchOutput, rates.image * ratio(batchOutput, price.output)
            )
        }
        let cached = min(max(usage?.cachedPromptTokens ?? 0, 0), input)
        let tokens = Double(input - cached) * rates.input + Double(cached) * rates.cached + Double(output) * rates.output
        let images = Double(returnedImages) * rates.image
        return Cost(usd: rounded(tokens / 1_000_000 + images), quote: quote, estimated: estimated)
    }

    /// `count` images at `each`, plus the input tokens; a provider batch discounts both as it does input and output.
    static func imageCost(_ each: Double, count: Int, inputTokens: Int, quote: PriceQuote, providerBatch: Bool, estimated: Bool) -> Cost {
        let price = quote.price
        var (input, image) = (price.input, each)
        if providerBatch {
            guard let batchInput = price.batchInput, let batchOutput = price.batchOutput else {
                return Cost(unknown: "no batch price for model '\(price.model)'")
            }
            (input, image) = (batchInput, each * ratio(batchOutput, price.output))
        }
        return Cost(usd: rounded(Double(max(inputTokens, 0)) * input / 1_000_000 + Double(count) * image), quote: quote, estimated: estimated)
    }

    /// The batch discount a price implies (1 when the standard price is 0).
    static func ratio(_ discounted: Double, _ standard: Double) -> Double { standard > 0 ? discounted / standard : 1 }

    /// To a tenth of a millionth of a cent, so sums and JSON carry no binary-fraction noise.
    static func rounded(_ usd: Double) -> Double { (usd * 1e10).rounded() / 1e10 }
}
