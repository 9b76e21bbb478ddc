import FoundationEssentials
import Glibc

/// Turns `--size` and `--aspect` into what an api allows, from each one's documentation: OpenAI's fixed sizes per
/// model family, the aspect ratios and 1K/2K/4K sizes of Gemini's `imageConfig` (and OpenRouter's `image_config`).
/// Each choice comes with the -v note saying what was converted.
enum ImageSizeChoice {
    /// Sizes OpenAI's Images API (and the `image_generation` tool) makes, by model family; nil for other models
    /// (a compatible service), which get the size as given.
    static func openAISizes(model: String) -> [PixelDimensions]? {
        let sizes: [(String, [(Int, Int)])] = [
            ("gpt-image", [(1024, 1024), (1536, 1024), (1024, 1536)]),
            ("dall-e-3", [(1024, 1024), (1792, 1024), (1024, 1792)]),
            ("dall-e-2", [(256, 256), (512, 512), (1024, 1024)]),
        ]
        return sizes.first { model.lowercased().hasPrefix($0.0) }.map { $0.1.map { PixelDimensions(width: $0.0, height: $0.1) } }
    }

    /// OpenAI's `size`: `auto`, the nearest allowed size, or (unknown model) the size asked, or one made from
    /// the aspect ratio with 1024 on the longer side; gpt-image-2 takes any size within its limits.
    static func openAISize(_ generation: ImageGeneration, model: String) -> (value: String, note: String?)? {
        if generation.automaticSize { return ("auto", nil) }
        if model.lowercased().hasPrefix("gpt-image-2") { return freeSize(generation, model: model) }
        let allowed = openAISizes(model: model)
        if let size = generation.size {
            guard let allowed, !allowed.contains(size) else { return (size.description, nil) }
            let nearest = nearestSize(to: size, among: allowed)
            return (nearest.description, "--size \(size) -> \(nearest), the nearest size \(model) makes")
        }
        if let aspect = generation.aspect {
            guard let allowed else {
                let made =
                    aspect.ratio >= 1
                    ? PixelDimensions(width: 1024, height: roundTo64(1024 / aspect.ratio))
                    : PixelDimensions(width: roundTo64(1024 * aspect.ratio), height: 1024)
                return (made.description, "--aspect \(aspect) -> size \(made)")
            }
            let nearest = AspectRatio.nearest(to: aspect.ratio, among: allowed, ratioOf: \.ratio)!
            return (nearest.description, "--aspect \(aspect) -> size \(nearest), the nearest \(model) makes")
        }
        return nil
    }

    /// Aspect ratios Gemini's `imageConfig.aspectRatio` (and OpenRouter's `image_config.aspect_ratio`) take.
    static let geminiAspects = ["1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9"].compactMap(AspectRatio.init(parsing:))

    /// Gemini's `aspectRatio` and `imageSize` (1K, 2K, 4K by the longer side of `--size`), with the -v note.
    static func gemini(_ generation: ImageGeneration) -> (aspect: String?, size: String?, notes: [String]) {
        var notes: [String] = []
        var aspect: String?
        var imageSize: String?
        if let wanted = generation.aspect {
            let nearest = AspectRatio.nearest(to: wanted.ratio, among: geminiAspects, ratioOf: \.ratio)!
            aspect = nearest.description
            if nearest != wanted { notes.append("--aspect \(wanted) -> \(nearest), the nearest aspect ratio the api takes") }
        }
        if let size = generation.size {
            if aspect == nil {
                let nearest = AspectRatio.nearest(to: size.ratio, among: geminiAspects, ratioOf: \.ratio)!
                aspect = nearest.description
                notes.append("--size \(size) -> aspect ratio \(nearest)")
            }
            let longer = max(size.width, size.height)
            imageSize = longer <= 1024 ? "1K" : longer <= 2048 ? "2K" : "4K"
            notes.append("--size \(size) -> image size \(imageSize!)")
        }
        return (aspect, imageSize, notes)
    }

    /// gpt-image-2's `size`: any WIDTHxHEIGHT whose sides are multiples of 16, whose ratio is between 1:3 and 3:1,
    /// at most 3840x2160 (OpenAI's OpenAPI spec 2.3.0, CreateImageRequest.size); `--size` is brought within them,
    /// `--aspect` made with 1024 on the longer side.
    static func freeSize(_ generation: ImageGeneration, model: String) -> (value: String, note: String?)? {
        let asked: PixelDimensions
        let option: String
        if let size = generation.size {
            (asked, option) = (size, "--size \(size)")
        } else if let aspect = generation.aspect {
            let made =
                aspect.ratio >= 1
                ? PixelDimensions(width: 1024, height: Int((1024 / aspect.ratio).rounded()))
                : PixelDimensions(width: Int((1024 * aspect.ratio).rounded()), height: 1024)
            (asked, option) = (made, "--aspect \(aspect)")
        } else {
            return nil
        }
        var width = Double(asked.width)
        var height = Double(asked.height)
        if width > 3 * height { width = 3 * height }
        if height > 3 * width { height = 3 * width }
        let (longer, shorter) = (max(width, height), min(width, height))
        let scale = min(1, 3840 / longer, 2160 / shorter)
        let snap = { (side: Double) in max(16, Int((side * scale / 16).rounded()) * 16) }
        let size = PixelDimensions(width: snap(width), height: snap(height))
        guard size != asked || generation.size == nil else { return (size.description, nil) }
        return (size.description, "\(option) -> size \(size), within what \(model) makes (sides multiples of 16, 1:3 to 3:1, at most 3840x2160)")
    }

    /// The allowed size nearest in shape, then in area.
    static func nearestSize(to size: PixelDimensions, among allowed: [PixelDimensions]) -> PixelDimensions {
        allowed.min { a, b in
            let da = abs(log(a.ratio) - log(size.ratio))
            let db = abs(log(b.ratio) - log(size.ratio))
            if abs(da - db) > 1e-9 { return da < db }
            return abs(a.width * a.height - size.width * size.height) < abs(b.width * b.height - size.width * size.height)
        }!
    }

    private static func roundTo64(_ value: Double) -> Int { max(64, Int((value / 64).rounded()) * 64) }
}
