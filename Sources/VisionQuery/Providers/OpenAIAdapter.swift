import FoundationEssentials
import Imaging
import Platform
import TextFormatting
import Transport

/// OpenAI chat-completions wire format (`api = "openai"`), spoken by most gateways: builds the request, decodes
/// stream chunks and whole responses. Does no I/O.
public struct OpenAIAdapter: Provider {
    public let profile: Profile

    public init(profile: Profile) { self.profile = profile }

    /// Images OpenAI-style services take: they fetch URLs themselves; sizes per OpenAI's vision guide.
    /// File parts (PDF only) per the file-inputs guide; 100 pages and 32 MB per request as commonly quoted. A
    /// profile of a vLLM or Qwen-VL server may send videos whole as `video_url` parts (`video = "video_url"`).
    static let defaults = ProviderDefaults(
        imageURLs: .pass, maxSide: 2048, nativeMedia: [.image, .document], videoRoutes: [.videoURL], maxDocumentPages: 100,
        maxDocumentBytes: 32_000_000)

    /// A path without `{model}` names the model itself (Segmind's `/qwen2-vl-72b-instruct`).
    public func requiresModel() -> Bool { profile.path?.contains("{model}") ?? true }

    /// Builds the HTTP request; inline images become streamed base64 body parts, never one big string.
    public func makeRequest(_ query: Query, key: String?) throws(VQError) -> HTTPRequest {
        if let generation = query.generation, profile.imagesAPI {
            var request = try OpenAIImagesAPI.request(query, generation: generation, url: url)
            request.addAuthentication(key: key, profile: profile, defaultHeader: nil)
            return request
        }
        let (body, images) = requestBody(query)
        var request = HTTPRequest(
            method: "POST", url: profile.endpointURL(model: query.model),
            headers: [
                ("Content-Type", "application/json"),
                ("Accept", query.stream ? "text/event-stream" : "application/json"),
            ], body: JSONBodyBuilder.parts(for: body, images: images))
        request.addAuthentication(key: key, profile: profile, defaultHeader: nil)
        return request
    }

    /// The Images API with `images = true`, else image output through `modalities`.
    public var makesImages: Bool { true }

    /// `vq gen` options the Images API (or, without `images = true`, the chat endpoint) has no field for.
    public func ignoredOptions(_ query: Query) -> [String] {
        guard let generation = query.generation else { return [] }
        if profile.imagesAPI { return OpenAIImagesAPI.ignoredOptions(query, generation: generation) }
        return ChatImageOutput.ignoredOptions(generation)
    }

    public func generationNotes(_ query: Query) -> [String] {
        guard let generation = query.generation else { return [] }
        if profile.imagesAPI { return ImageSizeChoice.openAISize(generation, model: query.model)?.note.map { [$0] } ?? [] }
        return ImageSizeChoice.gemini(generation).notes
    }

    /// A prompt the Images API's safety system rejected is a refusal (exit 80).
    public func failure(status: Int, body: Data, headers: [String: String]) -> VQError {
        OpenAIImagesAPI.refusal(status: status, body: body, profile: profile.name)
            ?? ServiceErrorSummary.error(
                status: status, body: body, contentType: headers["content-type"], profile: profile, headers: headers, demandedWait: nil)
    }

    public func imageTokens(width: Int, height: Int, query: Query) -> Int? {
        ImageTokenEstimator.estimate(model: query.model, api: .openai, width: width, height: height, detail: query.detail)
    }

    /// The file-inputs guide: the extracted text and an image of each page; the pages' images are counted (the text
    /// is not known before sending).
    public func documentTokens(_ document: DocumentInfo, query: Query) -> Int? { pageImageTokens(document, query: query) }

    public func modelsRequest(key: String?) -> HTTPRequest? { authorizedGET("/models", key: key) }

    /// `response_format: {type: json_schema, …}`.
    public var supportsSchema: Bool { true }

