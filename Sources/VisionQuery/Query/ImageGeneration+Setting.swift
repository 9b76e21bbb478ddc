import FoundationEssentials

/// The one check of each image-maker option's value, from its text as the command line spells it: `vq gen`'s flags and
/// the options of a prompt list's JSON lines go through it, so a value is accepted or refused the same everywhere.
extension ImageGeneration {
    /// Why a value was refused: what the option expects ("a whole number from 1 to 10").
    public struct RefusedValue: Error, Equatable, Sendable {
        public let expected: String
    }

    /// `-n`: images one request may ask for.
    public static let countRange = 1...10
    /// `--compression`, in percent.
    public static let compressionRange = 0...100
    /// `--partial-images`.
    public static let partialImagesRange = 0...3

    /// Sets `option` from `text`; throws what the option expects when `text` is not one of its values.
    public mutating func set(_ option: Option, _ text: String) throws(RefusedValue) {
        switch option {
        case .count: count = try Self.whole(text, in: Self.countRange)
        case .size:
            guard setSize(text) else { throw RefusedValue(expected: "WIDTHxHEIGHT such as 1024x1024, or auto") }
        case .aspect:
            guard let parsed = AspectRatio(parsing: text) else { throw RefusedValue(expected: "W:H such as 16:9") }
            aspect = parsed
        case .quality: quality = try Self.choice(text, among: Self.qualities)
        case .background: background = try Self.choice(text, among: Self.backgrounds)
        case .format: format = try Self.choice(text, among: Self.formats)
        case .compression: compression = try Self.whole(text, in: Self.compressionRange)
        case .moderation: moderation = try Self.choice(text, among: Self.moderations)
        case .fidelity: inputFidelity = try Self.choice(text, among: Self.fidelities)
        case .partialImages: partialImages = try Self.whole(text, in: Self.partialImagesRange)
        case .mask:
            guard !text.isEmpty else { throw RefusedValue(expected: "the path of a PNG") }
            mask = text
        }
    }

    /// `other`'s value of `option` in place of this one's; `--size` and `--aspect` state one shape two ways, so taking
    /// either takes both (a line that asks 1:1 is not overruled by the command line's `--size 1536x1024`).
    public mutating func take(_ option: Option, from other: ImageGeneration) {
        switch option {
        case .count: count = other.count
        case .size, .aspect:
            size = other.size
            automaticSize = other.automaticSize
            aspect = other.aspect
        case .quality: quality = other.quality
        case .background: background = other.background
        case .format: format = other.format
        case .compression: compression = other.compression
        case .moderation: moderation = other.moderation
        case .fidelity: inputFidelity = other.inputFidelity
        case .partialImages: partialImages = other.partialImages
        case .mask: mask = other.mask
        }
    }

    /// The option's name without dashes, as a prompt list's line spells it (`n`, `size`, `fidelity`).
    public static func name(of option: Option) -> String { String(option.rawValue.drop { $0 == "-" }) }

    private static func whole(_ text: String, in range: ClosedRange<Int>) throws(RefusedValue) -> Int {
        guard let value = Int(text), range.contains(value) else {
            throw RefusedValue(expected: "a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    private static func choice(_ text: String, among values: [String]) throws(RefusedValue) -> String {
        let lower = text.lowercased()
        guard values.contains(lower) else { throw RefusedValue(expected: values.joined(separator: ", ")) }
        return lower
    }
}
