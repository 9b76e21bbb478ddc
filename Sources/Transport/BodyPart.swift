import FoundationEssentials

/// One piece of a request body; bodies stream, so a 10 MB image is never held as base64 and JSON at once.
public enum BodyPart: Sendable {
    case bytes(Data)
    /// Raw bytes that are not text (a file in a multipart form): sent as they are, elided in dry runs.
    case binary(Data)
    /// Emitted base64-encoded on the fly (standard alphabet, with padding).
    case base64(Data)
    /// The first `length` bytes of a file, read from disk while sending (a batch input file is never held in memory).
    case file(path: String, length: Int)
    /// The first `length` bytes of a file, base64-encoded while sending (a video sent whole is never held in memory).
    case base64File(path: String, length: Int)

    /// Bytes this part contributes to the body on the wire.
    public var encodedLength: Int {
        switch self {
        case .bytes(let data), .binary(let data): data.count
        case .base64(let data): 4 * ((data.count + 2) / 3)
        case .file(_, let length): length
        case .base64File(_, let length): 4 * ((length + 2) / 3)
        }
    }
}
