import Foundation

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
    static func ignoredOptions(_ generation: ImageGeneration) -> [String] {
        var ignored: [String] = []
        if generation.count != nil { ignored.append("-n") }
        if generation.automaticSize { ignored.append("--size auto") }
        if generation.quality != nil { ignored.append("--quality") }
        if generation.background != nil { ignored.append("--background") }
        if generation.format != nil { ignored.append("--format") }
        if generation.compression != nil { ignored.append("--compression") }
        if generation.moderation != nil { ignored.append("--moderation") }
        if generation.inputFidelity != nil { ignored.append("--fidelity") }
        if generation.partialImages != nil { ignored.append("--partial-images") }
        if generation.mask != nil { ignored.append("--mask") }
        return ignored
    }
}
