import Foundation
import Imaging

/// A loopback OpenAI-compatible server whose answers carry images, in the shapes real services use:
/// AiHubMix `multi_mod_content` (camelCase, snake_case, bare "png", empty `inlineData: {}`), OpenRouter
/// `message.images` / streamed `delta.images` (repeated in a final message), and markdown data URLs in the text.
/// The returned image is the request's first inline image (image editing), else a generated PNG.
public final class ImageOutputStubServer: @unchecked Sendable {
    /// How the images come back.
    public enum Shape: Sendable {
        case multiModContent
        case openRouter
        case markdown
        /// One item that is not base64 and one that decodes to text, not an image, next to the answer text.
        case invalid
    }

    public let shape: Shape
    public let expectedKey: String
    private var server: LoopbackHTTPServer!
    public var baseURL: String { server.baseURL + "/v1" }
    public var requests: [RecordedRequest] { server.requests }
    /// The image every answer returns when the request has none: an 8x8 PNG.
    public static let generated: Data = try! ImageEncoder.encodePNG(
        pixels: (0..<(8 * 8 * 3)).map { UInt8(truncatingIfNeeded: $0 * 5) }, width: 8, height: 8, channels: 3)
    public static let generatedJPEG: Data = try! ImageEncoder.encodeJPEG(
        pixels: (0..<(4 * 4 * 3)).map { UInt8(truncatingIfNeeded: $0 * 11) }, width: 4, height: 4, channels: 3)

    public init(shape: Shape, expectedKey: String = "sk-test-secret") throws {
        self.shape = shape
        self.expectedKey = expectedKey
        server = try LoopbackHTTPServer { [unowned self] request, writer in self.handle(request, writer) }
    }

    private func handle(_ request: RecordedRequest, _ writer: ResponseWriter) {
        guard request.header("authorization") == "Bearer \(expectedKey)" else {
            return writer.respond(
                status: 401, headers: [("Content-Type", "application/json")],
                body: Data(#"{"error":{"message":"Invalid token","type":"invalid_request_error"}}"#.utf8))
        }
        guard let body = try? request.json() as? [String: Any], let model = body["model"] as? String else {
            return writer.respond(status: 400, body: Data("bad JSON".utf8))
        }
        let image = Self.firstInlineImage(body) ?? Self.generated
        let base64 = image.base64EncodedString()
        let stream = body["stream"] as? Bool == true
        switch shape {
        case .multiModContent:
            let items =
                #"[{"text":"","inlineData":{"data":"\#(base64)","mimeType":"png"}},{"text":"hello","inlineData":{}},{"text":"","inline_data":{"data":"\#(Self.generatedJPEG.base64EncodedString())","mime_type":"image/jpeg"}}]"#
            if stream {
                streamed(writer, model, [#"{"content":"Here is your drawing."}"#, #"{"multi_mod_content":\#(items)}"#])
            } else {
                whole(writer, model, #"{"role":"assistant","content":"Here is your drawing.","refusal":null,"multi_mod_content":\#(items),"annotations":[]}"#)
            }
        case .openRouter:
            let url = "data:image/png;base64,\(base64)"
            if stream {
                streamed(
                    writer, model,
                    [
                        #"{"role":"assistant","content":"Here it is."}"#,
                        #"{"images":[{"type":"image_url","image_url":{"url":"\#(url)"}}]}"#,
                    ],
                    finalMessage: #"{"role":"assistant","content":"Here it is.","images":[{"type":"image_url","imageUrl":{"url":"\#(url)"}}]}"#)
            } else {
                whole(writer, model, #"{"role":"assistant","content":"Here it is.","images":[{"type":"image_url","imageUrl":{"url":"\#(url)"}}]}"#)
            }
        case .markdown:
            let text = "Here:\n![a crayon drawing](data:image/png;base64,\(base64))\nDone! See [docs](https://example.org)."
            if stream {
                // Small pieces, so `![`, `](data:` and the base64 are split across events.
                var pieces: [String] = []
                var rest = Substring(text)
                while !rest.isEmpty {
                    pieces.append(String(rest.prefix(7)))
                    rest = rest.dropFirst(7)
                }
                streamed(writer, model, pieces.map { #"{"content":\#(OpenAIStubServer.jsonString($0))}"# })
            } else {
                whole(writer, model, #"{"role":"assistant","content":\#(OpenAIStubServer.jsonString(text))}"#)
            }
        case .invalid:
            let items =
                #"[{"text":"","inlineData":{"data":"!!not base64!!","mimeType":"image/png"}},{"text":"","inlineData":{"data":"\#(Data("just text, no image".utf8).base64EncodedString())","mimeType":"image/png"}}]"#
            whole(writer, model, #"{"role":"assistant","content":"The text survives.","multi_mod_content":\#(items)}"#)
        }
    }

    private func whole(_ writer: ResponseWriter, _ model: String, _ message: String) {
        let json =
            #"{"id":"c1","object":"chat.completion","created":1,"model":"\#(model)","choices":[{"index":0,"message":\#(message),"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":1290,"total_tokens":1295}}"#
        writer.respond(status: 200, headers: [("Content-Type", "application/json")], body: Data(json.utf8))
    }

    private func streamed(_ writer: ResponseWriter, _ model: String, _ deltas: [String], finalMessage: String? = nil) {
        writer.startStream(status: 200, headers: [("Content-Type", "text/event-stream")])
        writer.sendChunk(Data(": OPENROUTER PROCESSING\n\n".utf8))
        for delta in deltas {
            writer.sendChunk(
                SSE.event(#"{"id":"c1","object":"chat.completion.chunk","model":"\#(model)","choices":[{"index":0,"delta":\#(delta),"finish_reason":null}]}"#))
        }
        let message = finalMessage.map { #","message":\#($0)"# } ?? ""
        writer.sendChunk(
            SSE.event(#"{"id":"c1","object":"chat.completion.chunk","model":"\#(model)","choices":[{"index":0,"delta":{}\#(message),"finish_reason":"stop"}]}"#)
        )
        writer.sendChunk(SSE.done)
        writer.endStream()
    }

    /// The bytes of the first `data:` image in the request, if any.
    static func firstInlineImage(_ body: [String: Any]) -> Data? {
        for message in body["messages"] as? [[String: Any]] ?? [] {
            for part in message["content"] as? [[String: Any]] ?? [] {
                if let url = (part["image_url"] as? [String: Any])?["url"] as? String, url.hasPrefix("data:"),
                    let comma = url.firstIndex(of: ",")
                {
                    return Data(base64Encoded: String(url[url.index(after: comma)...]))
                }
            }
        }
        return nil
    }
}
