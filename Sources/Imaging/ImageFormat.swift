/// An image format vq reads. PNG, JPEG, WebP and GIF are sent as they are when nothing needs changing;
/// HEIC, AVIF and TIFF are always converted (to JPEG, or PNG) because services do not take them.
public enum ImageFormat: String, Sendable, CaseIterable {
    case png, jpeg, webp, gif, heic, avif, tiff

    /// The IANA media type, as used in data URLs and upload headers.
    public var mimeType: String {
        switch self {
        case .png: "image/png"
        case .jpeg: "image/jpeg"
        case .webp: "image/webp"
        case .gif: "image/gif"
        case .heic: "image/heic"
        case .avif: "image/avif"
        case .tiff: "image/tiff"
        }
    }

    /// The conventional file extension, without the dot.
    public var fileExtension: String {
        switch self {
        case .png: "png"
        case .jpeg: "jpg"
        case .webp: "webp"
        case .gif: "gif"
        case .heic: "heic"
        case .avif: "avif"
        case .tiff: "tiff"
        }
    }

    /// The name users know the format by, for messages ("PNG", "WebP").
    var displayName: String {
        switch self {
        case .png: "PNG"
        case .jpeg: "JPEG"
        case .webp: "WebP"
        case .gif: "GIF"
        case .heic: "HEIC"
        case .avif: "AVIF"
        case .tiff: "TIFF"
        }
    }

    /// Whether vision services take this format, so the original bytes may be sent unchanged.
    var isSendable: Bool { ![.heic, .avif, .tiff].contains(self) }
}
