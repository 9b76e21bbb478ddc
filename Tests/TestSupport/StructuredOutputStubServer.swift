import Foundation

/// A loopback server for `--schema`, speaking one api's wire format (streamed and whole answers). It refuses (HTTP
/// 400) a request without that api's structured-output field, or, in `.inPrompt` mode, one that has it or whose
/// prompt lacks the schema; it answers with a value it builds from the schema it received, so the answer conforms
/// only when the schema crossed the wire intact.
public final class StructuredOutputStubServer: @unchecked Sendable {
    /// The wire format: `openai`, `openai-responses`, `gemini`, `anthropic` or `ollama`.
    public let api: String
    public let answer: Answer
    /// Where the schema must be: in the api's field, or (for `schema_support = false`) in the prompt.
    public let schemaInPrompt: Bool
    private var server: LoopbackHTTPServer!
    public var baseURL: String { server.baseURL }
    public var requests: [RecordedRequest] { server.requests }

    /// What the stub answers.
    public enum Answer: Sendable {
        /// A value following the schema it received.
        case conforming
        /// That value with its first number or boolean property given as the string "many".
        case breaking
        /// Prose instead of JSON.
        case prose
    }

    /// What string properties are answered with.
    public let sampleText: String

    public init(api: String, answer: Answer = .conforming, schemaInPrompt: Bool = false, sampleText: String = "text") throws {
        self.api = api
        self.sampleText = sampleText
        self.answer = answer
        self.schemaInPrompt = schemaInPrompt
        server = try LoopbackHTTPServer { [unowned self] request, writer in self.handle(request, writer) }
    }

    /// The schema object the last request carried in its api's field.
    public static func wireSchema(api: String, body: [String: Any]) -> [String: Any]? {
        switch api {
        case "openai":
            let format = body["response_format"] as? [String: Any]
            guard format?["type"] as? String == "json_schema", let spec = format?["json_schema"] as? [String: Any],
                spec["name"] is String, spec["strict"] is Bool
            else { return nil }
            return spec["schema"] as? [String: Any]
        case "openai-responses":
            let format = (body["text"] as? [String: Any])?["format"] as? [String: Any]
            guard format?["type"] as? String == "json_schema", format?["name"] is String, format?["strict"] is Bool else { return nil }
            return format?["schema"] as? [String: Any]
        case "gemini":
            let config = body["generationConfig"] as? [String: Any]
            guard config?["responseMimeType"] as? String == "application/json" else { return nil }
            return config?["responseSchema"] as? [String: Any]
        case "anthropic":
            guard let choice = body["tool_choice"] as? [String: Any], choice["type"] as? String == "tool",
                let tool = (body["tools"] as? [[String: Any]])?.first(where: { $0["name"] as? String == choice["name"] as? String })
            else { return nil }
            return tool["input_schema"] as? [String: Any]
        case "ollama":
            return body["format"] as? [String: Any]
        default:
            return nil
        }
    }

    private func handle(_ request: RecordedRequest, _ writer: ResponseWriter) {
        guard request.method == "POST", let body = try? request.json() as? [String: Any] else {
            return writer.respond(
                status: 400, headers: [("Content-Type", "application/json")], body: Data(#"{"error":{"message":"expected a JSON POST"}}"#.utf8))
        }
        let fielded = Self.wireSchema(api: api, body: body)
        let prompt = Self.promptText(body)
        let schema: [String: Any]
        if schemaInPrompt {
            guard fielded == nil, let range = prompt.range(of: "JSON Schema:\n"),
                let parsed = try? JSONSerialization.jsonObject(with: Data(prompt[range.upperBound...].utf8)) as? [String: Any]
            else {
                return refuse(writer, "expected the schema in the prompt and no structured-output field")
            }
            schema = parsed
        } else {
            guard let fielded else { return refuse(writer, "no \(api) structured-output field in the request") }
            schema = fielded
        }
        var value = Self.sample(schema, text: sampleText) as? [String: Any] ?? [:]
        if answer == .breaking, let key = value.keys.sorted().first(where: { value[$0] is NSNumber }) { value[key] = "many" }
        let objectText = String(decoding: try! JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]), as: UTF8.self)
        var text = answer == .prose ? "Sure! The picture shows a cat." : objectText
        if schemaInPrompt && answer != .prose { text = "```json\n\(text)\n```" }
        let stream = body["stream"] as? Bool == true || request.path.contains("streamGenerateContent")
        let pieces = Self.thirds(text)
        switch api {
        case "openai":
            guard stream else {
                return whole(
                    writer, ["model": "stub", "choices": [["index": 0, "message": ["role": "assistant", "content": text], "finish_reason": "stop"]]])
            }
            sse(
                writer,
                pieces.map { ["choices": [["index": 0, "delta": ["content": $0]]]] }
                    + [["choices": [["index": 0, "delta": [:], "finish_reason": "stop"]]]], done: "[DONE]")
        case "openai-responses":
            guard stream else {
                return whole(writer, ["status": "completed", "output": [["type": "message", "content": [["type": "output_text", "text": text]]]]])
            }
            sse(
                writer,
                pieces.map { ["type": "response.output_text.delta", "delta": $0] }
                    + [["type": "response.completed", "response": ["status": "completed"]]])
        case "gemini":
            let final: [String: Any] = ["candidates": [["content": ["parts": [["text": text]]], "finishReason": "STOP"]]]
            guard stream else { return whole(writer, final) }
            sse(
                writer,
                pieces.enumerated().map { index, piece in
                    ["candidates": [["content": ["parts": [["text": piece]]]].merging(index == 2 ? ["finishReason": "STOP"] : [:]) { a, _ in a }]]
                })
        case "anthropic":
            let block: [String: Any] =
                answer == .prose || schemaInPrompt
                ? ["type": "text", "text": text]
                : ["type": "tool_use", "id": "toolu_1", "name": AnswerName.value, "input": value]
            guard stream else {
                return whole(
                    writer,
                    ["type": "message", "model": "stub", "content": [block], "stop_reason": "tool_use", "usage": ["input_tokens": 5, "output_tokens": 7]])
            }
            let deltas: [[String: Any]] =
                block["type"] as? String == "tool_use"
                ? Self.thirds(objectText).map { ["type": "content_block_delta", "index": 0, "delta": ["type": "input_json_delta", "partial_json": $0]] }
                : pieces.map { ["type": "content_block_delta", "index": 0, "delta": ["type": "text_delta", "text": $0]] }
            var start = block
            if start["type"] as? String == "tool_use" { start["input"] = [String: Any]() } else { start["text"] = "" }
            sse(
                writer,
                [
                    ["type": "message_start", "message": ["model": "stub", "usage": ["input_tokens": 5]]],
                    ["type": "content_block_start", "index": 0, "content_block": start],
                ]
                    + deltas + [
                        ["type": "content_block_stop", "index": 0],
                        ["type": "message_delta", "delta": ["stop_reason": "tool_use"], "usage": ["output_tokens": 7]],
                        ["type": "message_stop"],
                    ], named: true)
        default:  // ollama
            guard stream else { return whole(writer, ["model": "stub", "message": ["role": "assistant", "content": text], "done": true]) }
            writer.startStream(status: 200, headers: [("Content-Type", "application/x-ndjson")])
            for piece in pieces { writer.sendChunk(Self.line(["message": ["role": "assistant", "content": piece], "done": false])) }
            writer.sendChunk(Self.line(["message": ["role": "assistant", "content": ""], "done": true, "done_reason": "stop"]))
            writer.endStream()
        }
    }

