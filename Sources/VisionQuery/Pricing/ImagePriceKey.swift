import FoundationEssentials

/// Which per-image price a generation pays: OpenAI prices each image its Images API makes by quality and size
/// (`low/1024x1024`), dall-e-2 by size alone (`512x512`). Made from what the request asks, the size as sent.
public struct ImagePriceKey: Equatable, Sendable {
    public var quality: String?
    public var size: String?
    /// The images asked for (`-n`, default 1).
    public var count: Int

    public init(quality: String?, size: String?, count: Int) {
        self.quality = quality
        self.size = size
        self.count = count
    }

    /// The key of `query`'s generation; nil when it makes no images. The dall-e models' defaults (standard,
    /// 1024x1024) count when the request leaves them out; a gpt-image request without `--quality` or `--size` has
    /// no per-image price (the service picks).
    public init?(query: Query) {
        guard let generation = query.generation else { return nil }
        let dallE = query.model.lowercased().hasPrefix("dall-e")
        quality = generation.quality ?? (dallE ? "standard" : nil)
        size = ImageSizeChoice.openAISize(generation, model: query.model)?.value ?? (dallE ? "1024x1024" : nil)
        count = generation.count ?? 1
    }

    /// The price table keys to try, most exact first: `QUALITY/SIZE`, then `SIZE`.
    public var candidates: [String] {
        guard let size, size != "auto" else { return [] }
        return (quality.map { ["\($0)/\(size)"] } ?? []) + [size]
    }
}
