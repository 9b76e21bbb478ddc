import Foundation
import Imaging

/// A loopback server that speaks OpenAI chat completions the way real services do, checks what it
/// receives (auth header, body shape, every data URL decodes to an image of its declared type) and
/// answers with text derived from what it decoded, so tests see the whole round trip.
public final class OpenAIStubServer: @unchecked Sendable {
    /// Scripted misbehaviour for one server.
    public enum Fault: Sendable {
        case none
        /// Reply with this status and body instead of answering.
        case status(Int, body: String, contentType: String)
        /// Stream the first text chunk, then close the connection without [DONE].
        case cutMidStream
        /// A 200 stream that carries an error object.
        case errorInStream(String)
        /// A gateway without file parts: a request carrying a PDF `file` part is refused with a 400 naming it.
        case refusesFileParts
        /// The stream stops after its first word until the semaphore is signalled (at most 30 s), so a test can act
        /// while an answer is being written.
        case holdsMidStream(DispatchSemaphore)
    }

    /// What the server decoded from one request.
    public struct Seen: @unchecked Sendable {
        public let images: [ImageInfo]
        public let remoteURLs: [String]
        public let body: [String: Any]
        public let rawBody: Data
        public init(images: [ImageInfo], remoteURLs: [String], body: [String: Any], rawBody: Data) {
            self.images = images
            self.remoteURLs = remoteURLs
            self.body = body
            self.rawBody = rawBody
        }
    }

    public let expectedKey: String?
    public let keyHeader: String
    public let fault: Fault
    private let lock = NSLock()
    private var seenRequests: [Seen] = []
    private var server: LoopbackHTTPServer!

    public var baseURL: String { server.baseURL + "/v1" }
    public var requests: [RecordedRequest] { server.requests }
    public var seen: [Seen] {
        lock.lock()
        defer { lock.unlock() }
        return seenRequests
    }

    /// Answers from the bytes of the images received (as a vision model would), instead of describing them.
    private let answerer: (@Sendable ([Data]) -> String)?

    public init(
        expectedKey: String? = "sk-test-secret", keyHeader: String = "authorization", fault: Fault = .none,
        answerer: (@Sendable ([Data]) -> String)? = nil
    ) throws {
        self.expectedKey = expectedKey
        self.keyHeader = keyHeader
        self.fault = fault
        self.answerer = answerer
        server = try LoopbackHTTPServer { [unowned self] request, writer in self.handle(request, writer) }
    }

    public func stop() { server.stop() }

