import FoundationEssentials
import Glibc
import Platform
import TextFormatting

/// What `vq gen` asks of an image maker, independent of any wire format: each adapter maps what its api has a
/// field for and names the rest in `ignoredOptions`. Unset means the service decides.
public struct ImageGeneration: Hashable, Sendable {
    /// `-n`: images to make.
    public var count: Int?
    /// `--size WxH` (or `auto`), converted to the nearest size the model allows.
    public var size: PixelDimensions?
    /// `--size auto`.
    public var automaticSize = false
    /// `--aspect W:H`.
    public var aspect: AspectRatio?
    /// `--quality`: low, medium, high, auto (gpt-image), standard, hd (dall-e-3).
    public var quality: String?
    /// `--background`: transparent, opaque, auto.
    public var background: String?
    /// `--format`: png, jpeg, webp.
    public var format: String?
    /// `--compression`: 0–100 for jpeg and webp.
    public var compression: Int?
    /// `--moderation`: auto or low.
    public var moderation: String?
    /// `--fidelity`: high or low, how closely an edit keeps the input images' features.
    public var inputFidelity: String?
    /// `--partial-images`: 0–3 partial images streamed while the image is made (a terminal shows their progress).
    public var partialImages: Int?
    /// `--mask FILE`: a PNG whose transparent pixels mark where the first image is edited.
    public var mask: String?
    /// False with `--no-metadata`: saved images carry no provenance.
    public var metadata = true

    public init() {}

    /// The values each option takes (`vq gen`'s flags and the MCP image tools' arguments).
    public static let formats = ["png", "jpeg", "webp"]
    public static let backgrounds = ["transparent", "opaque", "auto"]
    public static let moderations = ["auto", "low"]
    public static let fidelities = ["high", "low"]
    public static let qualities = ["low", "medium", "high", "auto", "standard", "hd"]

    /// Sets the size from `WIDTHxHEIGHT` (`size`) or `auto` (`automaticSize`); false for anything else.
    public mutating func setSize(_ text: String) -> Bool {
        if text == "auto" {
            automaticSize = true
            size = nil
            return true
        }
        guard let parsed = PixelDimensions(parsing: text) else { return false }
        size = parsed
        automaticSize = false
        return true
    }

    /// Whether the options ask for what no image can be: a transparent JPEG.
    public var asksTransparentJPEG: Bool { background == "transparent" && format == "jpeg" }

    /// One image-maker option, as written on the command line (what a warning names when an api has no field for it).
    public enum Option: String, CaseIterable, Sendable {
        case count = "-n"
        case size = "--size"
        case aspect = "--aspect"
        case quality = "--quality"
        case background = "--background"
        case format = "--format"
        case compression = "--compression"
        case moderation = "--moderation"
        case fidelity = "--fidelity"
        case partialImages = "--partial-images"
        case mask = "--mask"
    }

    /// The options the user gave, in command-line order.
    public var given: [Option] {
        let set: [(Option, Bool)] = [
            (.count, count != nil), (.size, size != nil || automaticSize), (.aspect, aspect != nil), (.quality, quality != nil),
            (.background, background != nil), (.format, format != nil), (.compression, compression != nil), (.moderation, moderation != nil),
            (.fidelity, inputFidelity != nil), (.partialImages, partialImages != nil), (.mask, mask != nil),
        ]
        return set.filter(\.1).map(\.0)
    }

    /// The given options outside `supported`, as a warning names them.
    public func ignored(supporting supported: Set<Option>) -> [String] { given.filter { !supported.contains($0) }.map(\.rawValue) }

    /// The options as the user gave them, for provenance and the log: `{"n": 2, "size": "1024x1024", …}`.
    public var summary: [(String, Any)] {
        var fields: [(String, Any)] = []
        if let count { fields.append(("n", count)) }
        if automaticSize { fields.append(("size", "auto")) }
        if let size { fields.append(("size", size.description)) }
        if let aspect { fields.append(("aspect", aspect.description)) }
        if let quality { fields.append(("quality", quality)) }
        if let background { fields.append(("background", background)) }
        if let format { fields.append(("format", format)) }
        if let compression { fields.append(("compression", compression)) }
        if let moderation { fields.append(("moderation", moderation)) }
        if let inputFidelity { fields.append(("input_fidelity", inputFidelity)) }
        if let partialImages { fields.append(("partial_images", partialImages)) }
        if let mask { fields.append(("mask", PathText.lastComponent(mask))) }
        return fields
    }
}

/// A width and height in pixels (`1536x1024`).
public struct PixelDimensions: Hashable, Sendable, CustomStringConvertible {
    public var width: Int
    public var height: Int
    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }
    public var description: String { "\(width)x\(height)" }

    /// `1536x1024` (or `1536×1024`); nil for anything else.
    public init?(parsing text: String) {
        let parts = text.lowercased().replacingScalars("×", with: "x").split(separator: "x", omittingEmptySubsequences: false)
        guard parts.count == 2, let width = Int(parts[0]), let height = Int(parts[1]), (1...16384).contains(width), (1...16384).contains(height)
        else { return nil }
        self.init(width: width, height: height)
    }

    /// Width over height.
    public var ratio: Double { Double(width) / Double(height) }
}

/// An aspect ratio (`16:9`).
public struct AspectRatio: Hashable, Sendable, CustomStringConvertible {
    public var width: Int
    public var height: Int
    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }
    public var description: String { "\(width):\(height)" }
    public var ratio: Double { Double(width) / Double(height) }

    /// `16:9`; nil for anything else.
    public init?(parsing text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let width = Int(parts[0]), let height = Int(parts[1]), (1...100).contains(width), (1...100).contains(height)
        else { return nil }
        self.init(width: width, height: height)
    }

    /// The candidate whose ratio is nearest to `ratio` (compared on a log scale, so 2:1 and 1:2 are as far from 1:1).
    public static func nearest<T>(to ratio: Double, among candidates: [T], ratioOf: (T) -> Double) -> T? {
        candidates.min { abs(log(ratioOf($0)) - log(ratio)) < abs(log(ratioOf($1)) - log(ratio)) }
    }
}
