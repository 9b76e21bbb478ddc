import Foundation
import Imaging

/// A loopback server speaking Vertex AI: `projects/{p}/locations/{l}/publishers/google/models/{m}:generateContent`
/// (`:streamGenerateContent?alt=sse`) with the Gemini body, `publishers/anthropic/models/{m}:rawPredict`
/// (`:streamRawPredict`) with the Anthropic body (`anthropic_version: vertex-2023-10-16`, no model field). OAuth
/// tokens `ya29.token-1`, `-2`, … : each is accepted for `tokenLifetime` answers, then expires (401 UNAUTHENTICATED),
/// and only the newest token is ever accepted. A Gemini request whose `responseModalities` include IMAGE is answered
/// with an `inlineData` PNG part as well (`NativeStub.returnedImage`).
public final class VertexStubServer: @unchecked Sendable {
    public let project: String
    public let location: String
    /// Answers each token gets before it expires.
    public let tokenLifetime: Int
    private var server: LoopbackHTTPServer!
    private let lock = NSLock()
    private var answeredWith: [String: Int] = [:]
    private var expired: Set<String> = []
    public var baseURL: String { server.baseURL + "/v1" }
    public var requests: [RecordedRequest] { server.requests }
    /// Requests refused because their token had expired.
    public var expiredRefusals: Int { lock.withLock { refusals } }
    private var refusals = 0

    public init(project: String = "vq-test", location: String = "europe-west4", tokenLifetime: Int = .max) throws {
        self.project = project
        self.location = location
        self.tokenLifetime = tokenLifetime
        server = try LoopbackHTTPServer { [unowned self] request, writer in self.handle(request, writer) }
    }

