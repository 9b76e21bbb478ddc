import FoundationEssentials
import Platform
import Transport

/// Ollama's native API (`api = "ollama"`): `POST /api/chat`, NDJSON stream by default, images as raw base64 in
/// `messages[].images` (it cannot fetch URLs), sampling in `options`, eval counts as usage. Does no I/O.
public struct OllamaAdapter: Provider {
    public let profile: Profile

    public init(profile: Profile) { self.profile = profile }

    /// LLaVA 1.6 sees at most 1344 px; larger images only cost upload and encode time.
    static let defaults = ProviderDefaults(imageURLs: .inline, maxSide: 1344)

    public var framing: StreamFraming { .ndjson }

    /// `format` takes a JSON Schema.
    public var supportsSchema: Bool { true }

    public func makeRequest(_ query: Query, key: String?) throws(VQError) -> HTTPRequest {
        var images: [JSONBodyBuilder.InlineImage] = []
        var messages: [[String: Any]] = []
        if let system = query.system { messages.append(["role": "system", "content": system]) }
        for turn in query.history?.turns ?? [] {
            var message: [String: Any] = ["role": turn.role == "developer" ? "system" : turn.role, "content": turn.text]
            var turnImages: [String] = []
            for part in turn.parts {
                switch part {
                case .text: break
                case .inlineImage(_, let base64): turnImages.append(base64)
                case .inlineDocument: preconditionFailure("the engine renders the pages of earlier PDFs for ollama")
                case .imageURL(let url):
                    throw VQError(.badInput, "--messages: \(profile.name) (ollama) cannot fetch image URLs (\(url.prefix(80))); give the image as a data: URL")
                }
            }
            if !turnImages.isEmpty { message["images"] = turnImages }
            messages.append(message)
        }
        if !query.prompt.isEmpty || !query.parts.isEmpty {
            var message: [String: Any] = ["role": "user", "content": query.prompt]
            // Images go in a list beside the text, so video frames' times are said in the text, in the images' order.
            if query.parts.contains(where: { $0.caption != nil }) {
                let order = query.parts.map { $0.caption ?? $0.name }.joined(separator: "; ")
                message["content"] = query.prompt + "\n\n(The images, in order: \(order).)"
            }
            var placeholders: [String] = []
            for part in query.parts {
                guard case .image(let data, _) = part.content else {
                    // The engine inlines image URLs (image_urls = inline) and renders documents for ollama.
                    preconditionFailure("ollama takes inline images only; \(part.name) reached the adapter as \(part.medium)")
                }
                let image = JSONBodyBuilder.InlineImage(data: data, index: images.count)
                images.append(image)
                placeholders.append(image.placeholder)
            }
            if !placeholders.isEmpty { message["images"] = placeholders }
            messages.append(message)
        }
        var body: [String: Any] = ["model": query.model, "messages": messages, "stream": query.stream]
        var options: [String: Any] = [:]
        if let temperature = query.temperature { options["temperature"] = temperature }
        if let topP = query.topP { options["top_p"] = topP }
        if let maxTokens = query.maxTokens { options["num_predict"] = maxTokens }
        if !query.stop.isEmpty { options["stop"] = query.stop }
        if !options.isEmpty { body["options"] = options }
        if let schema = query.schema { body["format"] = schema.wireObject }

        var request = HTTPRequest(
            method: "POST", url: profile.path.map { _ in profile.endpointURL(model: query.model) } ?? url("/api/chat"),
            headers: [
                ("Content-Type", "application/json"),
                ("Accept", query.stream ? "application/x-ndjson" : "application/json"),
            ], body: JSONBodyBuilder.parts(for: body, images: images))
        request.addAuthentication(key: key, profile: profile, defaultHeader: nil)
        return request
    }

    /// One NDJSON line: a `message.content` delta, the final `done: true` line, or `{"error": …}`.
    public func decodeStreamEvent(_ event: SSEEvent) -> [StreamEvent] {
        guard let object = JSONValue.object(from: Data(event.data.utf8)) else {
            return [.malformed("malformed stream line: \(event.data.prefix(120))")]
        }
        return decode(object)
    }

    /// A whole answer; a body that is NDJSON after all (a proxy that relabels it) is read line by line.
    public func decodeResponse(_ body: Data) -> [StreamEvent] {
        if let object = JSONValue.object(from: body) { return decode(object) }
        var framer = NDJSONFramer()
        var lines = framer.feed(body)
        if let last = framer.finish() { lines.append(last) }
        let objects = lines.compactMap { JSONValue.object(from: $0) }
        guard !objects.isEmpty, objects.count == lines.count else {
            return [.serviceError("the response is not JSON: \(ServiceErrorSummary.excerpt(body))")]
        }
        return objects.flatMap(decode)
    }

    private func decode(_ object: [String: Any]) -> [StreamEvent] {
        if let error = object["error"], !(error is JSONNull) { return [.serviceError(ServiceErrorSummary.message(fromErrorValue: error))] }
        var events: [StreamEvent] = []
        if let model = object["model"] as? String, !model.isEmpty { events.append(.model(model)) }
        if let message = object["message"] as? [String: Any] {
            if let text = message["content"] as? String, !text.isEmpty { events.append(.text(text)) }
            for base64 in message["images"] as? [String] ?? [] {
                events.append(ReturnedImageDecoder.event(base64: base64, mimeHint: nil, sourceURL: nil))
            }
        }
        if object["done"] as? Bool == true {
            events.append(.finish(reason: object["done_reason"] as? String ?? "stop"))
            let prompt = object["prompt_eval_count"] as? Int
            let output = object["eval_count"] as? Int
            if prompt != nil || output != nil {
                events.append(
                    .usage(
                        Usage(
                            promptTokens: prompt, completionTokens: output,
                            totalTokens: prompt.flatMap { p in output.map { p + $0 } })))
            }
            events.append(.done)
        }
        return events
    }

    /// 404 means the model is not pulled: say how to get it.
    public func failure(status: Int, body: Data, headers: [String: String]) -> VQError {
        let error = ServiceErrorSummary.error(status: status, body: body, contentType: headers["content-type"], profile: profile, headers: headers)
        guard status == 404, ServiceErrorSummary.message(fromBody: body, contentType: headers["content-type"]).lowercased().contains("not found") else {
            return error
        }
        return VQError(
            .config,
            "HTTP 404 from \(profile.name): \(ServiceErrorSummary.message(fromBody: body, contentType: headers["content-type"])) (run: ollama pull \(profile.model ?? "MODEL"))"
        )
    }

    public func ignoredOptions(_ query: Query) -> [String] { query.detail != nil ? ["--detail"] : [] }

    public var connectionHint: String? { "is Ollama running? start it with: ollama serve" }

    /// Ollama publishes no image token formula.
    public func imageTokens(width: Int, height: Int, query: Query) -> Int? { nil }

    public func modelsRequest(key: String?) -> HTTPRequest? { authorizedGET("/api/tags", key: key) }

    public func decodeModels(_ body: Data) -> [String]? {
        (JSONValue.object(from: body)?["models"] as? [[String: Any]])?.compactMap { ($0["name"] ?? $0["model"]) as? String }
    }
}
