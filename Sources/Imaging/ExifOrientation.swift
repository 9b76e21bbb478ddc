/// How a stored image must be turned to display upright (EXIF tag 0x0112, values 1-8).
enum ExifOrientation: Int, Sendable {
    case up = 1
    case mirrored, upsideDown, upsideDownMirrored, transposed, rotatedRight, transversed, rotatedLeft

    /// True when the upright image's width is the stored height (orientations 5-8).
    var swapsDimensions: Bool { rawValue >= 5 }

    /// What turning it upright did, for the `-v` line; nil when nothing.
    var appliedDescription: String? {
        switch self {
        case .up: nil
        case .mirrored: "flipped"
        case .upsideDown: "rotated 180"
        case .upsideDownMirrored: "flipped vertically"
        case .transposed: "rotated 90, flipped"
        case .rotatedRight: "rotated 90"
        case .transversed: "rotated 270, flipped"
        case .rotatedLeft: "rotated 270"
        }
    }
}
