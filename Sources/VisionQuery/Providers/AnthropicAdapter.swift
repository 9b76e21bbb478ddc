import FoundationEssentials
import Imaging
import Platform
import Transport

/// Anthropic's Messages API (`api = "anthropic"`): `POST /messages` with `x-api-key` and `anthropic-version`,
/// `max_tokens` always sent, images as base64 or URL sources before the text, named SSE events
/// (`message_start` … `message_stop`, `ping`, an `error` event after HTTP 200). Does no I/O.
public struct AnthropicAdapter: Provider {
    public let profile: Profile

    public init(profile: Profile) { self.profile = profile }

    /// The API version vq speaks.
    static let version = "2023-06-01"
    /// `max_tokens` when the user gives none (the API requires one).
    public static let defaultMaxTokens = 4096

    /// The vision guide's recommendation: at most 1568 px per side and 1.15 MP (larger is downscaled by the
    /// service, adding latency); 5 MB of base64 per image; 32 MB per request.
    static let defaults = ProviderDefaults(
        imageURLs: .pass, maxSide: 1568, maxPixels: 1_150_000,
        maxImageBytes: 5_242_880, maxRequestBytes: 32_000_000,
        nativeMedia: [.image, .document], maxDocumentPages: 100, maxDocumentBytes: 32_000_000)

    /// A forced tool call (`tools` + `tool_choice`) whose input is the answer.
    public var supportsSchema: Bool { true }

    public func makeRequest(_ query: Query, key: String?) throws(VQError) -> HTTPRequest {
        var (body, images) = requestBody(query)
        body["model"] = query.model
        var request = HTTPRequest.jsonPOST(
            profile.path.map { _ in profile.endpointURL(model: query.model) } ?? url("/messages"), body: body, images: images, stream: query.stream)
        request.headers.append(("anthropic-version", Self.version))
        request.addAuthentication(key: key, profile: profile, defaultHeader: "x-api-key")
        return request
    }

    /// The Messages body without `model` (Vertex AI names the model in the URL), with a placeholder where each inline
    /// image's base64 goes.
    func requestBody(_ query: Query) -> (body: [String: Any], images: [JSONBodyBuilder.InlineImage]) {
        var images: [JSONBodyBuilder.InlineImage] = []
        var messages: [[String: Any]] = []
        var system = query.system
        if let history = query.history {
            if let text = history.systemText { system = [system, text].compactMap { $0 }.joined(separator: "\n\n") }
            for turn in history.turns where turn.role == "user" || turn.role == "assistant" {
                let content: [[String: Any]] = turn.parts.map { part in
                    switch part {
                    case .text(let text): ["type": "text", "text": text]
                    case .inlineImage(let mime, let base64): ["type": "image", "source": ["type": "base64", "media_type": mime, "data": base64]]
                    case .imageURL(let url): ["type": "image", "source": ["type": "url", "url": url]]
                    case .inlineDocument(let mime, let base64, _): ["type": "document", "source": ["type": "base64", "media_type": mime, "data": base64]]
                    }
                }
                messages.append(["role": turn.role, "content": content])
            }
        }
        var content: [[String: Any]] = []
        for part in query.parts {  // images before the text, as the vision guide advises
            if let caption = part.caption { content.append(["type": "text", "text": caption]) }  // a video frame's time
            switch part.content {
            case .image(let data, let info):
                let image = JSONBodyBuilder.InlineImage(data: data, index: images.count)
                images.append(image)
                content.append(["type": "image", "source": ["type": "base64", "media_type": info.format.mimeType, "data": image.placeholder]])
            case .remoteURL(let url):
                content.append(["type": "image", "source": ["type": "url", "url": url]])
            case .video:
                preconditionFailure("anthropic reads no video whole; the engine sends \(part.name)'s frames as images")
            case .document(let data, let info):
                let document = JSONBodyBuilder.InlineImage(data: data, index: images.count)
                images.append(document)
                content.append(["type": "document", "source": ["type": "base64", "media_type": info.mimeType, "data": document.placeholder]])
            }
        }
        if !query.prompt.isEmpty { content.append(["type": "text", "text": query.prompt]) }
        if !content.isEmpty { messages.append(["role": "user", "content": content]) }

        var body: [String: Any] = ["messages": messages, "max_tokens": query.maxTokens ?? Self.defaultMaxTokens]
        if query.stream { body["stream"] = true }
        if let system { body["system"] = system }
        if let temperature = query.temperature { body["temperature"] = min(temperature, 1) }
        if let topP = query.topP { body["top_p"] = topP }
        if !query.stop.isEmpty { body["stop_sequences"] = query.stop }
        if let schema = query.schema {  // a forced call of one tool whose input is the answer
            body["tools"] = [["name": AnswerSchema.name, "description": "Give the answer as structured data.", "input_schema": schema.wireObject]]
            body["tool_choice"] = ["type": "tool", "name": AnswerSchema.name]
        }
        return (body, images)
    }

