import Foundation
import Imaging

/// What the native-API stub servers share: checking inline images, the answer text derived from them, the image
/// they return when asked for one, and JSON string quoting.
public enum NativeStub {
    /// Scripted misbehaviour of a native stub.
    public enum Fault: Sendable {
        case none
        /// Reply with this status and JSON body instead of answering.
        case status(Int, body: String)
        /// A 200 stream that carries the service's own error event after the first text.
        case errorInStream
        /// Stream the first text, then close without the end marker.
        case cutMidStream
    }

    /// The image a stub returns when the request asks for images: a 6x4 PNG.
    public static let returnedImage: Data = try! ImageEncoder.encodePNG(
        pixels: (0..<(6 * 4 * 3)).map { UInt8(truncatingIfNeeded: $0 * 9) }, width: 6, height: 4, channels: 3)

    /// Decodes base64 and checks it is an image of the declared MIME type.
    public static func image(base64: String, mime: String?) -> Result<ImageInfo, NativeStubError> {
        guard let data = Data(base64Encoded: base64) else { return .failure(NativeStubError("image base64 does not decode")) }
        do {
            let info = try ImageValidator.validate(data)
            if let mime, info.format.mimeType != mime {
                return .failure(NativeStubError("declared \(mime) but the bytes are \(info.format.mimeType)"))
            }
            return .success(info)
        } catch {
            return .failure(NativeStubError("image does not decode: \(error.message)"))
        }
    }

    /// Decodes base64 and checks it is a PDF that opens (declared as `application/pdf`): its page count.
    public static func document(base64: String, mime: String?) -> Result<Int, NativeStubError> {
        guard let data = Data(base64Encoded: base64) else { return .failure(NativeStubError("file base64 does not decode")) }
        return document(data, mime: mime)
    }

    /// Checks that `data` is a PDF that opens, declared as `application/pdf`: its page count.
    public static func document(_ data: Data, mime: String?) -> Result<Int, NativeStubError> {
        guard mime == "application/pdf" else { return .failure(NativeStubError("unsupported file type \(mime ?? "none")")) }
        do {
            return .success(try PDFDocument(data: data).pageCount)
        } catch {
            return .failure(NativeStubError("the PDF does not open: \(error.message)"))
        }
    }

    /// Decodes `data:application/pdf;base64,…` into its page count.
    public static func document(dataURL: String) -> Result<Int, NativeStubError> {
        guard dataURL.hasPrefix("data:"), let comma = dataURL.firstIndex(of: ","), dataURL[..<comma].hasSuffix(";base64") else {
            return .failure(NativeStubError("file_data is not a base64 data URL"))
        }
        let mime = String(dataURL[dataURL.index(dataURL.startIndex, offsetBy: 5)..<comma].dropLast(7))
        return document(base64: String(dataURL[dataURL.index(after: comma)...]), mime: mime)
    }

    /// "Saw 2 image(s): png 8x6, https://e.org/c.jpg." — the answer every stub gives, so tests see the round trip;
    /// PDFs read whole add " Read 1 PDF(s): 3 pages."
    public static func answer(images: [ImageInfo], remote: [String] = [], documents: [Int] = []) -> String {
        let described = images.map { "\($0.format.rawValue) \($0.width)x\($0.height)" } + remote
        let seen = "Saw \(images.count + remote.count) image(s)" + (described.isEmpty ? "." : ": " + described.joined(separator: ", ") + ".")
        guard !documents.isEmpty else { return seen }
        return seen + " Read \(documents.count) PDF(s): " + documents.map { "\($0) page\($0 == 1 ? "" : "s")" }.joined(separator: ", ") + "."
    }

    /// The answer split into words for streaming, each after the first with its leading space.
    public static func pieces(_ answer: String) -> [String] {
        answer.split(separator: " ", omittingEmptySubsequences: false).enumerated().map { ($0.offset == 0 ? "" : " ") + $0.element }
    }

    public static func json(_ text: String) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: text, options: [.fragmentsAllowed]), as: UTF8.self)
    }

    public static func json(object: Any) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }
}

/// Why a stub refused an image.
public struct NativeStubError: Error, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
}
