/// A video container vq recognises by its leading bytes; FFmpeg then decides whether it can decode what is inside.
public enum VideoFormat: String, Sendable, CaseIterable {
    /// ISO media (`ftyp` with an mp4/isom/3gp brand).
    case mp4
    /// Apple QuickTime (`ftyp` brand `qt  `, or an old file starting with a `moov`, `mdat` or `wide` atom).
    case quicktime
    /// Matroska's WebM profile (EBML, doctype `webm`).
    case webm
    /// Matroska (EBML, doctype `matroska`).
    case matroska
    /// RIFF AVI.
    case avi

    /// The IANA media type.
    public var mimeType: String {
        switch self {
        case .mp4: "video/mp4"
        case .quicktime: "video/quicktime"
        case .webm: "video/webm"
        case .matroska: "video/x-matroska"
        case .avi: "video/x-msvideo"
        }
    }

    /// "MP4", "WebM", for messages.
    public var displayName: String {
        switch self {
        case .mp4: "MP4"
        case .quicktime: "QuickTime"
        case .webm: "WebM"
        case .matroska: "Matroska"
        case .avi: "AVI"
        }
    }

    /// "an MP4 video", for messages.
    public var description: String {
        switch self {
        case .mp4: "an MP4 video"
        case .quicktime: "a QuickTime (MOV) video"
        case .webm: "a WebM video"
        case .matroska: "a Matroska (MKV) video"
        case .avi: "an AVI video"
        }
    }
}
