/// What the leading bytes say a file is (for messages), including formats vq does not send.
public enum SniffedKind: Equatable, Sendable, CustomStringConvertible {
    case image(ImageFormat)
    case bmp, tga
    case netpbm(String)
    case jpeg2000, psd, ico, cur, qoi, eps, xpm, xbm, svg
    /// A PNG whose signature a text-mode transfer changed (CR/LF conversion), which breaks every chunk after it.
    case damagedPNG
    case pdf, html, text, empty, unknown
    case video(VideoFormat)

    /// Human words for the kind, fit to follow "is" or sit in parentheses: "a TIFF image", "plain text".
    public var description: String {
        switch self {
        case .image(let format): "\(format == .avif ? "an" : "a") \(format.displayName) image"
        case .bmp: "a BMP image"
        case .tga: "a TGA image"
        case .netpbm(let name): "a \(name) image"
        case .jpeg2000: "a JPEG 2000 image"
        case .psd: "a Photoshop (PSD) image"
        case .ico: "a Windows icon (ICO)"
        case .cur: "a Windows cursor (CUR)"
        case .qoi: "a QOI image"
        case .eps: "an EPS/PostScript document"
        case .xpm: "an XPM image"
        case .xbm: "an XBM image"
        case .svg: "an SVG image"
        case .damagedPNG: "a PNG damaged by a text-mode transfer (CR/LF conversion)"
        case .pdf: "a PDF document"
        case .video(let format): format.description
        case .html: "HTML"
        case .text: "plain text"
        case .empty: "an empty file"
        case .unknown: "data of an unknown type"
        }
    }

    /// The document format for a document vq reads (sent whole or as rendered pages), else nil.
    public var documentFormat: DocumentFormat? { self == .pdf ? .pdf : nil }

    /// The container of a video (sent whole where a service takes it, else as sampled frames), else nil.
    public var videoFormat: VideoFormat? { if case .video(let format) = self { format } else { nil } }

    /// True for pictures, including the formats vq refuses with a hint (so `vq batch` lists them and says why).
    public var isPicture: Bool {
        switch self {
        case .pdf, .html, .text, .empty, .unknown, .video: false
        default: true
        }
    }
}
