import FoundationEssentials

/// What one model costs on one service, in USD per million tokens (per image for `outputPerImage`).
public struct ModelPrice: Equatable, Sendable {
    /// The service that charges this price (`openai`, `anthropic`, `gemini`, ...; see `PriceService`).
    public var service: String
    public var model: String
    public var input: Double
    /// Input tokens read from the service's prompt cache; nil means they cost as much as other input.
    public var cachedInput: Double?
    public var output: Double
    /// Through the service's own batch API (`--provider-batch`); nil when it has none.
    public var batchInput: Double?
    public var batchOutput: Double?
    /// Each image the model returns, on top of its output tokens.
    public var outputPerImage: Double?
    /// Each image an image maker makes, by `QUALITY/SIZE` or `SIZE` (see `ImagePriceKey`): in place of its output
    /// tokens, as OpenAI publishes gpt-image and dall-e prices.
    public var perImage: [String: Double] = [:]

    public init(
        service: String, model: String, input: Double, cachedInput: Double?, output: Double, batchInput: Double?,
        batchOutput: Double?, outputPerImage: Double?, perImage: [String: Double] = [:]
    ) {
        self.perImage = perImage
        self.service = service
        self.model = model
        self.input = input
        self.cachedInput = cachedInput
        self.output = output
        self.batchInput = batchInput
        self.batchOutput = batchOutput
        self.outputPerImage = outputPerImage
    }

    /// The price of one image made as `key` asks, nil when the table has none for it.
    public func imagePrice(_ key: ImagePriceKey) -> Double? { key.candidates.lazy.compactMap { perImage[$0] }.first }
}
