import Foundation
import Imaging

/// A loopback OpenAI Images API: `POST /v1/images/generations` (JSON) and `POST /v1/images/edits`
/// (multipart/form-data, parsed here field by field), answering with `b64_json` items, `url` items served from
/// `/files/N.png`, streamed `partial_image`/`completed` events, or a moderation refusal. A generation returns `n`
/// generated PNGs; an edit returns its first input image, so a test sees what was uploaded. For prompt lists it can
/// echo each prompt in its `revised_prompt`, refuse prompts containing a word, and hold answers back (a kill test).
public final class ImagesAPIStubServer: @unchecked Sendable {
    /// How the answers come back.
    public enum Answer: Sendable { case base64, url, stream, moderationRefusal }

    public let answer: Answer
    public let expectedKey: String
    private var server: LoopbackHTTPServer!
    public var baseURL: String { server.baseURL + "/v1" }
    public var requests: [RecordedRequest] { server.requests }
    /// The PNG each generation returns: 8x8, opaque.
    public static let generated: Data = try! ImageEncoder.encodePNG(
        pixels: (0..<(8 * 8 * 3)).map { UInt8(truncatingIfNeeded: $0 * 3) }, width: 8, height: 8, channels: 3)
    public static let revisedPrompt = "A watercolour fox sitting in tall grass, soft light"

    /// `revised_prompt` is "Revised: PROMPT" instead of `revisedPrompt`.
    public let echoesPrompt: Bool
    /// A prompt containing this word is refused (`moderation_blocked`).
    public let refusing: String?
    private let condition = NSCondition()
    private var heldFrom: Int?
    private var answered = 0

    public init(answer: Answer, expectedKey: String = "sk-test-secret", echoesPrompt: Bool = false, refusing: String? = nil) throws {
        self.answer = answer
        self.expectedKey = expectedKey
        self.echoesPrompt = echoesPrompt
        self.refusing = refusing
        server = try LoopbackHTTPServer { [unowned self] request, writer in self.handle(request, writer) }
    }

    /// From now on, answers after the first `count` are held until `release()`.
    public func hold(after count: Int) {
        condition.lock()
        heldFrom = count
        condition.unlock()
    }

    /// Lets held answers go.
    public func release() {
        condition.lock()
        heldFrom = nil
        condition.broadcast()
        condition.unlock()
    }

