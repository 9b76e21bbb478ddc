/// The per-image prices of OpenAI's image makers, which LiteLLM's price file (`BundledPrices`) lists only as
/// per-pixel rows: USD per image by quality and size, with the token rates beside them (text input, image output
/// tokens; the Batch API at half). Figures from OpenAI's model pages as of 2026-12: gpt-image-1 (text input $5,
/// cached $1.25, output $40 per million tokens; low $0.011 at 1024x1024 and $0.016 at 1024x1536 or 1536x1024,
/// medium $0.042 / $0.063, high $0.167 / $0.25) and gpt-image-1-mini (developers.openai.com/api/docs/models/
/// gpt-image-1-mini: text input $2, cached $0.20, output $8; low $0.005 / $0.006, medium $0.011 / $0.015, high
/// $0.036 / $0.052). Kept by hand: `make prices` does not write this file.
enum BundledImagePrices {
    static let entries: [ModelPrice] = [
        model(
            "gpt-image-1", input: 5, cached: 1.25, output: 40,
            perImage: ["low": (0.011, 0.016), "medium": (0.042, 0.063), "high": (0.167, 0.25)]),
        model(
            "gpt-image-1-mini", input: 2, cached: 0.2, output: 8,
            perImage: ["low": (0.005, 0.006), "medium": (0.011, 0.015), "high": (0.036, 0.052)]),
    ]

    /// A gpt-image row: `perImage` gives each quality's price at 1024x1024 and at the two oblong sizes.
    private static func model(
        _ name: String, input: Double, cached: Double, output: Double, perImage: [String: (square: Double, oblong: Double)]
    ) -> ModelPrice {
        var prices: [String: Double] = [:]
        for (quality, price) in perImage {
            prices["\(quality)/1024x1024"] = price.square
            prices["\(quality)/1024x1536"] = price.oblong
            prices["\(quality)/1536x1024"] = price.oblong
        }
        return ModelPrice(
            service: "openai", model: name, input: input, cachedInput: cached, output: output, batchInput: input / 2, batchOutput: output / 2,
            outputPerImage: nil, perImage: prices)
    }
}
