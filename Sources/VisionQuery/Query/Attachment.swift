import Foundation
import Imaging
import TextFormatting

/// An image ready to send: validated bytes with their sniffed format, or a remote URL passed through.
public struct Attachment: Sendable {
    /// Where the image came from, as the user wrote it ("photo.jpg", "-", "https://…").
    public let source: String
    public let content: Content
    /// What preparation did to an inline image (sizes before and after, rotation, notes); nil for remote URLs.
    public let preparation: PreparedImage?

    /// The image itself.
    public enum Content: Sendable {
        case inline(data: Data, info: ImageInfo)
        case remoteURL(String)
    }

    public init(source: String, content: Content, preparation: PreparedImage? = nil) {
        self.source = source
        self.content = content
        self.preparation = preparation
    }

    /// "photo.jpg 6000x4000 10.1 MB -> 1568x1045 212 KB (jpeg, rotated 90)", the -v line for one image.
    public var summary: String {
        let name = source == "-" ? "stdin" : source
        switch content {
        case .remoteURL(let url): return "\(url): remote URL, passed to the service"
        case .inline(let data, let info):
            guard let preparation else { return "\(name) \(info.width)x\(info.height) \(ByteCountText.format(data.count)) (\(info.format.rawValue))" }
            let original = preparation.original
            if !preparation.reencoded { return "\(name) \(preparation.summary)" }
            return "\(name) \(original.width)x\(original.height) \(ByteCountText.format(preparation.originalByteCount)) -> \(preparation.summary)"
        }
    }
}
