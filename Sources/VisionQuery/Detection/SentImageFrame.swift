import FoundationEssentials
import Imaging
import TextFormatting

/// How a point of the image as sent maps back to the original as a viewer shows it (EXIF orientation applied): the
/// shrink is undone, and when the stored pixels were sent unturned the EXIF turn is applied too.
public struct SentImageFrame: Sendable, Equatable {
    /// The image the model saw, in pixels.
    public let sent: PixelSize
    /// The original file's stored pixels (before any EXIF turn).
    public let stored: PixelSize
    public let orientation: ExifOrientation
    /// True when the sent pixels were already upright.
    public let uprighted: Bool

    public init(sent: PixelSize, stored: PixelSize, orientation: ExifOrientation, uprighted: Bool) {
        self.sent = sent
        self.stored = stored
        self.orientation = orientation
        self.uprighted = uprighted
    }

    public init(_ prepared: PreparedImage) {
        self.init(
            sent: PixelSize(width: prepared.width, height: prepared.height),
            stored: PixelSize(width: prepared.original.width, height: prepared.original.height),
            orientation: prepared.orientation, uprighted: prepared.uprighted)
    }

    /// The original as displayed: the frame every returned coordinate is in.
    public var displayed: PixelSize { orientation.swapsDimensions ? stored.swapped : stored }

    /// The frame the sent pixels are a scaled copy of.
    private var scaledFrom: PixelSize { uprighted ? displayed : stored }

    /// A point of the sent image (continuous pixel coordinates) in the displayed original.
    public func displayedPoint(x: Double, y: Double) -> (x: Double, y: Double) {
        let frame = scaledFrom
        let scaledX = x * Double(frame.width) / Double(sent.width)
        let scaledY = y * Double(frame.height) / Double(sent.height)
        if uprighted { return (scaledX, scaledY) }
        return orientation.displayed(x: scaledX, y: scaledY, stored: stored)
    }

    /// A point of the displayed original in the sent image: the inverse of `displayedPoint`.
    public func sentPoint(x: Double, y: Double) -> (x: Double, y: Double) {
        let frame = scaledFrom
        let (fx, fy) = uprighted ? (x, y) : orientation.stored(x: x, y: y, stored: stored)
        return (fx * Double(sent.width) / Double(frame.width), fy * Double(sent.height) / Double(frame.height))
    }

    /// A box of the sent image in the displayed original: both corners mapped, then ordered again (a turn or flip
    /// swaps which corner is the minimum).
    public func displayedBox(_ box: DetectionBox) -> DetectionBox {
        let a = displayedPoint(x: box.xMin, y: box.yMin)
        let b = displayedPoint(x: box.xMax, y: box.yMax)
        return DetectionBox(xMin: min(a.x, b.x), yMin: min(a.y, b.y), xMax: max(a.x, b.x), yMax: max(a.y, b.y))
    }

    /// "sent 800x600, original 3024x4032 displayed 4032x3024 (rotated 90), scale 5.04", for -v and --dry-run.
    public var summary: String {
        let frame = scaledFrom
        let scale = Double(frame.width) / Double(sent.width)
        let turn =
            orientation == .up
            ? ""
            : uprighted
                ? " (turned upright before sending: \(orientation.appliedDescription ?? ""))"
                : " (sent unturned; EXIF \(orientation.rawValue) applied to the answer)"
        return "coordinates map from the sent \(sent) image to the original's displayed \(displayed)\(turn), scale \(DecimalText.fixed(scale, places: 3))"
    }
}
