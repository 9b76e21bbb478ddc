/// An image format vq can send to a vision model.
public enum ImageFormat: String, Sendable, CaseIterable {
    case png, jpeg, webp, gif

    /// The IANA media type, as used in data URLs and upload headers.
    public var mimeType: String {
        switch self {
        case .png: "image/png"
        case .jpeg: "image/jpeg"
        case .webp: "image/webp"
        case .gif: "image/gif"
        }
    }

    /// The conventional file extension, without the dot.
    public var fileExtension: String {
        switch self {
        case .png: "png"
        case .jpeg: "jpg"
        case .webp: "webp"
        case .gif: "gif"
        }
    }

    /// The name users know the format by, for messages ("PNG", "WebP").
    var displayName: String {
        switch self {
        case .png: "PNG"
        case .jpeg: "JPEG"
        case .webp: "WebP"
        case .gif: "GIF"
        }
    }
}
