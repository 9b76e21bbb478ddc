import Foundation
import Imaging

/// A loopback server speaking OpenAI's Responses API: `POST /v1/responses` with `input_text`/`input_image` items
/// (data URLs checked), `instructions`, typed SSE events (`response.created` … `response.completed`, an `error`
/// event on request), the `image_generation` tool answered with an `image_generation_call` result, and `GET /v1/models`.
public final class ResponsesStubServer: @unchecked Sendable {
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

    private func error(_ writer: ResponseWriter, _ status: Int, _ message: String, code: String = "invalid_request") {
        writer.respond(
            status: status, headers: [("Content-Type", "application/json")],
            body: Data(#"{"error":{"message":\#(NativeStub.json(message)),"type":"invalid_request_error","param":null,"code":"\#(code)"}}"#.utf8))
    }

    private func handle(_ request: RecordedRequest, _ writer: ResponseWriter) {
        guard request.header("authorization") == "Bearer \(expectedKey)" else {
            return error(writer, 401, "Incorrect API key provided", code: "invalid_api_key")
        }
        if request.method == "GET", request.path == "/v1/models" {
            return writer.respond(
                status: 200, headers: [("Content-Type", "application/json")],
                body: Data(#"{"object":"list","data":[{"id":"gpt-4.1-mini","object":"model"},{"id":"gpt-image-1","object":"model"}]}"#.utf8))
        }
        guard request.method == "POST", request.path == "/v1/responses" else { return error(writer, 404, "no route for \(request.path)") }
        guard let body = try? request.json() as? [String: Any], let model = body["model"] as? String,
            let input = body["input"] as? [[String: Any]], !input.isEmpty
        else {
            return error(writer, 400, "model and input are required")
        }
        var images: [ImageInfo] = []
        var remote: [String] = []
        var documents: [Int] = []
        for item in input {
            for part in item["content"] as? [[String: Any]] ?? [] where part["type"] as? String == "input_file" {
                guard part["filename"] is String, let data = part["file_data"] as? String else {
                    return error(writer, 400, "input_file needs filename and file_data")
                }
                switch NativeStub.document(dataURL: data) {
                case .success(let pages): documents.append(pages)
                case .failure(let failure): return error(writer, 400, failure.message, code: "invalid_file")
                }
            }
            for part in item["content"] as? [[String: Any]] ?? [] where part["type"] as? String == "input_image" {
                guard let url = part["image_url"] as? String else { return error(writer, 400, "input_image.image_url must be a string") }
                guard url.hasPrefix("data:") else {
                    remote.append(url)
                    continue
                }
                guard let comma = url.firstIndex(of: ","), url[..<comma].hasSuffix(";base64") else { return error(writer, 400, "bad data URL") }
                let mime = String(url[url.index(url.startIndex, offsetBy: 5)..<comma].dropLast(7))
                switch NativeStub.image(base64: String(url[url.index(after: comma)...]), mime: mime) {
                case .success(let info): images.append(info)
                case .failure(let failure): return error(writer, 400, failure.message, code: "invalid_image_format")
                }
            }
        }
        if case .status(let status, let text) = fault {
            return writer.respond(status: status, headers: [("Content-Type", "application/json")], body: Data(text.utf8))
        }
        let generates = (body["tools"] as? [[String: Any]] ?? []).contains { $0["type"] as? String == "image_generation" }
        var answer = NativeStub.answer(images: images, remote: remote, documents: documents)
        if let instructions = body["instructions"] as? String { answer += " System: \(instructions)." }
        if input.count > 1 { answer += " Turns: \(input.count)." }
        let imageItem =
            #"{"id":"ig_1","type":"image_generation_call","status":"completed","output_format":"png","result":"\#(NativeStub.returnedImage.base64EncodedString())"}"#
        let message =
            #"{"id":"msg_1","type":"message","role":"assistant","status":"completed","content":[{"type":"output_text","text":\#(NativeStub.json(answer)),"annotations":[]}]}"#
        let usage = #"{"input_tokens":\#(30 + images.count * 85),"output_tokens":9,"total_tokens":\#(39 + images.count * 85)}"#
        let output = (generates ? [imageItem] : []) + [message]
        let response =
            #"{"id":"resp_1","object":"response","status":"completed","model":"\#(model)","output":[\#(output.joined(separator: ","))],"usage":\#(usage)}"#
        if body["stream"] as? Bool == true {
            writer.startStream(status: 200, headers: [("Content-Type", "text/event-stream")])
            writer.sendChunk(
                SSE.event("response.created", #"{"type":"response.created","response":{"id":"resp_1","status":"in_progress","model":"\#(model)","output":[]}}"#)
            )
            for (index, piece) in NativeStub.pieces(answer).enumerated() {
                writer.sendChunk(
                    SSE.event(
                        "response.output_text.delta",
                        #"{"type":"response.output_text.delta","item_id":"msg_1","output_index":0,"content_index":0,"delta":\#(NativeStub.json(piece))}"#))
                if index == 0 {
                    if case .cutMidStream = fault { return writer.closeAbruptly() }
                    if case .errorInStream = fault {
                        writer.sendChunk(
                            SSE.event("error", #"{"type":"error","code":"server_error","message":"The server had an error while processing your request."}"#))
                        return writer.endStream()
                    }
                }
            }
            if generates {
                writer.sendChunk(SSE.event("response.output_item.done", #"{"type":"response.output_item.done","output_index":1,"item":\#(imageItem)}"#))
            }
            writer.sendChunk(SSE.event("response.completed", #"{"type":"response.completed","response":\#(response)}"#))
            writer.endStream()
        } else {
            writer.respond(status: 200, headers: [("Content-Type", "application/json")], body: Data(response.utf8))
        }
    }
}
