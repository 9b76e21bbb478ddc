import FoundationEssentials

/// The image-maker options one line of a prompt list gives (`{"prompt": "…", "size": "1792x1024", "model": "dall-e-3"}`):
/// they replace the command line's for that line only.
public struct PromptLineOptions: Hashable, Sendable {
    /// The values of the options given (the others unset).
    public var generation = ImageGeneration()
    /// The options given, in `ImageGeneration.Option` order.
    public var given: [ImageGeneration.Option] = []
    /// `"model"`: the model this line asks the profile for, in place of `-m` (or the profile's image model).
    public var model: String?

    public init() {}

    public var isEmpty: Bool { given.isEmpty && model == nil }

    /// `base` (the command line's options) with this line's in their place.
    public func applied(to base: ImageGeneration) -> ImageGeneration {
        var merged = base
        for option in given { merged.take(option, from: generation) }
        return merged
    }

    /// The line's query: its options over the command line's, and its model.
    public func apply(to query: inout Query) {
        if let base = query.generation { query.generation = applied(to: base) }
        if let model { query.model = model }
    }

    /// How a dry run shows them: `model dall-e-3, size 1792x1024, quality hd`.
    public var summary: String {
        let fields = (model.map { [("model", $0 as Any)] } ?? []) + generation.summary
        return fields.map { "\($0.0) \($0.1)" }.joined(separator: ", ")
    }
}
