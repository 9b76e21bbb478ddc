import FoundationEssentials

/// `vq gen` on a chat-completions service (OpenRouter, AiHubMix and other gateways): `modalities` asks for images
/// (`["image", "text"]` unless the profile or `--modalities` names others: image-only models answer 404 to
/// `["image","text"]`, so such a profile sets `modalities = ["image"]`) and OpenRouter's `image_config` carries
/// `aspect_ratio` and `image_size`; the other options have no field there.
enum ChatImageOutput {
    static func apply(_ generation: ImageGeneration, modalities: [String], to body: inout [String: Any]) {
        if !modalities.contains("image") { body["modalities"] = ["image", "text"] }
        let (aspect, size, _) = ImageSizeChoice.gemini(generation)
        var config: [String: Any] = [:]
        if let aspect { config["aspect_ratio"] = aspect }
        if let size { config["image_size"] = size }
        if !config.isEmpty { body["image_config"] = config }
    }

    /// The options a chat-style request (and Gemini's `generationConfig`) has no field for.
    static func ignoredOptions(_ generation: ImageGeneration) -> [String] { generation.ignored(supporting: [.size, .aspect]) }
}
