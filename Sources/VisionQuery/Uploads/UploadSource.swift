import FoundationEssentials
import History
import Transport

/// What goes up through a Files API: bytes already in memory (a prepared image, a PDF cut to its pages) or a file
/// read from disk while sending; its MIME type, the name the service shows, and the key a continued conversation
/// finds the file it uploaded before by.
public struct UploadSource: Sendable {
    public var body: BodyPart
    public var mimeType: String
    public var displayName: String
    /// `sha256:<hex>` of bytes in memory; `file:///path#<bytes>` of a file (a video is not read twice to be hashed).
    public var key: String

    public init(data: Data, mimeType: String, displayName: String) {
        body = .binary(data)
        self.mimeType = mimeType
        self.displayName = displayName
        key = "sha256:" + SHA256.hex(data)
    }

    /// A file streamed from disk while sending (a video); nil when it is not readable.
    public init?(path: String, length: Int, mimeType: String, displayName: String) {
        guard FileManager.default.isReadableFile(atPath: path) else { return nil }
        body = .file(path: path, length: length)
        self.mimeType = mimeType
        self.displayName = displayName
        key = Self.key(path: path, length: length)
    }

    /// The key of a file's upload: its URL and size.
    static func key(path: String, length: Int) -> String { URL(fileURLWithPath: path).absoluteString + "#\(length)" }

    /// Bytes sent.
    public var length: Int { body.encodedLength }
}
