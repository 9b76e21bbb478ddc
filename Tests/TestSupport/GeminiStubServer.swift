import Foundation
import Imaging

/// A loopback server speaking Google's native Gemini API: `models/{model}:generateContent` and
/// `:streamGenerateContent?alt=sse` (whole responses per event, cumulative usage, no end marker), `x-goog-api-key`,
/// `inline_data` images checked, `responseModalities` answered with an `inlineData` image, Google's error shape
/// (wrapped in an array), a blocked prompt, 429 with `RetryInfo`, and `GET /models`; the Files API (`files`) and
/// `file_data` parts naming its ACTIVE files or a YouTube URL.
public final class GeminiStubServer: @unchecked Sendable {
    /// Gemini-specific faults on top of the shared ones.
    public enum Fault: Sendable {
        case none
        case shared(NativeStub.Fault)
        /// 200 with `promptFeedback.blockReason` and no candidates.
        case blocked
        /// The first `count` requests get 429 RESOURCE_EXHAUSTED with `retryDelay` (seconds).
        case rateLimited(count: Int, retryDelay: Double)
    }

    public let expectedKey: String
    public let fault: Fault
    /// When set, the answer text for the images received (their bytes), e.g. a scripted `box_2d` detection.
    public let answerer: (@Sendable ([Data]) -> String)?
    /// The Files API: uploaded files, faults, what was deleted.
    public let files = GeminiFilesStub()
    private var server: LoopbackHTTPServer!
    private let lock = NSLock()
    private var answered = 0
    public var baseURL: String { server.baseURL + "/v1beta" }
    public var requests: [RecordedRequest] { server.requests }

    public init(expectedKey: String = "sk-test-secret", fault: Fault = .none, answerer: (@Sendable ([Data]) -> String)? = nil) throws {
        self.expectedKey = expectedKey
        self.fault = fault
        self.answerer = answerer
        server = try LoopbackHTTPServer { [unowned self] request, writer in self.handle(request, writer) }
    }