    private func handle(_ request: RecordedRequest, _ writer: ResponseWriter) {
        guard request.method == "POST", request.path.hasSuffix("/chat/completions") || request.path.hasPrefix("/v1/") else {
            return error(writer, 404, "no route for \(request.method) \(request.path)")
        }
        if let expectedKey {
            let given = request.header(keyHeader)
            let wanted = keyHeader == "authorization" ? "Bearer \(expectedKey)" : expectedKey
            guard given == wanted else { return error(writer, 401, "Incorrect API key provided", code: "invalid_api_key") }
        }
        guard request.header("content-type") == "application/json",
            let body = try? request.json() as? [String: Any]
        else {
            return error(writer, 400, "body is not a JSON object")
        }
        guard body["model"] is String, let messages = body["messages"] as? [[String: Any]], !messages.isEmpty else {
            return error(writer, 400, "model and messages are required")
        }
        var images: [ImageInfo] = []
        var imageBytes: [Data] = []
        var remote: [String] = []
        var documents: [Int] = []
        for message in messages {
            for part in message["content"] as? [[String: Any]] ?? [] where part["type"] as? String == "file" {
                if case .refusesFileParts = fault {
                    return error(writer, 400, "Invalid value: 'file'. Supported values are: 'text' and 'image_url'.", code: "invalid_value")
                }
                guard let file = part["file"] as? [String: Any], file["filename"] is String, let data = file["file_data"] as? String else {
                    return error(writer, 400, "file parts need filename and file_data")
                }
                switch NativeStub.document(dataURL: data) {
                case .success(let pages): documents.append(pages)
                case .failure(let failure): return error(writer, 400, failure.message, code: "invalid_file")
                }
            }
            for part in message["content"] as? [[String: Any]] ?? [] where part["type"] as? String == "image_url" {
                guard let url = (part["image_url"] as? [String: Any])?["url"] as? String else {
                    return error(writer, 400, "image_url.url missing")
                }
                if url.hasPrefix("data:") {
                    if let comma = url.firstIndex(of: ","), let data = Data(base64Encoded: String(url[url.index(after: comma)...])) {
                        imageBytes.append(data)
                    }
                    switch Self.decodeDataURL(url) {
                    case .success(let info): images.append(info)
                    case .failure(let failure): return error(writer, 400, failure.message, code: "invalid_image_format")
                    }
                } else {
                    remote.append(url)
                }
            }
        }
        lock.lock()
        seenRequests.append(Seen(images: images, remoteURLs: remote, body: body, rawBody: request.body))
        lock.unlock()

        if case .status(let status, let text, let type) = fault {
            return writer.respond(status: status, headers: [("Content-Type", type)], body: Data(text.utf8))
        }
        let answer = answerer?(imageBytes) ?? NativeStub.answer(images: images, remote: remote, documents: documents)
        let model = body["model"] as! String
        let usage = #"{"prompt_tokens":\#(10 + images.count),"completion_tokens":7,"total_tokens":\#(17 + images.count)}"#
        if body["stream"] as? Bool == true {
            writer.startStream(status: 200, headers: [("Content-Type", "text/event-stream")])
            writer.sendChunk(
                SSE.event(
                    #"{"id":"c1","object":"chat.completion.chunk","model":"\#(model)","choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}"#))
            let words = answer.split(separator: " ", omittingEmptySubsequences: false)
            for (index, word) in words.enumerated() {
                let piece = (index == 0 ? "" : " ") + word
                writer.sendChunk(
                    SSE.event(
                        #"{"id":"c1","object":"chat.completion.chunk","model":"\#(model)","choices":[{"index":0,"delta":{"content":\#(Self.jsonString(piece))},"finish_reason":null}]}"#
                    ))
                if index == 0 {
                    if case .cutMidStream = fault { return writer.closeAbruptly() }
                    if case .holdsMidStream(let gate) = fault { _ = gate.wait(timeout: .now() + 30) }
                    if case .errorInStream(let message) = fault {
                        writer.sendChunk(SSE.event(#"{"error":{"message":\#(Self.jsonString(message)),"code":502}}"#))
                        return writer.endStream()
                    }
                }
            }
            writer.sendChunk(
                SSE.event(#"{"id":"c1","object":"chat.completion.chunk","model":"\#(model)","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#))
            if (body["stream_options"] as? [String: Any])?["include_usage"] as? Bool == true {
                writer.sendChunk(SSE.event(#"{"id":"c1","object":"chat.completion.chunk","model":"\#(model)","choices":[],"usage":\#(usage)}"#))
            }
            writer.sendChunk(SSE.done)
            writer.endStream()
        } else {
            let json =
                #"{"id":"c1","object":"chat.completion","created":1,"model":"\#(model)","choices":[{"index":0,"message":{"role":"assistant","content":\#(Self.jsonString(answer))},"finish_reason":"stop"}],"usage":\#(usage)}"#
            writer.respond(status: 200, headers: [("Content-Type", "application/json")], body: Data(json.utf8))
        }
    }

    /// Decodes `data:image/…;base64,…` and checks the bytes really are an image of the declared type.
    static func decodeDataURL(_ url: String) -> Result<ImageInfo, DataURLError> {
        guard let comma = url.firstIndex(of: ","), url[..<comma].hasSuffix(";base64") else {
            return .failure(DataURLError("data URL is not base64"))
        }
        let mime = String(url[url.index(url.startIndex, offsetBy: 5)..<comma].dropLast(7))
        guard let data = Data(base64Encoded: String(url[url.index(after: comma)...])) else {
            return .failure(DataURLError("data URL base64 does not decode"))
        }
        do {
            let info = try ImageValidator.validate(data)
            guard info.format.mimeType == mime else {
                return .failure(DataURLError("declared \(mime) but the bytes are \(info.format.mimeType)"))
            }
            return .success(info)
        } catch {
            return .failure(DataURLError("image does not decode: \(error.message)"))
        }
    }

    /// Why a data URL was refused.
    public struct DataURLError: Error {
        public let message: String
        init(_ message: String) { self.message = message }
    }

    private func error(_ writer: ResponseWriter, _ status: Int, _ message: String, code: String? = nil) {
        let codeJSON = code.map { #""\#($0)""# } ?? "null"
        let body = #"{"error":{"message":\#(Self.jsonString(message)),"type":"invalid_request_error","param":null,"code":\#(codeJSON)}}"#
        writer.respond(status: status, headers: [("Content-Type", "application/json")], body: Data(body.utf8))
    }

    static func jsonString(_ text: String) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: text, options: [.fragmentsAllowed]), as: UTF8.self)
    }
}
