/// What the leading bytes say a file is (for messages), including formats vq does not send.
public enum SniffedKind: Equatable, Sendable, CustomStringConvertible {
    case image(ImageFormat), heic, avif, tiff, bmp, pdf, svg, html, text, empty, unknown

    /// Human words for the kind, fit to follow "is" or sit in parentheses: "a HEIC image", "plain text".
    public var description: String {
        switch self {
        case .image(let format): "a \(format.displayName) image"
        case .heic: "a HEIC image"
        case .avif: "an AVIF image"
        case .tiff: "a TIFF image"
        case .bmp: "a BMP image"
        case .pdf: "a PDF document"
        case .svg: "an SVG image"
        case .html: "HTML"
        case .text: "plain text"
        case .empty: "an empty file"
        case .unknown: "data of an unknown type"
        }
    }
}
