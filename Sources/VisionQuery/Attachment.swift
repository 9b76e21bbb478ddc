import Foundation
import Imaging

/// An image ready to send: validated bytes with their sniffed format, or a remote URL passed through.
public struct Attachment: Sendable {
    /// Where the image came from, as the user wrote it ("photo.jpg", "-", "https://…").
    public let source: String
    public let content: Content

    /// The image itself.
    public enum Content: Sendable {
        case inline(data: Data, info: ImageInfo)
        case remoteURL(String)
    }

    public init(source: String, content: Content) {
        self.source = source
        self.content = content
    }
}