    /// Waits until `count` answers have been sent; false after `timeout` seconds.
    public func waitForAnswers(_ count: Int, timeout: Double = 20) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout)
        condition.lock()
        defer { condition.unlock() }
        while answered < count { if !condition.wait(until: deadline) { return answered >= count } }
        return true
    }

    /// Counts one answer, first waiting while answers are held back.
    private func takeTurn() {
        condition.lock()
        while let held = heldFrom, answered >= held { condition.wait() }
        answered += 1
        condition.broadcast()
        condition.unlock()
    }

    /// The path of a request target; an absolute-form target (`http://api.openai.com/v1/images/generations`, what a
    /// client sends a plain HTTP proxy) is answered too, so a profile whose base URL names OpenAI's host (and so gets
    /// OpenAI's bundled prices) reaches this stub through `http_proxy`.
    public static func originForm(_ target: String) -> String {
        guard target.hasPrefix("http://"), let slash = target.dropFirst("http://".count).firstIndex(of: "/") else { return target }
        return String(target[slash...])
    }

    private func handle(_ request: RecordedRequest, _ writer: ResponseWriter) {
        if request.method == "GET" && request.path.hasPrefix("/files/") {
            guard request.header("authorization") == nil else { return writer.respond(status: 400, body: Data("the key leaked to the file URL".utf8)) }
            return writer.respond(status: 200, headers: [("Content-Type", "image/png")], body: Self.generated)
        }
        guard request.header("authorization") == "Bearer \(expectedKey)" else {
            return writer.respond(status: 401, headers: [("Content-Type", "application/json")], body: Data(#"{"error":{"message":"bad key"}}"#.utf8))
        }
        let images: [Data]
        let prompt: String
        switch Self.originForm(request.path) {
        case "/v1/images/generations":
            guard let body = try? request.json() as? [String: Any], let text = body["prompt"] as? String else {
                return writer.respond(status: 400, body: Data("bad JSON".utf8))
            }
            prompt = text
            images = Array(repeating: Self.generated, count: body["n"] as? Int ?? 1)
        case "/v1/images/edits":
            guard let type = request.header("content-type"), let range = type.range(of: "boundary="),
                let parsed = Self.multipart(request.body, boundary: String(type[range.upperBound...])), parsed["prompt"] != nil,
                let first = parsed["image[]"]?.first ?? parsed["image"]?.first
            else { return writer.respond(status: 400, body: Data("bad multipart body".utf8)) }
            prompt = String(decoding: parsed["prompt"]?.first ?? Data(), as: UTF8.self)
            images = Array(repeating: first, count: Int(String(decoding: parsed["n"]?.first ?? Data("1".utf8), as: UTF8.self)) ?? 1)
        default:
            return writer.respond(status: 404, body: Data())
        }
        let usage = #"{"input_tokens":12,"output_tokens":4160,"total_tokens":4172}"#
        takeTurn()
        let refused = refusing.map { prompt.contains($0) } ?? false
        let revised = echoesPrompt ? "Revised: \(prompt)" : Self.revisedPrompt
        switch refused ? .moderationRefusal : answer {
        case .moderationRefusal:
            writer.respond(
                status: 400, headers: [("Content-Type", "application/json")],
                body: Data(
                    #"{"error":{"message":"Your request was rejected by the safety system.","type":"image_generation_user_error","param":null,"code":"moderation_blocked"}}"#
                        .utf8))
        case .base64, .url:
            let items = images.enumerated().map { index, data in
                let image = answer == .url ? #""url":"\#(server.baseURL)/files/\#(index).png""# : #""b64_json":"\#(data.base64EncodedString())""#
                return #"{\#(image),"revised_prompt":\#(Self.json(revised))}"#
            }
            let json = #"{"created":1,"data":[\#(items.joined(separator: ","))],"usage":\#(usage)}"#
            writer.respond(status: 200, headers: [("Content-Type", "application/json")], body: Data(json.utf8))
        case .stream:
            let kind = Self.originForm(request.path).hasSuffix("edits") ? "image_edit" : "image_generation"
            writer.startStream(status: 200, headers: [("Content-Type", "text/event-stream")])
            for index in 0..<2 {
                _ = writer.sendChunk(
                    SSE.event(#"{"type":"\#(kind).partial_image","b64_json":"\#(Self.generated.base64EncodedString())","partial_image_index":\#(index)}"#))
            }
            for image in images {
                _ = writer.sendChunk(SSE.event(#"{"type":"\#(kind).completed","b64_json":"\#(image.base64EncodedString())","usage":\#(usage)}"#))
            }
            writer.endStream()
        }
    }

    /// `text` as a JSON string.
    static func json(_ text: String) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: [text], options: [.fragmentsAllowed]), as: UTF8.self).dropFirst().dropLast()
            .description
    }

    /// The fields of a multipart/form-data body by name (a repeated name keeps every value), nil when malformed.
    public static func multipart(_ body: Data, boundary: String) -> [String: [Data]]? {
        let delimiter = Data("--\(boundary)".utf8)
        var fields: [String: [Data]] = [:]
        var rest = body[...]
        guard let first = rest.range(of: delimiter) else { return nil }
        rest = rest[first.upperBound...]
        while rest.starts(with: Data("\r\n".utf8)) {
            rest = rest.dropFirst(2)
            guard let headEnd = rest.range(of: Data("\r\n\r\n".utf8)) else { return nil }
            let head = String(decoding: rest[..<headEnd.lowerBound], as: UTF8.self)
            guard let nameStart = head.range(of: "name=\""), let nameEnd = head[nameStart.upperBound...].firstIndex(of: "\"") else { return nil }
            let name = String(head[nameStart.upperBound..<nameEnd])
            let valueStart = headEnd.upperBound
            guard let next = rest[valueStart...].range(of: Data("\r\n".utf8) + delimiter) else { return nil }
            fields[name, default: []].append(Data(rest[valueStart..<next.lowerBound]))
            rest = rest[next.upperBound...]
        }
        return rest.starts(with: Data("--".utf8)) ? fields : nil
    }

    /// The fields of the last edit request (test assertions).
    public func lastEditFields() -> [String: [Data]]? {
        guard let request = requests.last(where: { $0.path == "/v1/images/edits" }), let type = request.header("content-type"),
            let range = type.range(of: "boundary=")
        else { return nil }
        return Self.multipart(request.body, boundary: String(type[range.upperBound...]))
    }
}