    public func decodeStreamEvent(_ event: SSEEvent) -> [StreamEvent] {
        guard let object = JSONValue.object(from: Data(event.data.utf8)) else {
            return [.malformed("malformed stream event: \(event.data.prefix(120))")]
        }
        switch event.event ?? object["type"] as? String ?? "" {
        case "message_start":
            let message = object["message"] as? [String: Any] ?? [:]
            var events: [StreamEvent] = []
            if let model = message["model"] as? String, !model.isEmpty { events.append(.model(model)) }
            if let usage = Self.usage(message["usage"]) { events.append(.usage(usage)) }
            return events
        case "content_block_start":
            let block = object["content_block"] as? [String: Any] ?? [:]
            if let text = block["text"] as? String, !text.isEmpty { return [.text(text)] }
            return []
        case "content_block_delta":
            let delta = object["delta"] as? [String: Any] ?? [:]
            if delta["type"] as? String == "text_delta", let text = delta["text"] as? String, !text.isEmpty { return [.text(text)] }
            // The forced tool's input (--schema) streams as pieces of JSON: they are the answer.
            if delta["type"] as? String == "input_json_delta", let json = delta["partial_json"] as? String, !json.isEmpty { return [.text(json)] }
            return []
        case "message_delta":
            var events: [StreamEvent] = []
            if let reason = (object["delta"] as? [String: Any])?["stop_reason"] as? String { events.append(.finish(reason: Self.finishReason(reason))) }
            if let usage = Self.usage(object["usage"]) { events.append(.usage(usage)) }
            return events
        case "message_stop": return [.done]
        case "error": return [.serviceError(Self.errorText(object["error"] ?? object))]
        default: return []  // ping, content_block_stop, and events added later
        }
    }

    public func decodeResponse(_ body: Data) -> [StreamEvent] {
        guard let object = JSONValue.object(from: body) else {
            return [.serviceError("the response is not JSON: \(ServiceErrorSummary.excerpt(body))")]
        }
        if object["type"] as? String == "error" { return [.serviceError(Self.errorText(object["error"] ?? object))] }
        guard let content = object["content"] as? [[String: Any]] else {
            return [.serviceError("the response has no content: \(ServiceErrorSummary.excerpt(body))")]
        }
        var events: [StreamEvent] = []
        if let model = object["model"] as? String, !model.isEmpty { events.append(.model(model)) }
        let text = content.filter { $0["type"] as? String == "text" }.compactMap { $0["text"] as? String }.joined()
        if let input = Self.toolInput(body) {
            events.append(.text(input))  // --schema: the forced tool's input is the answer (text beside it is preamble)
        } else if !text.isEmpty {
            events.append(.text(text))
        }
        if let reason = object["stop_reason"] as? String { events.append(.finish(reason: Self.finishReason(reason))) }
        if let usage = Self.usage(object["usage"]) { events.append(.usage(usage)) }
        return events + [.done]
    }

