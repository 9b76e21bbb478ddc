import Foundation
import Imaging

/// A loopback server speaking Ollama's native API: `POST /api/chat` with an NDJSON stream by default
/// (`application/x-ndjson`, a final `done: true` line with eval counts), raw base64 `images` checked, `options`,
/// an `{"error": …}` line mid-stream, 404 for a model that is not pulled, and `GET /api/tags`.
public final class OllamaStubServer: @unchecked Sendable {
    public let fault: NativeStub.Fault
    /// Models that are "pulled"; any other gets 404.
    public let models: [String]
    private var server: LoopbackHTTPServer!
    public var baseURL: String { server.baseURL }
    public var requests: [RecordedRequest] { server.requests }

    public init(models: [String] = ["llava", "stub-vision-1"], fault: NativeStub.Fault = .none) throws {
        self.models = models
        self.fault = fault
        server = try LoopbackHTTPServer { [unowned self] request, writer in self.handle(request, writer) }
    }

    private func error(_ writer: ResponseWriter, _ status: Int, _ message: String) {
        writer.respond(status: status, headers: [("Content-Type", "application/json")], body: Data(#"{"error":\#(NativeStub.json(message))}"#.utf8))
    }

    private func handle(_ request: RecordedRequest, _ writer: ResponseWriter) {
        if request.method == "GET", request.path == "/api/tags" {
            let list = models.map { #"{"name":"\#($0):latest","model":"\#($0):latest"}"# }.joined(separator: ",")
            return writer.respond(status: 200, headers: [("Content-Type", "application/json")], body: Data(#"{"models":[\#(list)]}"#.utf8))
        }
        guard request.method == "POST", request.path == "/api/chat" else { return error(writer, 404, "404 page not found") }
        guard let body = try? request.json() as? [String: Any], let model = body["model"] as? String,
            let messages = body["messages"] as? [[String: Any]]
        else { return error(writer, 400, "invalid request") }
        guard models.contains(model) else { return error(writer, 404, "model '\(model)' not found") }
        var images: [ImageInfo] = []
        for message in messages {
            for base64 in message["images"] as? [String] ?? [] {
                guard !base64.hasPrefix("data:") else { return error(writer, 400, "illegal base64 data at input byte 4") }
                switch NativeStub.image(base64: base64, mime: nil) {
                case .success(let info): images.append(info)
                case .failure(let failure): return error(writer, 400, failure.message)
                }
            }
        }
        if case .status(let status, let text) = fault {
            return writer.respond(status: status, headers: [("Content-Type", "application/json")], body: Data(text.utf8))
        }
        var answer = NativeStub.answer(images: images)
        if let system = messages.first(where: { $0["role"] as? String == "system" })?["content"] as? String { answer += " System: \(system)." }
        let turns = messages.filter { $0["role"] as? String != "system" }.count
        if turns > 1 { answer += " Turns: \(turns)." }
        if let predict = (body["options"] as? [String: Any])?["num_predict"] as? Int { answer += " num_predict \(predict)." }
        let final = #""done":true,"done_reason":"stop","total_duration":5000000,"prompt_eval_count":\#(12 + images.count * 576),"eval_count":8"#
        if body["stream"] as? Bool ?? true {
            writer.startStream(status: 200, headers: [("Content-Type", "application/x-ndjson")])
            for (index, piece) in NativeStub.pieces(answer).enumerated() {
                writer.sendChunk(
                    Data(
                        (#"{"model":"\#(model)","created_at":"2026-12-01T00:00:00Z","message":{"role":"assistant","content":\#(NativeStub.json(piece))},"done":false}"#
                            + "\n").utf8))
                if index == 0 {
                    if case .cutMidStream = fault { return writer.closeAbruptly() }
                    if case .errorInStream = fault {
                        writer.sendChunk(Data((#"{"error":"an error was encountered while running the model: unexpected EOF"}"# + "\n").utf8))
                        return writer.endStream()
                    }
                }
            }
            writer.sendChunk(
                Data((#"{"model":"\#(model)","created_at":"2026-12-01T00:00:01Z","message":{"role":"assistant","content":""},\#(final)}"# + "\n").utf8))
            writer.endStream()
        } else {
            writer.respond(
                status: 200, headers: [("Content-Type", "application/json")],
                body: Data(
                    #"{"model":"\#(model)","created_at":"2026-12-01T00:00:01Z","message":{"role":"assistant","content":\#(NativeStub.json(answer))},\#(final)}"#
                        .utf8))
        }
    }
}
