import FoundationEssentials
import Imaging
import TextFormatting

/// One part of an input as it is sent: an image (validated bytes or a URL the service fetches), or a document the
/// service takes whole. A PDF sent as rendered pages is several image parts, each with its page number; a video sent as
/// sampled frames is several image parts, each with its time in the video.
public struct InputPart: Sendable {
    /// Where the part came from, as the user wrote it ("photo.jpg", "-", "https://…", "report.pdf").
    public let source: String
    public let content: Content
    /// The 1-based page of the document this image was rendered from; nil for an image input or a whole document.
    public var page: Int? = nil
    /// Seconds into the video this image was sampled at; nil for anything but a video frame.
    public var frameTime: Double? = nil
    /// What preparation did to an inline image (sizes before and after, rotation, notes); nil for remote URLs.
    public let preparation: PreparedImage?

    /// The part itself, in the form an adapter maps to its wire shape.
    public enum Content: Sendable {
        case image(data: Data, info: ImageInfo)
        case remoteURL(String)
        /// A whole document (a PDF, possibly cut to the selected pages) for a service that reads it natively.
        case document(data: Data, info: DocumentInfo)
        /// A whole video (still in its file), with the part of it to watch, for a service that reads video
        /// (Gemini natively, a `video_url` server).
        case video(VideoInfo, clip: VideoClip)
    }

    public init(source: String, content: Content, page: Int? = nil, frameTime: Double? = nil, preparation: PreparedImage? = nil) {
        self.source = source
        self.content = content
        self.page = page
        self.frameTime = frameTime
        self.preparation = preparation
    }

    /// The kind of medium this part carries.
    public var medium: Medium {
        switch content {
        case .image, .remoteURL: .image
        case .document: .document
        case .video: .video
        }
    }

    /// "report.pdf#p3" for a rendered page, "clip.mp4@01:24.5" for a video frame, the source otherwise ("stdin" for `-`).
    public var name: String {
        let base = source == "-" ? "stdin" : source
        if let frameTime { return "\(base)@\(VideoTime.format(frameTime))" }
        return page.map { "\(base)#p\($0)" } ?? base
    }

    /// What the part is, for -v and --dry-run lines: "image", "page", "frame", "document" or "video".
    public var kind: String {
        switch content {
        case .document: "document"
        case .video: "video"
        case .image, .remoteURL: page != nil ? "page" : frameTime != nil ? "frame" : "image"
        }
    }

    /// "clip.mp4: frame at 01:24.5", the text sent just before a video frame; nil for other parts.
    public var caption: String? {
        frameTime.map { "\(source == "-" ? "stdin" : source): frame at \(VideoTime.format($0))" }
    }

    /// Bytes sent inline (nil for a URL the service fetches).
    public var inlineByteCount: Int? {
        switch content {
        case .image(let data, _), .document(let data, _): data.count
        case .video(let info, _): info.byteCount
        case .remoteURL: nil
        }
    }

    /// "photo.jpg 6000x4000 10.1 MB -> 1568x1045 212 KB (jpeg, rotated 90)", the -v line for one part.
    public var summary: String {
        switch content {
        case .remoteURL(let url): return "\(url): remote URL, passed to the service"
        case .video(let info, _):
            return
                "\(name) \(info.width)x\(info.height) \(VideoTime.format(info.duration)) \(info.codec) \(ByteCountText.format(info.byteCount)) (\(info.mimeType), sent whole)"
        case .document(let data, let info):
            return "\(name) \(info.pageCount) page(s) \(ByteCountText.format(data.count)) (\(info.mimeType), sent whole)"
        case .image(let data, let info):
            guard let preparation else { return "\(name) \(info.width)x\(info.height) \(ByteCountText.format(data.count)) (\(info.format.rawValue))" }
            // Rendered pages and decoded frames: there is no original image to compare.
            if page != nil || frameTime != nil { return "\(name) \(preparation.summary)" }
            let original = preparation.original
            if !preparation.reencoded { return "\(name) \(preparation.summary)" }
            return "\(name) \(original.width)x\(original.height) \(ByteCountText.format(preparation.originalByteCount)) -> \(preparation.summary)"
        }
    }
}

/// A document sent whole: its MIME type, a file name for services that want one, and how many pages it holds.
public struct DocumentInfo: Sendable, Equatable {
    public var mimeType: String
    public var fileName: String
    public var pageCount: Int
    /// Each page's size in points (as displayed, rounded), for token estimates; empty when unknown.
    public var pageSizes: [PageSize]
    /// The number each page has in the user's file (`--pages 4-5` sends a PDF whose pages 1 and 2 are its 4 and 5).
    public var pageNumbers: [Int]

    public init(mimeType: String = "application/pdf", fileName: String, pageCount: Int, pageSizes: [PageSize] = [], pageNumbers: [Int]? = nil) {
        self.mimeType = mimeType
        self.fileName = fileName
        self.pageCount = pageCount
        self.pageSizes = pageSizes
        self.pageNumbers = pageNumbers ?? Array(1...max(1, pageCount))
    }
}

/// A page's size in points (1/72 inch), rounded, as the page is displayed.
public struct PageSize: Sendable, Equatable {
    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }
}
