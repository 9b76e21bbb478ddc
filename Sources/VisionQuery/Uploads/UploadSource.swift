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

    /// A file streamed from disk; `sha256` is its digest, computed by the caller once.
    public init(path: String, length: Int, mimeType: String, displayName: String, sha256: String) {
        body = .file(path: path, length: length)
        self.mimeType = mimeType
        self.displayName = displayName
        self.sha256 = sha256
    }

    /// Bytes sent.
    public var length: Int { body.encodedLength }
}