    public func decodeModels(_ body: Data) -> [String]? {
        (JSONValue.object(from: body)?["data"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
    }

    /// The JSON object of the request, with a placeholder where each inline image's base64 goes.
    func requestBody(_ query: Query) -> (body: [String: Any], images: [JSONBodyBuilder.InlineImage]) {
        var images: [JSONBodyBuilder.InlineImage] = []
        var content: [[String: Any]] = [["type": "text", "text": query.prompt]]
        for part in query.parts {
            if let caption = part.caption { content.append(["type": "text", "text": caption]) }  // a video frame's time
            let url: String
            switch part.content {
            case .remoteURL(let remote):
                url = remote
            case .video(let info, _):
                // `video = "video_url"` (vLLM, Qwen-VL servers): the whole file as a data URL, read while sending.
                let video = JSONBodyBuilder.InlineImage(path: info.path, length: info.byteCount, index: images.count)
                images.append(video)
                content.append(["type": "video_url", "video_url": ["url": "data:\(info.mimeType);base64,\(video.placeholder)"]])
                continue
            case .document(let data, let info):
                let document = JSONBodyBuilder.InlineImage(data: data, index: images.count)
                images.append(document)
                content.append(["type": "file", "file": ["filename": info.fileName, "file_data": "data:\(info.mimeType);base64,\(document.placeholder)"]])
                continue
            case .image(let data, let info):
                let image = JSONBodyBuilder.InlineImage(data: data, index: images.count)
                images.append(image)
                url = "data:\(info.format.mimeType);base64,\(image.placeholder)"
            }
            var imageURL: [String: Any] = ["url": url]
            if let detail = query.detail { imageURL["detail"] = detail.rawValue }
            content.append(["type": "image_url", "image_url": imageURL])
        }
        var messages: [[String: Any]] = []
        if let system = query.system { messages.append(["role": "system", "content": system]) }
        if let history = query.history { messages += history.messages }
        // With --messages and no PROMPT, the conversation is sent as it is.
        if !query.prompt.isEmpty || !query.parts.isEmpty { messages.append(["role": "user", "content": content]) }

        var body: [String: Any] = ["messages": messages, "stream": query.stream]
        if !query.model.isEmpty { body["model"] = query.model }
        if query.stream && profile.streamUsage { body["stream_options"] = ["include_usage": true] }
        if let temperature = query.temperature { body["temperature"] = temperature }
        if let topP = query.topP { body["top_p"] = topP }
        if let maxTokens = query.maxTokens { body[profile.maxTokensField] = maxTokens }
        if !query.stop.isEmpty { body["stop"] = query.stop }
        if !query.modalities.isEmpty { body["modalities"] = query.modalities }
        if let generation = query.generation { ChatImageOutput.apply(generation, modalities: query.modalities, to: &body) }
        if let schema = query.schema {  // structured output: strict when the schema allows it
            body["response_format"] = [
                "type": "json_schema", "json_schema": ["name": AnswerSchema.name, "schema": schema.wireObject, "strict": schema.root.isStrictCompatible],
            ]
        }
        return (body, images)
    }

    /// Decodes one SSE event of a streamed answer: the common chunk shape by `OpenAIChunkScanner`, anything else in full.
    public func decodeStreamEvent(_ event: SSEEvent) -> [StreamEvent] {
        OpenAIChunkScanner.events(in: event.data) ?? decodeStreamEventFully(event)
    }

    /// Decodes one SSE event by parsing its whole JSON object (the general decoder the fast path must agree with).
    public func decodeStreamEventFully(_ event: SSEEvent) -> [StreamEvent] {
        let data = event.data
        if data.trimmingWhitespace() == "[DONE]" { return [.done] }
        guard let object = JSONValue.object(from: Data(data.utf8)) else {
            return [.malformed("malformed stream event: \(data.prefix(120))")]
        }
        if let error = object["error"] { return [.serviceError(ServiceErrorSummary.message(fromErrorValue: error))] }
        if let images = OpenAIImagesAPI.decodeStreamEvent(event, object: object) { return images }
        var events: [StreamEvent] = []
        if let model = object["model"] as? String, !model.isEmpty { events.append(.model(model)) }
        for choice in object["choices"] as? [[String: Any]] ?? [] where (choice["index"] as? Int ?? 0) == 0 {
            if let delta = choice["delta"] as? [String: Any] {
                // Streamed text comes in `content`; `multi_mod_content` items are read for their images only.
                if let text = Self.text(of: delta["content"]), !text.isEmpty { events.append(.text(text)) }
                events += ReturnedImageDecoder.events(in: delta)
            }
            // Some gateways repeat the whole message in the last chunk: only its images count (deduped by URL later).
            if let message = choice["message"] as? [String: Any] { events += ReturnedImageDecoder.events(in: message) }
            if let reason = choice["finish_reason"] as? String { events.append(.finish(reason: reason)) }
        }
        if let usage = Self.usage(object["usage"]) { events.append(.usage(usage)) }
        return events
    }

    /// Decodes a whole (non-streamed) response body.
    public func decodeResponse(_ body: Data) -> [StreamEvent] {
        guard let object = JSONValue.object(from: body) else {
            return [.serviceError("the response is not JSON: \(ServiceErrorSummary.excerpt(body))")]
        }
        if let error = object["error"], !(error is JSONNull) {
            return [.serviceError(ServiceErrorSummary.message(fromErrorValue: error))]
        }
        if let images = OpenAIImagesAPI.decodeResponse(object) { return images }
        guard let choices = object["choices"] as? [[String: Any]] else {
            return [.serviceError("the response has no choices: \(ServiceErrorSummary.excerpt(body))")]
        }
        var events: [StreamEvent] = []
        if let model = object["model"] as? String, !model.isEmpty { events.append(.model(model)) }
        if let choice = choices.first {
            let message = choice["message"] as? [String: Any] ?? [:]
            if let text = Self.text(of: message["content"]), !text.isEmpty {
                events.append(.text(text))
            } else {  // AiHubMix: the text may be only in `multi_mod_content` items
                let text = ReturnedImageDecoder.multiModText(in: message)
                if !text.isEmpty { events.append(.text(text)) }
            }
            events += ReturnedImageDecoder.events(in: message)
            if let reason = choice["finish_reason"] as? String { events.append(.finish(reason: reason)) }
        }
        if let usage = Self.usage(object["usage"]) { events.append(.usage(usage)) }
        events.append(.done)
        return events
    }

    /// Message content is a string, or (some gateways) an array of `{type:"text", text}` parts.
    static func text(of content: Any?) -> String? {
        if let text = content as? String { return text }
        if let parts = content as? [[String: Any]] {
            return parts.compactMap { $0["text"] as? String }.joined()
        }
        return nil
    }

    static func usage(_ value: Any?) -> Usage? {
        guard let object = value as? [String: Any] else { return nil }
        let usage = Usage(
            promptTokens: object["prompt_tokens"] as? Int,
            completionTokens: object["completion_tokens"] as? Int,
            totalTokens: object["total_tokens"] as? Int,
            cachedPromptTokens: (object["prompt_tokens_details"] as? [String: Any])?["cached_tokens"] as? Int)
        return usage == Usage() ? nil : usage
    }
}
