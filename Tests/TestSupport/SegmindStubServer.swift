import Foundation
import Imaging

/// A loopback server that behaves like Segmind (seed 001): `POST /v1/<model-slug>` with the key in `x-api-key`,
/// OpenAI-style `messages` (string content for multi-turn, image parts), an `x-remaining-credits` header on
/// every response, and the documented statuses: 401 bad key, 404 unknown model, 405 wrong method,
/// 406 not enough credits, 500 server error.
public final class SegmindStubServer: @unchecked Sendable {
    public let expectedKey: String
    public let model: String
    /// Credits left; 0 makes every request a 406.
    public let credits: Int
    /// Answer every request with HTTP 500.
    public let failing: Bool
    private var server: LoopbackHTTPServer!

    public var baseURL: String { server.baseURL + "/v1" }
    public var requests: [RecordedRequest] { server.requests }

    public init(
        expectedKey: String = "sk-test-secret", model: String = "qwen2-vl-72b-instruct", credits: Int = 1234,
        failing: Bool = false
    ) throws {
        self.expectedKey = expectedKey
        self.model = model
        self.credits = credits
        self.failing = failing
        server = try LoopbackHTTPServer { [unowned self] request, writer in self.handle(request, writer) }
    }

    private func handle(_ request: RecordedRequest, _ writer: ResponseWriter) {
        guard request.header("x-api-key") == expectedKey else { return reply(writer, 401, #"{"error":"Unauthorized"}"#) }
        guard request.path == "/v1/\(model)" else { return reply(writer, 404, #"{"error":"Not Found"}"#) }
        guard request.method == "POST" else { return reply(writer, 405, #"{"error":"Method Not Allowed"}"#) }
        guard credits > 0 else { return reply(writer, 406, #"{"error":"Not enough credits"}"#) }
        guard !failing else { return reply(writer, 500, #"{"error":"Server had some issue with processing"}"#) }
        guard let body = try? request.json() as? [String: Any], let messages = body["messages"] as? [[String: Any]], !messages.isEmpty else {
            return reply(writer, 400, #"{"error":"messages is required"}"#)
        }
        var images = 0
        var lastUser = ""
        for message in messages {
            if let text = message["content"] as? String, message["role"] as? String == "user" { lastUser = text }
            for part in message["content"] as? [[String: Any]] ?? [] {
                if part["type"] as? String == "text", message["role"] as? String == "user" { lastUser = part["text"] as? String ?? "" }
                if let url = (part["image_url"] as? [String: Any])?["url"] as? String {
                    if url.hasPrefix("data:"), case .failure = OpenAIStubServer.decodeDataURL(url) {
                        return reply(writer, 400, #"{"error":"invalid image"}"#)
                    }
                    images += 1
                }
            }
        }
        let answer = "\(messages.count) message(s), \(images) image(s); last: \(lastUser)"
        let headers = [("Content-Type", "application/json"), ("x-remaining-credits", "\(credits - 1)")]
        if body["stream"] as? Bool == true {
            writer.startStream(status: 200, headers: [("Content-Type", "text/event-stream"), ("x-remaining-credits", "\(credits - 1)")])
            writer.sendChunk(
                SSE.event(
                    #"{"object":"chat.completion.chunk","model":"\#(model)","choices":[{"index":0,"delta":{"role":"assistant","content":\#(OpenAIStubServer.jsonString(answer))},"finish_reason":null}]}"#
                ))
            writer.sendChunk(SSE.event(#"{"object":"chat.completion.chunk","model":"\#(model)","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#))
            writer.sendChunk(SSE.done)
            return writer.endStream()
        }
        let json =
            #"{"id":"c1","object":"chat.completion","created":1,"model":"\#(model)","choices":[{"index":0,"message":{"role":"assistant","content":\#(OpenAIStubServer.jsonString(answer))},"finish_reason":"stop"}],"usage":{"prompt_tokens":20,"completion_tokens":9,"total_tokens":29}}"#
        writer.respond(status: 200, headers: headers, body: Data(json.utf8))
    }

    private func reply(_ writer: ResponseWriter, _ status: Int, _ body: String) {
        writer.respond(status: status, headers: [("Content-Type", "application/json"), ("x-remaining-credits", "\(credits)")], body: Data(body.utf8))
    }
}
