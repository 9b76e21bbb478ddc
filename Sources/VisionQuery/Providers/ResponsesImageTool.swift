import FoundationEssentials

/// The Responses API's `image_generation` tool for `vq gen`: the Images API's options as tool fields (`size`,
/// `quality`, `background`, `output_format`, `output_compression`, `moderation`, `partial_images`,
/// `input_fidelity`); the mask goes as `input_image_mask` (added by the adapter, which owns the inline images).
enum ResponsesImageTool {
    /// The model behind the tool, whose sizes apply.
    static let model = "gpt-image-1"

    static func fields(_ generation: ImageGeneration, isEdit: Bool, stream: Bool) -> [(String, Any)] {
        var fields: [(String, Any)] = []
        if let size = ImageSizeChoice.openAISize(generation, model: model) { fields.append(("size", size.value)) }
        if let quality = generation.quality { fields.append(("quality", quality)) }
        if let background = generation.background { fields.append(("background", background)) }
        if let format = generation.format { fields.append(("output_format", format)) }
        if let compression = generation.compression { fields.append(("output_compression", compression)) }
        if let moderation = generation.moderation { fields.append(("moderation", moderation)) }
        if stream, let partial = generation.partialImages { fields.append(("partial_images", partial)) }
        if isEdit, let fidelity = generation.inputFidelity { fields.append(("input_fidelity", fidelity)) }
        return fields
    }

    /// What the tool has no field for: it makes one image per call, and fidelity is for edits.
    static func ignoredOptions(_ generation: ImageGeneration, isEdit: Bool) -> [String] {
        var supported = Set(ImageGeneration.Option.allCases)
        if generation.count.map({ $0 > 1 }) == true { supported.remove(.count) }
        if !isEdit { supported.remove(.fidelity) }
        return generation.ignored(supporting: supported)
    }
}
