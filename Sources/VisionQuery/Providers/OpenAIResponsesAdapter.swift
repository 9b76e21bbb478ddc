import FoundationEssentials
import Imaging
import Platform
import TextFormatting
import Transport

/// OpenAI's Responses API (`api = "openai-responses"`): `POST /responses` with `input_text`/`input_image` items and
/// `instructions`, typed SSE events (`response.output_text.delta` … `response.completed`); `--modalities text,image`
/// adds the `image_generation` tool, whose results are returned images. Does no I/O.
public struct OpenAIResponsesAdapter: Provider {
    public let profile: Profile

    public init(profile: Profile) { self.profile = profile }

    static let defaults = OpenAIAdapter.defaults

    /// `text.format: {type: json_schema, …}`.
    public var supportsSchema: Bool { true }

    public func makeRequest(_ query: Query, key: String?) throws(VQError) -> HTTPRequest {
        var images: [JSONBodyBuilder.InlineImage] = []
        var input: [[String: Any]] = []
        for turn in query.history?.turns ?? [] {
            if turn.role == "assistant" {
                input.append(["role": "assistant", "content": turn.text])
                continue
            }
            let content: [[String: Any]] = turn.parts.map { part in
                switch part {
                case .text(let text): ["type": "input_text", "text": text]
                case .inlineImage(let mime, let base64): ["type": "input_image", "image_url": "data:\(mime);base64,\(base64)", "detail": "auto"]
                case .imageURL(let url): ["type": "input_image", "image_url": url, "detail": "auto"]
                case .inlineDocument(let mime, let base64, let name): ["type": "input_file", "filename": name, "file_data": "data:\(mime);base64,\(base64)"]
                }
            }
            input.append(["role": turn.role == "tool" ? "user" : turn.role, "content": content])
        }
        var content: [[String: Any]] = []
        if !query.prompt.isEmpty { content.append(["type": "input_text", "text": query.prompt]) }
        for part in query.parts {
            if let caption = part.caption { content.append(["type": "input_text", "text": caption]) }  // a video frame's time
            let url: String
            switch part.content {
            case .remoteURL(let remote): url = remote
            case .video:
                preconditionFailure("openai-responses reads no video whole; the engine sends \(part.name)'s frames as images")
            case .document(let data, let info):
                let document = JSONBodyBuilder.InlineImage(data: data, index: images.count)
                images.append(document)
                content.append(["type": "input_file", "filename": info.fileName, "file_data": "data:\(info.mimeType);base64,\(document.placeholder)"])
                continue
            case .image(let data, let info):
                let image = JSONBodyBuilder.InlineImage(data: data, index: images.count)
                images.append(image)
                url = "data:\(info.format.mimeType);base64,\(image.placeholder)"
            }
            content.append(["type": "input_image", "image_url": url, "detail": (query.detail ?? .auto).rawValue])
        }
        if !content.isEmpty { input.append(["role": "user", "content": content]) }

        var body: [String: Any] = ["model": query.model, "input": input, "stream": query.stream]
        if let system = query.system { body["instructions"] = system }
        if let temperature = query.temperature { body["temperature"] = temperature }
        if let topP = query.topP { body["top_p"] = topP }
        if let maxTokens = query.maxTokens { body["max_output_tokens"] = maxTokens }
        if query.modalities.contains("image") { body["tools"] = [["type": "image_generation"]] }
        if let generation = query.generation {
            var tool: [String: Any] = ["type": "image_generation"]
            for (name, value) in ResponsesImageTool.fields(generation, isEdit: !query.parts.isEmpty, stream: query.stream) { tool[name] = value }
            if let mask = query.mask {
                let image = JSONBodyBuilder.InlineImage(data: mask, index: images.count)
                images.append(image)
                tool["input_image_mask"] = ["image_url": "data:image/png;base64,\(image.placeholder)"]
            }
            body["tools"] = [tool]
            body["tool_choice"] = ["type": "image_generation"]
        }
        if let schema = query.schema {
            body["text"] = [
                "format": ["type": "json_schema", "name": AnswerSchema.name, "schema": schema.wireObject, "strict": schema.root.isStrictCompatible]
            ]
        }

        var request = HTTPRequest(
            method: "POST", url: profile.path.map { _ in profile.endpointURL(model: query.model) } ?? url("/responses"),
            headers: [
                ("Content-Type", "application/json"),
                ("Accept", query.stream ? "text/event-stream" : "application/json"),
            ], body: JSONBodyBuilder.parts(for: body, images: images))
        request.addAuthentication(key: key, profile: profile, defaultHeader: nil)
        return request
    }

