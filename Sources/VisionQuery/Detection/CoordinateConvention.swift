import FoundationEssentials
import Imaging

/// How one model family writes boxes and points: the JSON keys, the axis order and the scale. Chosen by the profile's
/// `detect_coordinates` key, else inferred from the model name, else vq's own convention stated in the prompt.
public struct CoordinateConvention: Sendable, Equatable {
    /// What a coordinate's unit is.
    public enum Scale: Sendable, Equatable {
        /// 0–1000 across the image the model saw, whatever its aspect ratio.
        case perMille
        /// Absolute pixels of the image the model's processor made from the sent one (Qwen2.5-VL's smart resize).
        case qwenResizedPixels
    }

    /// The profile key's value naming it: "gemini", "qwen2.5", "qwen3", "vq".
    public let name: String
    public let boxKey: String
    public let pointKey: String
    /// True when the model writes y before x (Gemini: `[ymin, xmin, ymax, xmax]`, points `[y, x]`).
    public let yFirst: Bool
    public let scale: Scale
    /// True when the model asks for no explanation of the convention (it was trained on it).
    public let native: Bool
    /// For `.qwenResizedPixels`: the area range the model's processor resizes into (its min_pixels...max_pixels).
    public var qwenPixels = Self.qwenDefaultPixels

    /// Qwen2.5-VL's preprocessor_config.json: min_pixels 3,136 (56x56), max_pixels 12,845,056 (16384 x 28 x 28), what a
    /// server loading the checkpoint (vLLM, transformers' AutoProcessor) uses unless told otherwise.
    public static let qwenDefaultPixels = 3136...12_845_056

    /// Gemini: `box_2d` `[ymin, xmin, ymax, xmax]` and `point` `[y, x]`, integers on 0–1000.
    public static let gemini = CoordinateConvention(name: "gemini", boxKey: "box_2d", pointKey: "point", yFirst: true, scale: .perMille, native: true)

    init(name: String, boxKey: String, pointKey: String, yFirst: Bool, scale: Scale, native: Bool) {
        (self.name, self.boxKey, self.pointKey, self.yFirst, self.scale, self.native) = (name, boxKey, pointKey, yFirst, scale, native)
    }
    /// Qwen2.5-VL: `bbox_2d` `[x1, y1, x2, y2]` and `point_2d` `[x, y]` in absolute pixels of its resized input.
    public static let qwen25 = CoordinateConvention(
        name: "qwen2.5", boxKey: "bbox_2d", pointKey: "point_2d", yFirst: false, scale: .qwenResizedPixels, native: true)
    /// Qwen3-VL (and Qwen2-VL): `bbox_2d` `[x1, y1, x2, y2]` and `point_2d` `[x, y]` on 0–1000.
    public static let qwen3 = CoordinateConvention(name: "qwen3", boxKey: "bbox_2d", pointKey: "point_2d", yFirst: false, scale: .perMille, native: true)
    /// Any other model: vq's schema, `box` `[xmin, ymin, xmax, ymax]` and `point` `[x, y]` on 0–1000, stated in the prompt.
    public static let vq = CoordinateConvention(name: "vq", boxKey: "box", pointKey: "point", yFirst: false, scale: .perMille, native: false)

    public static let all = [gemini, qwen25, qwen3, vq]

    /// The convention the profile key names, or nil.
    public static func named(_ name: String) -> CoordinateConvention? { all.first { $0.name == name } }

    /// The convention for a profile: its `detect_coordinates` key, else the model family's, else vq's; Qwen2.5-VL's
    /// resize range from `qwen_min_pixels` and `qwen_max_pixels` (a range upside down is a config error).
    public static func of(profile: Profile, model: String) throws(VQError) -> CoordinateConvention {
        var convention = family(profile: profile, model: model)
        let (low, high) = (profile.qwenMinPixels ?? qwenDefaultPixels.lowerBound, profile.qwenMaxPixels ?? qwenDefaultPixels.upperBound)
        guard low <= high else {
            throw VQError(.config, "profile '\(profile.name)': qwen_min_pixels \(low) is over qwen_max_pixels \(high)")
        }
        convention.qwenPixels = low...high
        return convention
    }

    private static func family(profile: Profile, model: String) -> CoordinateConvention {
        if let name = profile.detectCoordinates, let named = named(name) { return named }
        let model = model.lowercased()
        if model.contains("gemini") || profile.api == .gemini { return .gemini }
        if model.contains("qwen2.5-vl") || model.contains("qwen2_5-vl") || model.contains("qwen2.5vl") { return .qwen25 }
        if model.contains("qwen3-vl") || model.contains("qwen2-vl") { return .qwen3 }
        return .vq
    }

    /// The size of the frame the model's numbers are in, for an image sent at `sent`.
    public func modelFrame(sent: PixelSize) -> (width: Double, height: Double) {
        switch scale {
        case .perMille: return (1000, 1000)
        case .qwenResizedPixels:
            let resized = Self.qwenSmartResize(sent, minPixels: Double(qwenPixels.lowerBound), maxPixels: Double(qwenPixels.upperBound))
            return (Double(resized.width), Double(resized.height))
        }
    }

    /// Qwen2.5-VL's processor: each side rounded to a multiple of 28, the area kept within `minPixels...maxPixels`
    /// (by default the model's preprocessor_config.json: 3,136 to 12,845,056).
    static func qwenSmartResize(_ size: PixelSize, factor: Double = 28, minPixels: Double = 3136, maxPixels: Double = 12_845_056) -> PixelSize {
        let (height, width) = (Double(size.height), Double(size.width))
        var resizedHeight = max(factor, (height / factor).rounded(.toNearestOrEven) * factor)
        var resizedWidth = max(factor, (width / factor).rounded(.toNearestOrEven) * factor)
        if resizedHeight * resizedWidth > maxPixels {
            let beta = (height * width / maxPixels).squareRoot()
            resizedHeight = max(factor, (height / beta / factor).rounded(.down) * factor)
            resizedWidth = max(factor, (width / beta / factor).rounded(.down) * factor)
        } else if resizedHeight * resizedWidth < minPixels {
            let beta = (minPixels / (height * width)).squareRoot()
            resizedHeight = (height * beta / factor).rounded(.up) * factor
            resizedWidth = (width * beta / factor).rounded(.up) * factor
        }
        return PixelSize(width: Int(resizedWidth), height: Int(resizedHeight))
    }

    /// The order of a box's four numbers, as the prompt states it.
    public var boxOrder: String { yFirst ? "[ymin, xmin, ymax, xmax]" : "[xmin, ymin, xmax, ymax]" }
    public var pointOrder: String { yFirst ? "[y, x]" : "[x, y]" }

    /// The unit, as the prompt states it.
    public var unitStatement: String {
        switch scale {
        case .perMille: "integers normalized to 0-1000 across the image (0 = left or top edge, 1000 = right or bottom edge)"
        case .qwenResizedPixels: "absolute pixel coordinates of the image as you received it"
        }
    }
}
