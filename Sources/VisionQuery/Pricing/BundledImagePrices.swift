/// The per-image prices of OpenAI's image makers, which LiteLLM's price file (`BundledPrices`) lists only as
/// per-pixel rows: USD per image by quality and size, with the token rates beside them (text input, image output
/// tokens; the Batch API at half). Figures from OpenAI's model pages as of 2026-12: gpt-image-1 (text input $5,
/// cached $1.25, output $40 per million tokens; low $0.011 at 1024x1024 and $0.016 at 1024x1536 or 1536x1024,
/// medium $0.042 / $0.063, high $0.167 / $0.25) and gpt-image-1-mini (developers.openai.com/api/docs/models/
/// gpt-image-1-mini: text input $2, cached $0.20, output $8; low $0.005 / $0.006, medium $0.011 / $0.015, high
/// $0.036 / $0.052). dall-e-2 and dall-e-3 are priced per image only (no tokens): dall-e-2 $0.016 at 256x256, $0.018
/// at 512x512, $0.02 at 1024x1024 (developers.openai.com/api/docs/models/dall-e-2, whose table prints the three
/// figures under gpt-image's size labels); dall-e-3 standard $0.04 at 1024x1024 (the same page's comparison) and $0.08
/// at 1024x1792 or 1792x1024, hd $0.08 and $0.12 (LiteLLM's model_prices_and_context_window.json, rows
/// `standard/1024-x-1792/dall-e-3` and `hd/…/dall-e-3`: per-pixel figures times the pixels; OpenAI's own dall-e-3 page,
/// developers.openai.com/api/docs/models/dall-e-3, now says the model is shut down and lists no price). No batch price
/// is recorded for either. Kept by hand: `make prices` does not write this file.
enum BundledImagePrices {
    static let entries: [ModelPrice] = [
        model(
            "gpt-image-1", input: 5, cached: 1.25, output: 40,
            perImage: ["low": (0.011, 0.016), "medium": (0.042, 0.063), "high": (0.167, 0.25)]),
        model(
            "gpt-image-1-mini", input: 2, cached: 0.2, output: 8,
            perImage: ["low": (0.005, 0.006), "medium": (0.011, 0.015), "high": (0.036, 0.052)]),
        dallE("dall-e-2", perImage: ["256x256": 0.016, "512x512": 0.018, "1024x1024": 0.02]),
        dallE(
            "dall-e-3",
            perImage: [
                "standard/1024x1024": 0.04, "standard/1024x1792": 0.08, "standard/1792x1024": 0.08,
                "hd/1024x1024": 0.08, "hd/1024x1792": 0.12, "hd/1792x1024": 0.12,
            ]),
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

    /// A dall-e row: nothing per token, `perImage` by `QUALITY/SIZE` or `SIZE` (see `ImagePriceKey`).
    private static func dallE(_ name: String, perImage: [String: Double]) -> ModelPrice {
        ModelPrice(
            service: "openai", model: name, input: 0, cachedInput: nil, output: 0, batchInput: nil, batchOutput: nil, outputPerImage: nil,
            perImage: perImage)
    }
}
