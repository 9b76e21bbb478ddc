import FoundationEssentials

/// Prices the exchanges of one profile: the price table (bundled, with the config's sections) and the service
/// the profile's base URL names. The model priced is the one the service answered with, else the one asked for.
public struct CostCounter: Sendable {
    public let table: PriceTable
    /// The service whose prices apply; nil for a gateway or local server (then only config sections apply).
    public let service: String?
    /// The model asked for; an answer naming another (a dated snapshot of it) is priced as this one when it has no
    /// price of its own.
    public private(set) var requestedModel: String?

    public init(table: PriceTable, profile: Profile) {
        self.table = table
        service = PriceService.of(baseURL: profile.baseURL)
        requestedModel = profile.model
    }

    /// The counter for a request that asks `model` rather than the profile's (a prompt list line's own, `vq gen`'s
    /// image model): its answers are priced as `model`, never as the profile's model.
    public func asking(_ model: String) -> CostCounter {
        var counter = self
        if !model.isEmpty { counter.requestedModel = model }
        return counter
    }

    /// The price that applies to `model` (the answered or requested one).
    public func quote(model: String?) -> PriceQuote? {
        guard let name = model ?? requestedModel, !name.isEmpty else { return nil }
        return table.quote(model: name, service: service) ?? (model != nil ? requestedModel.flatMap { table.quote(model: $0, service: service) } : nil)
    }

    /// What an exchange cost, from the usage the service reported (and, for a generation, the images it made).
    public func cost(usage: Usage?, model: String?, returnedImages: Int = 0, providerBatch: Bool = false, images: ImagePriceKey? = nil) -> Cost {
        CostCalculator.cost(
            usage: usage, returnedImages: returnedImages, quote: quote(model: model), model: model ?? requestedModel ?? "(none)",
            providerBatch: providerBatch, images: images)
    }

    /// What a request will cost before it is sent: its estimated input tokens, and `outputTokens` (`--max-tokens`, an
    /// upper bound, or what answers took so far; nil counts none); a generation's images at their per-image price.
    public func estimate(
        _ tokens: TokenEstimate, outputTokens: Int?, model: String?, providerBatch: Bool = false, images: ImagePriceKey? = nil
    ) -> Cost {
        if let images, let quote = quote(model: model), let each = quote.price.imagePrice(images) {
            return CostCalculator.imageCost(
                each, count: images.count, inputTokens: tokens.total, quote: quote, providerBatch: providerBatch, estimated: true)
        }
        return estimate(promptTokens: tokens.total, completionTokens: outputTokens ?? 0, model: model, providerBatch: providerBatch)
    }

    /// The end of the dry run's cost line for a generation: "(input and 2 image(s) at $0.011 each)", or why images
    /// are not counted; nil for other requests.
    public func imageNote(_ images: ImagePriceKey?, model: String?) -> String? {
        guard let images else { return nil }
        guard let each = quote(model: model)?.price.imagePrice(images) else {
            let asked = images.candidates.first ?? "the size and quality the service picks"
            return "input only: no per-image price for \(asked)\(images.quality == nil ? "; --quality and --size name one" : "")"
        }
        return "input and \(images.count) image(s) at \(Cost.dollars(each)) each"
    }

    /// "estimated cost: ~$0.0012 (input only: --max-tokens N bounds the output)", the dry run's line.
    public static func estimateLine(_ cost: Cost, outputTokens: Int?, what: String = "", images: String? = nil) -> String {
        "estimated cost\(what): \(cost.text)"
            + (cost.usd == nil
                ? " (\(cost.unknownReason ?? "no price"))"
                : images.map { " (\($0))" } ?? outputTokens.map { " (input and at most \($0) output tokens)" }
                    ?? " (input only; --max-tokens N bounds the output)")
    }

    /// What an exchange will cost, from token estimates made before sending (`--dry-run`, `--max-cost`).
    public func estimate(promptTokens: Int, completionTokens: Int, model: String?, providerBatch: Bool = false) -> Cost {
        CostCalculator.cost(
            usage: Usage(promptTokens: promptTokens, completionTokens: completionTokens), quote: quote(model: model),
            model: model ?? requestedModel ?? "(none)", providerBatch: providerBatch, estimated: true)
    }
}