    /// The tool name vq's Anthropic adapter forces.
    enum AnswerName { static let value = "answer" }

    private func refuse(_ writer: ResponseWriter, _ message: String) {
        writer.respond(
            status: 400, headers: [("Content-Type", "application/json")],
            body: Data(#"{"error":{"message":\#(NativeStub.json(message)),"type":"invalid_request_error"}}"#.utf8))
    }

    private func whole(_ writer: ResponseWriter, _ object: [String: Any]) {
        writer.respond(status: 200, headers: [("Content-Type", "application/json")], body: Self.line(object))
    }

    private func sse(_ writer: ResponseWriter, _ events: [[String: Any]], done: String? = nil, named: Bool = false) {
        writer.startStream(status: 200, headers: [("Content-Type", "text/event-stream")])
        for event in events {
            let name = named ? "event: \(event["type"] as? String ?? "")\n" : ""
            writer.sendChunk(Data("\(name)data: \(NativeStub.json(object: event))\n\n".utf8))
        }
        if let done { writer.sendChunk(Data("data: \(done)\n\n".utf8)) }
        writer.endStream()
    }

    private static func line(_ object: [String: Any]) -> Data { Data((NativeStub.json(object: object) + "\n").utf8) }

    /// The text in three pieces, to be streamed.
    static func thirds(_ text: String) -> [String] {
        let characters = Array(text)
        let step = max(1, characters.count / 3)
        return [
            String(characters[0..<min(step, characters.count)]),
            String(characters[min(step, characters.count)..<min(2 * step, characters.count)]),
            String(characters[min(2 * step, characters.count)...]),
        ]
    }

    /// Every text the request's messages carry, joined (where the prompt-mode instruction is looked for).
    static func promptText(_ body: [String: Any]) -> String {
        var texts: [String] = []
        func collect(_ value: Any) {
            if let object = value as? [String: Any] {
                for key in ["text", "content"] { if let text = object[key] as? String { texts.append(text) } }
                for (key, inner) in object where key != "format" && key != "response_format" { collect(inner) }
            } else if let array = value as? [Any] {
                array.forEach(collect)
            }
        }
        collect(body["messages"] ?? body["input"] ?? body["contents"] ?? [])
        return texts.joined(separator: "\n")
    }

    /// A value following `schema` (JSON Schema, or Gemini's upper-case form): enum's first value, `text`, 3, 1.5,
    /// true, two items, every property.
    public static func sample(_ schema: [String: Any], text: String = "text") -> Any {
        if let values = schema["enum"] as? [Any], let first = values.first { return first }
        var type = (schema["type"] as? String) ?? (schema["type"] as? [String])?.first { $0 != "null" } ?? "object"
        type = type.lowercased()
        switch type {
        case "object":
            var object: [String: Any] = [:]
            for (name, property) in schema["properties"] as? [String: Any] ?? [:] { object[name] = sample(property as? [String: Any] ?? [:], text: text) }
            return object
        case "array": return [sample(schema["items"] as? [String: Any] ?? [:], text: text), sample(schema["items"] as? [String: Any] ?? [:], text: text)]
        case "integer": return 3
        case "number": return 1.5
        case "boolean": return true
        case "null": return NSNull()
        default: return text
        }
    }
}
