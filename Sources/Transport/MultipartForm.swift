import FoundationEssentials
import TextFormatting

/// A `multipart/form-data` body (RFC 7578) built as streamed body parts, so its exact length is known before
/// sending (`max_request_bytes`, the dry run) and a retry sends the same bytes again; files go as raw bytes.
public struct MultipartForm: Sendable {
    /// The boundary between fields: random (128 bits), so no field contains it by chance.
    public let boundary: String
    public private(set) var parts: [BodyPart] = []

    public init(boundary: String = "vq-form-" + UUID().uuidString.replacingScalars("-", with: "").lowercased()) {
        self.boundary = boundary
    }

    /// The `Content-Type` header value.
    public var contentType: String { "multipart/form-data; boundary=\(boundary)" }

    /// A text field.
    public mutating func add(name: String, value: String) {
        parts.append(.bytes(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(Self.quoted(name))\"\r\n\r\n\(value)\r\n".utf8)))
    }

    /// A file field: `data` sent as it is, with its file name and media type.
    public mutating func add(name: String, fileName: String, mimeType: String, data: Data) {
        let head =
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(Self.quoted(name))\"; filename=\"\(Self.quoted(fileName))\"\r\nContent-Type: \(mimeType)\r\n\r\n"
        parts.append(.bytes(Data(head.utf8)))
        parts.append(.binary(data))
        parts.append(.bytes(Data("\r\n".utf8)))
    }

    /// The body: every field, then the closing boundary.
    public var body: [BodyPart] { parts + [.bytes(Data("--\(boundary)--\r\n".utf8))] }

    /// Quotes and line breaks are percent-encoded in names, as browsers do (RFC 7578 §2).
    static func quoted(_ text: String) -> String {
        text.replacingScalars("\"", with: "%22").replacingScalars("\r", with: "%0D").replacingScalars("\n", with: "%0A")
    }
}
