import FoundationEssentials
import TextFormatting

/// An image ready to send, with what was done to it.
public struct PreparedImage: Sendable {
    /// The bytes to send: the original file when `reencoded` is false.
    public let data: Data
    public let format: ImageFormat
    public let width: Int
    public let height: Int
    /// What the file was before preparation.
    public let original: ImageInfo
    public let originalByteCount: Int
    /// How the image was turned upright ("rotated 90", "flipped"); nil when it needed no turning.
    public let rotation: String?
    public let reencoded: Bool
    /// The file's EXIF orientation, whether or not the sent pixels were turned by it.
    public let orientation: ExifOrientation
    /// True when the sent pixels are upright (turned by `orientation`); false when the stored pixels were sent as
    /// they are (`--no-resize`, or an upright original kept unchanged).
    public let uprighted: Bool
    /// Things the user should know, e.g. "PNG sent as JPEG (4.1 MB smaller)", "shrunk further to fit 5.0 MB".
    public let notes: [String]

    public init(
        data: Data, format: ImageFormat, width: Int, height: Int, original: ImageInfo,
        originalByteCount: Int, rotation: String?, reencoded: Bool, notes: [String],
        orientation: ExifOrientation = .up, uprighted: Bool = true
    ) {
        self.data = data
        self.format = format
        self.width = width
        self.height = height
        self.original = original
        self.originalByteCount = originalByteCount
        self.rotation = rotation
        self.reencoded = reencoded
        self.notes = notes
        self.orientation = orientation
        self.uprighted = uprighted
    }

    /// "1568x1045 212 KB (jpeg, rotated 90)", or "… (png, unchanged)" when the original bytes are sent;
    /// the caller prefixes "photo.jpg 6000x4000 10.1 MB -> ".
    public var summary: String {
        let details = [format.rawValue] + (reencoded ? [] : ["unchanged"]) + (rotation.map { [$0] } ?? [])
        return "\(width)x\(height) \(ByteCountText.format(data.count)) (\(details.joined(separator: ", ")))"
    }
}