    public func decodeStreamEvent(_ event: SSEEvent) -> [StreamEvent] {
        if event.data.trimmingWhitespace() == "[DONE]" { return [.done] }
        guard let object = JSONValue.object(from: Data(event.data.utf8)) else {
            return [.malformed("malformed stream event: \(event.data.prefix(120))")]
        }
        switch object["type"] as? String ?? event.event ?? "" {
        case "response.created":
            return ((object["response"] as? [String: Any])?["model"] as? String).map { [.model($0)] } ?? []
        case "response.output_text.delta":
            return (object["delta"] as? String).flatMap { $0.isEmpty ? nil : [.text($0)] } ?? []
        case "response.image_generation_call.partial_image":
            return [.partialImage(index: object["partial_image_index"] as? Int ?? 0)]
        case "response.output_item.done":
            return Self.images(in: [object["item"] as? [String: Any] ?? [:]])
        case "response.completed", "response.incomplete":
            return Self.ending(object["response"] as? [String: Any] ?? [:])
        case "response.failed":
            let response = object["response"] as? [String: Any] ?? [:]
            return [.serviceError(ServiceErrorSummary.message(fromErrorValue: response["error"] ?? "the response failed"))]
        case "error":
            return [.serviceError(ServiceErrorSummary.message(fromErrorValue: object["error"] ?? object))]
        default:
            return []
        }
    }

    public func decodeResponse(_ body: Data) -> [StreamEvent] {
        guard let object = JSONValue.object(from: body) else {
            return [.serviceError("the response is not JSON: \(ServiceErrorSummary.excerpt(body))")]
        }
        if let error = object["error"], !(error is JSONNull) { return [.serviceError(ServiceErrorSummary.message(fromErrorValue: error))] }
        guard let output = object["output"] as? [[String: Any]] else {
            return [.serviceError("the response has no output: \(ServiceErrorSummary.excerpt(body))")]
        }
        var events: [StreamEvent] = []
        if let model = object["model"] as? String, !model.isEmpty { events.append(.model(model)) }
        let text = output.filter { $0["type"] as? String == "message" }
            .flatMap { $0["content"] as? [[String: Any]] ?? [] }
            .filter { $0["type"] as? String == "output_text" }.compactMap { $0["text"] as? String }.joined()
        if !text.isEmpty { events.append(.text(text)) }
        events += Self.images(in: output)
        return events + Self.ending(object)
    }

    /// Results of `image_generation_call` items.
    static func images(in items: [[String: Any]]) -> [StreamEvent] {
        items.filter { $0["type"] as? String == "image_generation_call" }.flatMap { item -> [StreamEvent] in
            guard let result = item["result"] as? String, !result.isEmpty else { return [] }
            let revised = (item["revised_prompt"] as? String).map { [StreamEvent.revisedPrompt($0)] } ?? []
            return revised + [
                ReturnedImageDecoder.event(base64: result, mimeHint: (item["output_format"] as? String).map { "image/\($0)" }, sourceURL: nil)
            ]
        }
    }

    /// Finish reason, usage and the end marker from a finished response object.
    static func ending(_ response: [String: Any]) -> [StreamEvent] {
        var events: [StreamEvent] = []
        let status = response["status"] as? String ?? "completed"
        if status == "incomplete" {
            let reason = (response["incomplete_details"] as? [String: Any])?["reason"] as? String
            events.append(.finish(reason: reason == "max_output_tokens" ? "length" : reason ?? "incomplete"))
        } else {
            events.append(.finish(reason: status == "completed" ? "stop" : status))
        }
        if let usage = response["usage"] as? [String: Any] {
            events.append(
                .usage(
                    Usage(
                        promptTokens: usage["input_tokens"] as? Int, completionTokens: usage["output_tokens"] as? Int,
                        totalTokens: usage["total_tokens"] as? Int,
                        cachedPromptTokens: (usage["input_tokens_details"] as? [String: Any])?["cached_tokens"] as? Int)))
        }
        return events + [.done]
    }

    public func ignoredOptions(_ query: Query) -> [String] {
        (query.stop.isEmpty ? [] : ["--stop"]) + (query.generation.map { ResponsesImageTool.ignoredOptions($0, isEdit: !query.parts.isEmpty) } ?? [])
    }

    /// `vq gen` through the `image_generation` tool, its options and mask included.
    public var makesImages: Bool { true }

    public func generationNotes(_ query: Query) -> [String] {
        query.generation.flatMap { ImageSizeChoice.openAISize($0, model: ResponsesImageTool.model)?.note }.map { [$0] } ?? []
    }

    public func imageTokens(width: Int, height: Int, query: Query) -> Int? {
        ImageTokenEstimator.estimate(model: query.model, api: .openai, width: width, height: height, detail: query.detail)
    }

    /// As for chat completions: an image of each page (and its text, not counted).
    public func documentTokens(_ document: DocumentInfo, query: Query) -> Int? { pageImageTokens(document, query: query) }

    public func modelsRequest(key: String?) -> HTTPRequest? { authorizedGET("/models", key: key) }

    public func decodeModels(_ body: Data) -> [String]? { OpenAIAdapter(profile: profile).decodeModels(body) }
}
