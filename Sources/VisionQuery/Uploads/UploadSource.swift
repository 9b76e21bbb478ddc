import Foundation
import History
import Transport

/// What goes up through a Files API: bytes already in memory (a prepared image, a PDF cut to its pages) or a file
/// read from disk while sending; its MIME type, the name the service shows, and its SHA-256 (how a continued
/// conversation finds the file it uploaded before).
public struct UploadSource: Sendable {
    public var body: BodyPart
    public var mimeType: String
    public var displayName: String
    public var sha256: String

    public init(data: Data, mimeType: String, displayName: String) {
        body = .binary(data)
        self.mimeType = mimeType
        self.displayName = displayName
        sha256 = SHA256.hex(data)
    }

    /// A file streamed from disk (a video), hashed once while reading it; nil when it cannot be read.
    public init?(path: String, length: Int, mimeType: String, displayName: String) {
        guard let digest = SHA256.hex(fileAt: path) else { return nil }
        body = .file(path: path, length: length)
        self.mimeType = mimeType
        self.displayName = displayName
        sha256 = digest
    }

    /// Bytes sent.
    public var length: Int { body.encodedLength }
}