    /// The `input` of the first `tool_use` block as JSON text, its keys in the order the model wrote them.
    static func toolInput(_ body: Data) -> String? {
        guard case .array(let blocks)? = try? OrderedJSON.parse(String(decoding: body, as: UTF8.self))["content"] else { return nil }
        return blocks.first { $0["type"] == .string("tool_use") }?["input"]?.text
    }

    /// `max_tokens` is what the other services call `length`.
    static func finishReason(_ reason: String) -> String { reason == "max_tokens" ? "length" : reason }

    static func usage(_ value: Any?) -> Usage? {
        guard let object = value as? [String: Any] else { return nil }
        // input_tokens leaves out what was read from the prompt cache: it is added back, as the other services count it.
        let cached = object["cache_read_input_tokens"] as? Int
        let input = (object["input_tokens"] as? Int).map { $0 + (cached ?? 0) }
        let output = object["output_tokens"] as? Int
        guard input != nil || output != nil else { return nil }
        let total = input.flatMap { input in output.map { input + $0 } }
        return Usage(promptTokens: input, completionTokens: output, totalTokens: total, cachedPromptTokens: input == nil ? nil : cached)
    }

    /// "Overloaded (overloaded_error)".
    static func errorText(_ error: Any) -> String {
        guard let object = error as? [String: Any] else { return ServiceErrorSummary.message(fromErrorValue: error) }
        var text = object["message"] as? String ?? "unknown error"
        if let type = object["type"] as? String, !text.contains(type) { text += " (\(type))" }
        return ServiceErrorSummary.oneLine(text, limit: 400)
    }

    public func failure(status: Int, body: Data, headers: [String: String]) -> VQError {
        let error = JSONValue.object(from: body)?["error"]
        return ServiceErrorSummary.error(
            status: status, body: body, contentType: headers["content-type"], profile: profile,
            headers: headers, detail: error.map(Self.errorText))
    }

    public func ignoredOptions(_ query: Query) -> [String] {
        var names: [String] = []
        if query.detail != nil { names.append("--detail") }
        if query.modalities.contains("image") { names.append("--modalities image (Claude does not return images)") }
        if let temperature = query.temperature, temperature > 1 { names.append("--temperature above 1 (Anthropic's maximum; 1 is sent)") }
        return names
    }

    public func imageTokens(width: Int, height: Int, query: Query) -> Int? {
        ImageTokenEstimator.estimate(model: query.model, api: .anthropic, width: width, height: height, detail: query.detail)
    }

    /// Each page as an image plus its text: the PDF-support guide counts 1,500 to 3,000 text tokens a page (the low
    /// end is taken).
    public func documentTokens(_ document: DocumentInfo, query: Query) -> Int? {
        pageImageTokens(document, query: query, textPerPage: 1500)
    }

    public func modelsRequest(key: String?) -> HTTPRequest? {
        var request = HTTPRequest(
            method: "GET", url: url("/models?limit=1000"), headers: [("Accept", "application/json"), ("anthropic-version", Self.version)])
        request.addAuthentication(key: key, profile: profile, defaultHeader: "x-api-key")
        return request
    }

    public func decodeModels(_ body: Data) -> [String]? {
        (JSONValue.object(from: body)?["data"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
    }

    /// `POST /messages/count_tokens`: the Messages body with only the fields that endpoint takes.
    public func tokenCountRequest(_ query: Query, key: String?) throws(VQError) -> HTTPRequest? {
        guard profile.path == nil else { return nil }  // a gateway's own path has no count endpoint beside it
        var (body, images) = requestBody(query)
        body = body.filter { ["messages", "system", "tools", "tool_choice"].contains($0.key) }
        body["model"] = query.model
        var request = HTTPRequest.jsonPOST(url("/messages/count_tokens"), body: body, images: images, stream: false)
        request.headers.append(("anthropic-version", Self.version))
        request.addAuthentication(key: key, profile: profile, defaultHeader: "x-api-key")
        return request
    }

    public func decodeTokenCount(_ body: Data) -> Int? { JSONValue.object(from: body)?["input_tokens"] as? Int }
}
