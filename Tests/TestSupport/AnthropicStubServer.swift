import Foundation
import Imaging

/// A loopback server speaking Anthropic's Messages API: `POST /v1/messages` with `x-api-key` and
/// `anthropic-version`, `max_tokens` required, base64 image sources checked (no `data:` prefix), named SSE events
/// with `ping`s, an `error` event after 200 on request, Anthropic's error shape, and `GET /v1/models`.
public final class AnthropicStubServer: @unchecked Sendable {
    public let expectedKey: String
    public let fault: NativeStub.Fault
    private var server: LoopbackHTTPServer!
    public var baseURL: String { server.baseURL + "/v1" }
    public var requests: [RecordedRequest] { server.requests }

    public init(expectedKey: String = "sk-test-secret", fault: NativeStub.Fault = .none) throws {
        self.expectedKey = expectedKey
        self.fault = fault
        server = try LoopbackHTTPServer { [unowned self] request, writer in self.handle(request, writer) }
    }

    private func error(_ writer: ResponseWriter, _ status: Int, _ type: String, _ message: String) {
        writer.respond(
            status: status, headers: [("Content-Type", "application/json"), ("request-id", "req_stub")],
            body: Data(#"{"type":"error","error":{"type":"\#(type)","message":\#(NativeStub.json(message))},"request_id":"req_stub"}"#.utf8))
    }

    private func handle(_ request: RecordedRequest, _ writer: ResponseWriter) {
        guard request.header("x-api-key") == expectedKey else { return error(writer, 401, "authentication_error", "invalid x-api-key") }
        guard request.header("anthropic-version") == "2023-06-01" else {
            return error(writer, 400, "invalid_request_error", "anthropic-version header is required")
        }
        if request.method == "GET", request.path.hasPrefix("/v1/models") {
            return writer.respond(
                status: 200, headers: [("Content-Type", "application/json")],
                body: Data(#"{"data":[{"type":"model","id":"claude-sonnet-4-5"},{"type":"model","id":"claude-haiku-4-5"}],"has_more":false}"#.utf8))
        }
        if request.method == "POST", request.path == "/v1/messages/count_tokens" {
            // The counting endpoint takes model, messages, system and tools only; 100 tokens a message, 1590 an image.
            guard let body = try? request.json() as? [String: Any], let messages = body["messages"] as? [[String: Any]], body["model"] is String
            else { return error(writer, 400, "invalid_request_error", "model and messages are required") }
            if let extra = body.keys.first(where: { !["model", "messages", "system", "tools", "tool_choice"].contains($0) }) {
                return error(writer, 400, "invalid_request_error", "\(extra): Extra inputs are not permitted")
            }
            let images = messages.flatMap { ($0["content"] as? [[String: Any]]) ?? [] }.filter { $0["type"] as? String == "image" }.count
            return writer.respond(
                status: 200, headers: [("Content-Type", "application/json")], body: Data(#"{"input_tokens":\#(100 * messages.count + 1590 * images)}"#.utf8))
        }
        guard request.method == "POST", request.path == "/v1/messages" else { return error(writer, 404, "not_found_error", "no route for \(request.path)") }
        guard let body = try? request.json() as? [String: Any], let messages = body["messages"] as? [[String: Any]], !messages.isEmpty,
            let model = body["model"] as? String
        else {
            return error(writer, 400, "invalid_request_error", "model and messages are required")
        }
        guard body["max_tokens"] is Int else { return error(writer, 400, "invalid_request_error", "max_tokens: Field required") }
        var images: [ImageInfo] = []
        var remote: [String] = []
        var documents: [Int] = []
        for message in messages {
            for block in message["content"] as? [[String: Any]] ?? [] where block["type"] as? String == "document" {
                let source = block["source"] as? [String: Any] ?? [:]
                guard source["type"] as? String == "base64", let data = source["data"] as? String, !data.hasPrefix("data:") else {
                    return error(writer, 400, "invalid_request_error", "document source must be base64 without a data: prefix")
                }
                switch NativeStub.document(base64: data, mime: source["media_type"] as? String) {
                case .success(let pages): documents.append(pages)
                case .failure(let failure): return error(writer, 400, "invalid_request_error", failure.message)
                }
            }
            guard ["user", "assistant"].contains(message["role"] as? String ?? "") else {
                return error(writer, 400, "invalid_request_error", "messages: roles must be user or assistant")
            }
            for block in message["content"] as? [[String: Any]] ?? [] where block["type"] as? String == "image" {
                let source = block["source"] as? [String: Any] ?? [:]
                if source["type"] as? String == "url", let url = source["url"] as? String {
                    remote.append(url)
                    continue
                }
                guard source["type"] as? String == "base64", let data = source["data"] as? String, !data.hasPrefix("data:") else {
                    return error(writer, 400, "invalid_request_error", "image source must be base64 without a data: prefix")
                }
                switch NativeStub.image(base64: data, mime: source["media_type"] as? String) {
                case .success(let info): images.append(info)
                case .failure(let failure): return error(writer, 400, "invalid_request_error", failure.message)
                }
            }
        }
        if case .status(let status, let text) = fault {
            return writer.respond(status: status, headers: [("Content-Type", "application/json")], body: Data(text.utf8))
        }
        var answer = NativeStub.answer(images: images, remote: remote, documents: documents)
        if let system = body["system"] as? String { answer += " System: \(system)." }
        if messages.count > 1 { answer += " Turns: \(messages.count)." }
        let input = 15 + images.count * 100
        if body["stream"] as? Bool == true {
            writer.startStream(status: 200, headers: [("Content-Type", "text/event-stream")])
            writer.sendChunk(
                SSE.event(
                    "message_start",
                    #"{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"\#(model)","content":[],"stop_reason":null,"usage":{"input_tokens":\#(input),"output_tokens":1}}}"#
                ))
            writer.sendChunk(SSE.event("content_block_start", #"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#))
            writer.sendChunk(SSE.event("ping", #"{"type":"ping"}"#))
            for (index, piece) in NativeStub.pieces(answer).enumerated() {
                writer.sendChunk(
                    SSE.event(
                        "content_block_delta", #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":\#(NativeStub.json(piece))}}"#))
                if index == 0 {
                    if case .cutMidStream = fault { return writer.closeAbruptly() }
                    if case .errorInStream = fault {
                        writer.sendChunk(SSE.event("error", #"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#))
                        return writer.endStream()
                    }
                }
            }
            writer.sendChunk(SSE.event("content_block_stop", #"{"type":"content_block_stop","index":0}"#))
            writer.sendChunk(
                SSE.event("message_delta", #"{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":9}}"#))
            writer.sendChunk(SSE.event("message_stop", #"{"type":"message_stop"}"#))
            writer.endStream()
        } else {
            writer.respond(
                status: 200, headers: [("Content-Type", "application/json")],
                body: Data(
                    #"{"id":"msg_1","type":"message","role":"assistant","model":"\#(model)","content":[{"type":"text","text":\#(NativeStub.json(answer))}],"stop_reason":"end_turn","usage":{"input_tokens":\#(input),"output_tokens":9}}"#
                        .utf8))
        }
    }
}