    private func error(_ writer: ResponseWriter, _ status: Int, _ statusWord: String, _ message: String, details: String = "[]") {
        writer.respond(
            status: status, headers: [("Content-Type", "application/json")],
            body: Data(#"[{"error":{"code":\#(status),"message":\#(NativeStub.json(message)),"status":"\#(statusWord)","details":\#(details)}}]"#.utf8))
    }

    private func handle(_ request: RecordedRequest, _ writer: ResponseWriter) {
        guard request.header("x-goog-api-key") == expectedKey else {
            return error(
                writer, 400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.",
                details: #"[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID"}]"#)
        }
        if files.handle(request, writer, baseURL: server.baseURL) { return }
        if request.method == "GET", request.path.hasPrefix("/v1beta/models") {
            return writer.respond(
                status: 200, headers: [("Content-Type", "application/json")],
                body: Data(#"{"models":[{"name":"models/gemini-2.5-flash"},{"name":"models/gemini-2.5-pro"}]}"#.utf8))
        }
        if request.method == "POST", request.path.hasSuffix(":countTokens") {
            // 258 tokens an image (Gemini's figure for a small one), 1000 an uploaded file it has, 10 for the rest.
            guard let body = try? request.json() as? [String: Any], let inner = body["generateContentRequest"] as? [String: Any],
                let contents = inner["contents"] as? [[String: Any]]
            else { return error(writer, 400, "INVALID_ARGUMENT", "generateContentRequest is required") }
            let parts = contents.flatMap { ($0["parts"] as? [[String: Any]]) ?? [] }
            let images = parts.filter { $0["inline_data"] != nil }.count
            let uris = parts.compactMap { ($0["file_data"] as? [String: Any])?["file_uri"] as? String }
            guard uris.allSatisfy({ files.activeFile(uri: $0) != nil }) else {
                return error(writer, 400, "FAILED_PRECONDITION", "a file_data part names no ACTIVE file")
            }
            return writer.respond(
                status: 200, headers: [("Content-Type", "application/json")],
                body: Data(#"{"totalTokens":\#(10 + 258 * images + 1000 * uris.count)}"#.utf8))
        }
        let streaming = request.path.contains(":streamGenerateContent")
        guard request.method == "POST", request.path.hasPrefix("/v1beta/models/"),
            streaming ? request.path.hasSuffix("?alt=sse") : request.path.hasSuffix(":generateContent")
        else {
            return error(writer, 404, "NOT_FOUND", "no route for \(request.method) \(request.path)")
        }
        if case .rateLimited(let count, let delay) = fault {
            let limited = lock.withLock { () -> Bool in
                answered += 1
                return answered <= count
            }
            if limited {
                return error(
                    writer, 429, "RESOURCE_EXHAUSTED", "Quota exceeded",
                    details: #"[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"\#(delay)s"}]"#)
            }
        }
        guard let body = try? request.json() as? [String: Any], let contents = body["contents"] as? [[String: Any]], !contents.isEmpty else {
            return error(writer, 400, "INVALID_ARGUMENT", "contents is required")
        }
        var images: [ImageInfo] = []
        var imageBytes: [Data] = []
        var documents: [Int] = []
        var texts: [String] = []
        var referenced: [String] = []
        var videos: [String] = []
        for content in contents {
            guard ["user", "model"].contains(content["role"] as? String ?? "") else { return error(writer, 400, "INVALID_ARGUMENT", "bad role") }
            for part in content["parts"] as? [[String: Any]] ?? [] {
                if let text = part["text"] as? String { texts.append(text) }
                if let inline = part["inline_data"] as? [String: Any], inline["mime_type"] as? String == "application/pdf" {
                    switch NativeStub.document(base64: inline["data"] as? String ?? "", mime: "application/pdf") {
                    case .success(let pages): documents.append(pages)
                    case .failure(let failure): return error(writer, 400, "INVALID_ARGUMENT", failure.message)
                    }
                } else if let inline = part["inline_data"] as? [String: Any], let mime = inline["mime_type"] as? String, mime.hasPrefix("video/") {
                    guard let bytes = Data(base64Encoded: inline["data"] as? String ?? "") else {
                        return error(writer, 400, "INVALID_ARGUMENT", "Invalid base64 in inline_data")
                    }
                    videos.append("\(mime) \(bytes.count) bytes")
                } else if let inline = part["inline_data"] as? [String: Any] {
                    switch NativeStub.image(base64: inline["data"] as? String ?? "", mime: inline["mime_type"] as? String) {
                    case .success(let info):
                        images.append(info)
                        imageBytes.append(Data(base64Encoded: inline["data"] as? String ?? "") ?? Data())
                    case .failure(let failure): return error(writer, 400, "INVALID_ARGUMENT", failure.message)
                    }
                }
                if let reference = part["file_data"] as? [String: Any] {
                    let uri = reference["file_uri"] as? String ?? ""
                    if uri.hasPrefix("https://www.youtube.com/") || uri.hasPrefix("https://youtu.be/") {
                        referenced.append("youtube")
                    } else if let file = files.activeFile(uri: uri), reference["mime_type"] as? String == file.mimeType {
                        referenced.append("\(file.mimeType) \(file.bytes.count) bytes")
                    } else {
                        return error(writer, 400, "INVALID_ARGUMENT", "Invalid or unsupported file uri")
                    }
                }
            }
        }
        switch fault {
        case .shared(.status(let status, let text)):
            return writer.respond(status: status, headers: [("Content-Type", "application/json")], body: Data(text.utf8))
        case .blocked:
            return writer.respond(
                status: 200, headers: [("Content-Type", streaming ? "text/event-stream" : "application/json")],
                body: streaming ? SSE.event(#"{"promptFeedback":{"blockReason":"SAFETY"}}"#) : Data(#"{"promptFeedback":{"blockReason":"SAFETY"}}"#.utf8))
        default: break
        }
        let config = body["generationConfig"] as? [String: Any] ?? [:]
        let wantsImage = (config["responseModalities"] as? [String] ?? []).contains("IMAGE")
        var answer = answerer?(imageBytes) ?? NativeStub.answer(images: images, documents: documents)
        if let system = ((body["systemInstruction"] as? [String: Any])?["parts"] as? [[String: Any]])?.first?["text"] as? String {
            answer += " System: \(system)."
        }
        if contents.count > 1 { answer += " Turns: \(contents.count)." }
        if !videos.isEmpty { answer += " Videos: \(videos.joined(separator: ", "))." }
        if !referenced.isEmpty { answer += " Files: \(referenced.joined(separator: ", "))." }
        let imagePart = #"{"inlineData":{"mimeType":"image/png","data":"\#(NativeStub.returnedImage.base64EncodedString())"}}"#
        func usage(_ out: Int) -> String {
            #"{"promptTokenCount":\#(20 + images.count * 258),"candidatesTokenCount":\#(out),"totalTokenCount":\#(20 + images.count * 258 + out)}"#
        }
        if streaming {
            writer.startStream(status: 200, headers: [("Content-Type", "text/event-stream")])
            let pieces = NativeStub.pieces(answer)
            for (index, piece) in pieces.enumerated() {
                writer.sendChunk(
                    SSE.event(
                        #"{"candidates":[{"content":{"role":"model","parts":[{"text":\#(NativeStub.json(piece))}]},"index":0}],"usageMetadata":\#(usage(index + 1)),"modelVersion":"gemini-stub"}"#
                    ))
                if index == 0 {
                    if case .shared(.cutMidStream) = fault { return writer.closeAbruptly() }
                    if case .shared(.errorInStream) = fault {
                        writer.sendChunk(SSE.event(#"{"error":{"code":500,"message":"Internal error encountered.","status":"INTERNAL"}}"#))
                        return writer.endStream()
                    }
                }
            }
            if wantsImage { writer.sendChunk(SSE.event(#"{"candidates":[{"content":{"role":"model","parts":[\#(imagePart)]},"index":0}]}"#)) }
            writer.sendChunk(
                SSE.event(
                    #"{"candidates":[{"content":{"role":"model","parts":[{"text":""}]},"finishReason":"STOP","index":0}],"usageMetadata":\#(usage(pieces.count)),"modelVersion":"gemini-stub"}"#
                ))
            writer.endStream()
        } else {
            let parts = [#"{"text":\#(NativeStub.json(answer))}"#] + (wantsImage ? [imagePart] : [])
            writer.respond(
                status: 200, headers: [("Content-Type", "application/json")],
                body: Data(
                    #"{"candidates":[{"content":{"role":"model","parts":[\#(parts.joined(separator: ","))]},"finishReason":"STOP","index":0}],"usageMetadata":\#(usage(7)),"modelVersion":"gemini-stub"}"#
                        .utf8))
        }
    }
}
