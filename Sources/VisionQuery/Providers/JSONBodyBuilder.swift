import FoundationEssentials
import Platform
import Transport

/// Serialises a JSON request body and splits it at image placeholders, so each image's base64 is
/// produced while sending instead of being held in memory next to the JSON.
public enum JSONBodyBuilder {
    /// An image whose base64 text belongs where `placeholder` stands in the JSON.
    public struct InlineImage {
        /// The bytes, or nil when they stay in `file` (a video sent whole, read while sending).
        public let data: Data?
        public let file: (path: String, length: Int)?
        public let placeholder: String

        init(data: Data, index: Int) {
            self.data = data
            file = nil
            placeholder = "vq-inline-image-\(JSONBodyBuilder.nonce)-\(index)"
        }

        /// The first `length` bytes of the file at `path`, base64-encoded while the request is sent.
        init(path: String, length: Int, index: Int) {
            data = nil
            file = (path, length)
            placeholder = "vq-inline-image-\(JSONBodyBuilder.nonce)-\(index)"
        }

        var bodyPart: BodyPart {
            if let file { return .base64File(path: file.path, length: file.length) }
            return .base64(data ?? Data())
        }
    }

    /// Random per process, so a prompt cannot collide with a placeholder.
    static let nonce: String = (0..<4).map { _ in String(UInt32.random(in: .min ... .max), radix: 16) }.joined()

    static func parts(for body: [String: Any], images: [InlineImage]) -> [BodyPart] {
        let json = JSONWriter.data(body)
        var parts: [BodyPart] = []
        var start = json.startIndex
        for image in images {
            let marker = Data(image.placeholder.utf8)
            guard let range = ByteSearch.firstRange(of: marker, in: json, bounds: start..<json.endIndex) else {
                preconditionFailure("placeholder missing from body")
            }
            parts.append(.bytes(Data(json[start..<range.lowerBound])))
            parts.append(image.bodyPart)
            start = range.upperBound
        }
        parts.append(.bytes(Data(json[start...])))
        return parts
    }
}