    private func error(_ writer: ResponseWriter, _ status: Int, _ word: String, _ message: String) {
        writer.respond(
            status: status, headers: [("Content-Type", "application/json")],
            body: Data(#"{"error":{"code":\#(status),"message":\#(NativeStub.json(message)),"status":"\#(word)"}}"#.utf8))
    }

    /// Whether `token` may be used now (counting this use).
    private func admit(_ token: String) -> Bool {
        lock.withLock {
            guard token.hasPrefix("ya29.token-"), !expired.contains(token) else {
                refusals += 1
                return false
            }
            // A newer token retires every older one, as a refreshed credential does.
            for old in answeredWith.keys where old < token { expired.insert(old) }
            answeredWith[token, default: 0] += 1
            if answeredWith[token]! >= tokenLifetime { expired.insert(token) }
            return true
        }
    }

    private func handle(_ request: RecordedRequest, _ writer: ResponseWriter) {
        let prefix = "/v1/projects/\(project)/locations/\(location)/publishers/"
        guard request.method == "POST", request.path.hasPrefix(prefix) else {
            return error(writer, 404, "NOT_FOUND", "no route for \(request.method) \(request.path)")
        }
        let token = (request.header("authorization") ?? "").replacingOccurrences(of: "Bearer ", with: "")
        guard admit(token) else {
            return error(
                writer, 401, "UNAUTHENTICATED",
                "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.")
        }
        let rest = String(request.path.dropFirst(prefix.count))
        let anthropic = rest.hasPrefix("anthropic/models/claude")
        let streaming = rest.hasSuffix(":streamRawPredict") || rest.hasSuffix(":streamGenerateContent?alt=sse")
        guard
            anthropic
                ? (rest.hasSuffix(":rawPredict") || rest.hasSuffix(":streamRawPredict"))
                : rest.hasPrefix("google/models/gemini")
                    && (rest.hasSuffix(":generateContent") || rest.hasSuffix(":streamGenerateContent?alt=sse"))
        else {
            return error(writer, 404, "NOT_FOUND", "Publisher model \(rest) not found")
        }
        guard let body = try? request.json() as? [String: Any] else { return error(writer, 400, "INVALID_ARGUMENT", "not JSON") }
        var images: [ImageInfo] = []
        func check(_ base64: String, _ mime: String?) -> String? {
            switch NativeStub.image(base64: base64, mime: mime) {
            case .success(let info):
                images.append(info)
                return nil
            case .failure(let failure): return failure.message
            }
        }
        let answer: String
        if anthropic {
            guard body["anthropic_version"] as? String == "vertex-2023-10-16", body["model"] == nil, body["max_tokens"] is Int else {
                return error(writer, 400, "INVALID_ARGUMENT", "anthropic_version must be vertex-2023-10-16 and model must not be set")
            }
            for message in body["messages"] as? [[String: Any]] ?? [] {
                for block in message["content"] as? [[String: Any]] ?? [] where block["type"] as? String == "image" {
                    let source = block["source"] as? [String: Any] ?? [:]
                    if let problem = check(source["data"] as? String ?? "", source["media_type"] as? String) {
                        return error(writer, 400, "INVALID_ARGUMENT", problem)
                    }
                }
            }
            answer = NativeStub.answer(images: images) + " Publisher: anthropic."
        } else {
            for content in body["contents"] as? [[String: Any]] ?? [] {
                for part in content["parts"] as? [[String: Any]] ?? [] {
                    guard let inline = part["inline_data"] as? [String: Any] else { continue }
                    if let problem = check(inline["data"] as? String ?? "", inline["mime_type"] as? String) {
                        return error(writer, 400, "INVALID_ARGUMENT", problem)
                    }
                }
            }
            answer = NativeStub.answer(images: images) + " Publisher: google."
        }
        let pieces = NativeStub.pieces(answer)
        if anthropic {
            guard streaming else {
                return writer.respond(
                    status: 200, headers: [("Content-Type", "application/json")],
                    body: Data(
                        #"{"id":"msg_1","type":"message","role":"assistant","model":"claude-stub","content":[{"type":"text","text":\#(NativeStub.json(answer))}],"stop_reason":"end_turn","usage":{"input_tokens":20,"output_tokens":7}}"#
                            .utf8))
            }
            writer.startStream(status: 200, headers: [("Content-Type", "text/event-stream")])
            writer.sendChunk(
                SSE.event("message_start", #"{"type":"message_start","message":{"model":"claude-stub","usage":{"input_tokens":20,"output_tokens":1}}}"#))
            for piece in pieces {
                writer.sendChunk(
                    SSE.event(
                        "content_block_delta", #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":\#(NativeStub.json(piece))}}"#))
            }
            writer.sendChunk(SSE.event("message_delta", #"{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":7}}"#))
            writer.sendChunk(SSE.event("message_stop", #"{"type":"message_stop"}"#))
            return writer.endStream()
        }
        let usage = #"{"promptTokenCount":20,"candidatesTokenCount":7,"totalTokenCount":27}"#
        let config = body["generationConfig"] as? [String: Any] ?? [:]
        let image =
            (config["responseModalities"] as? [String] ?? []).contains("IMAGE")
            ? #",{"inlineData":{"mimeType":"image/png","data":"\#(NativeStub.returnedImage.base64EncodedString())"}}"# : ""
        guard streaming else {
            return writer.respond(
                status: 200, headers: [("Content-Type", "application/json")],
                body: Data(
                    #"{"candidates":[{"content":{"role":"model","parts":[{"text":\#(NativeStub.json(answer))}\#(image)]},"finishReason":"STOP"}],"usageMetadata":\#(usage),"modelVersion":"gemini-stub"}"#
                        .utf8))
        }
        writer.startStream(status: 200, headers: [("Content-Type", "text/event-stream")])
        if !image.isEmpty {
            writer.sendChunk(SSE.event(#"{"candidates":[{"content":{"role":"model","parts":[\#(image.dropFirst())]}}],"usageMetadata":\#(usage)}"#))
        }
        for (index, piece) in pieces.enumerated() {
            let finish = index == pieces.count - 1 ? #","finishReason":"STOP""# : ""
            writer.sendChunk(
                SSE.event(#"{"candidates":[{"content":{"role":"model","parts":[{"text":\#(NativeStub.json(piece))}]}\#(finish)}],"usageMetadata":\#(usage)}"#))
        }
        writer.endStream()
    }
}
