/// How a stored image must be turned to display upright (EXIF tag 0x0112, values 1-8).
public enum ExifOrientation: Int, Sendable {
    case up = 1
    case mirrored, upsideDown, upsideDownMirrored, transposed, rotatedRight, transversed, rotatedLeft

    /// True when the upright image's width is the stored height (orientations 5-8).
    public var swapsDimensions: Bool { rawValue >= 5 }

    /// What turning it upright did, for the `-v` line; nil when nothing.
    public var appliedDescription: String? {
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

    /// Where a point of the stored image (continuous coordinates, `stored` its size) appears when displayed: the
    /// same turn `vq_pixels_orient` applies to pixels (EXIF 2.3, tag 0x0112).
    public func displayed(x: Double, y: Double, stored: PixelSize) -> (x: Double, y: Double) {
        let (w, h) = (Double(stored.width), Double(stored.height))
        switch self {
        case .up: return (x, y)
        case .mirrored: return (w - x, y)
        case .upsideDown: return (w - x, h - y)
        case .upsideDownMirrored: return (x, h - y)
        case .transposed: return (y, x)
        case .rotatedRight: return (h - y, x)
        case .transversed: return (h - y, w - x)
        case .rotatedLeft: return (y, w - x)
        }
    }

    /// Where a point of the displayed image lies in the stored pixels: the inverse of `displayed`.
    public func stored(x: Double, y: Double, stored: PixelSize) -> (x: Double, y: Double) {
        let (w, h) = (Double(stored.width), Double(stored.height))
        switch self {
        case .up: return (x, y)
        case .mirrored: return (w - x, y)
        case .upsideDown: return (w - x, h - y)
        case .upsideDownMirrored: return (x, h - y)
        case .transposed: return (y, x)
        case .rotatedRight: return (y, h - x)
        case .transversed: return (w - y, h - x)
        case .rotatedLeft: return (w - y, x)
        }
    }
}
