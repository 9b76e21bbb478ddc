import FoundationEssentials
import Imaging
import Transport

/// OpenAI's Images API, spoken by `api = "openai"` profiles with `images = true` for `vq gen`: `POST /images/generations`
/// (JSON) without input images, `POST /images/edits` (multipart/form-data: `image[]`, `mask`) with them; answers
/// carry `data[].b64_json` or `data[].url` and `revised_prompt`, and `usage`; with `stream` and `partial_images`
/// typed SSE events (`image_generation.partial_image`, `….completed`, `image_edit.*`). Does no I/O.
enum OpenAIImagesAPI {
    /// The two endpoints, relative to `base_url`.
    static let endpoints = ["/images/generations", "/images/edits"]

    /// The request for a generation or an edit; `url` makes the endpoint's URL from `/images/generations` or
    /// `/images/edits`. `sendsModel` is false where the URL names the model (an Azure deployment).
    static func request(
        _ query: Query, generation: ImageGeneration, sendsModel: Bool = true, url: (String) -> String
    ) throws(VQError)
        -> HTTPRequest
    {
        // dall-e-3 answers n > 1 with HTTP 400: refused before anything is sent.
        if query.model.lowercased().hasPrefix("dall-e-3"), let count = generation.count, count > 1 {
            throw VQError(.usage, "\(query.model) makes one image a request (asked for \(count)); use -n 1, or give the prompt several times with --prompts")
        }
        let fields = self.fields(query, generation: generation).filter { sendsModel || $0.0 != "model" }
        let streams = query.stream && generation.partialImages != nil
        let accept = ("Accept", streams ? "text/event-stream" : "application/json")
        guard !query.parts.isEmpty else {
            let body = Dictionary(fields.map { ($0.0, $0.1) }, uniquingKeysWith: { _, last in last })
            return HTTPRequest.jsonPOST(url("/images/generations"), body: body, images: [], stream: streams)
        }
        var form = MultipartForm()
        for (name, value) in fields {
            form.add(name: name, value: value as? String ?? (value as? Bool).map { $0 ? "true" : "false" } ?? "\(value)")
        }
        // gpt-image models take up to 16 images as `image[]`; dall-e-2 takes one `image`.
        let dallE = query.model.lowercased().hasPrefix("dall-e")
        let limit = dallE ? 1 : query.model.lowercased().hasPrefix("gpt-image") ? 16 : nil
        if let limit, query.parts.count > limit {
            throw VQError(.badInput, "\(query.model) edits at most \(limit) image\(limit == 1 ? "" : "s") at once (got \(query.parts.count))")
        }
        if query.jsonBodyOnly { return try jsonEdit(query, fields: fields, url: url("/images/edits"), stream: streams) }
        let imageField = dallE ? "image" : "image[]"
        for (index, part) in query.parts.enumerated() {
            guard case .image(let data, let info) = part.content else {
                throw VQError(.badInput, "\(part.name): the Images API edits image files only (not URLs or documents)")
            }
            form.add(name: imageField, fileName: "image-\(index + 1).\(info.format.fileExtension)", mimeType: info.format.mimeType, data: data)
        }
        if let mask = query.mask { form.add(name: "mask", fileName: "mask.png", mimeType: "image/png", data: mask) }
        return HTTPRequest(method: "POST", url: url("/images/edits"), headers: [("Content-Type", form.contentType), accept], body: form.body)
    }

    /// An edit as one JSON document (a line of a provider batch, whose body is JSON): the images and the mask as
    /// data-URL references (`images: [{"image_url"}]`, `mask: {"image_url"}`), the form OpenAI's spec gives GPT image
    /// models; dall-e edits are multipart only, so they are refused before anything is written.
    private static func jsonEdit(_ query: Query, fields: [(String, Any)], url: String, stream: Bool) throws(VQError) -> HTTPRequest {
        if let refusal = jsonEditRefusal(model: query.model) { throw refusal }
        var inline: [JSONBodyBuilder.InlineImage] = []
        var images: [[String: Any]] = []
        for part in query.parts {
            guard case .image(let data, let info) = part.content else {
                throw VQError(.badInput, "\(part.name): the Images API edits image files only (not URLs or documents)")
            }
            let image = JSONBodyBuilder.InlineImage(data: data, index: inline.count)
            inline.append(image)
            images.append(["image_url": "data:\(info.format.mimeType);base64,\(image.placeholder)"])
        }
        var body = Dictionary(fields.map { ($0.0, $0.1) }, uniquingKeysWith: { _, last in last })
        body["images"] = images
        if let mask = query.mask {  // written after `images` (keys are sorted), as the placeholders' order needs
            let image = JSONBodyBuilder.InlineImage(data: mask, index: inline.count)
            inline.append(image)
            body["mask"] = ["image_url": "data:image/png;base64,\(image.placeholder)"]
        }
        return HTTPRequest.jsonPOST(url, body: body, images: inline, stream: stream)
    }

    /// Why `model` cannot edit in the JSON form (dall-e edits are multipart/form-data only); nil when it can.
    static func jsonEditRefusal(model: String) -> VQError? {
        guard model.lowercased().hasPrefix("dall-e") else { return nil }
        return VQError(
            .usage,
            "\(model) edits images through multipart/form-data only, which a provider batch cannot carry; use a gpt-image model or leave out --provider-batch")
    }

    /// The fields both endpoints share, in a stable order (the JSON body and the form fields).
    static func fields(_ query: Query, generation: ImageGeneration) -> [(String, Any)] {
        let isEdit = !query.parts.isEmpty
        let dallE = query.model.lowercased().hasPrefix("dall-e")
        var fields: [(String, Any)] = []
        if !query.model.isEmpty { fields.append(("model", query.model)) }
        fields.append(("prompt", query.prompt))
        if let count = generation.count { fields.append(("n", count)) }
        if let size = ImageSizeChoice.openAISize(generation, model: query.model) { fields.append(("size", size.value)) }
        if let quality = generation.quality { fields.append(("quality", quality)) }
        if dallE {
            fields.append(("response_format", "b64_json"))  // dall-e answers with a URL unless asked
        } else {
            if let background = generation.background { fields.append(("background", background)) }
            if let format = generation.format { fields.append(("output_format", format)) }
            if let compression = generation.compression { fields.append(("output_compression", compression)) }
            if let moderation = generation.moderation, !isEdit { fields.append(("moderation", moderation)) }
            if let fidelity = generation.inputFidelity, isEdit { fields.append(("input_fidelity", fidelity)) }
            if query.stream, let partial = generation.partialImages {
                fields.append(("stream", true))
                fields.append(("partial_images", partial))
            }
        }
        return fields
    }

    /// Options this endpoint has no field for, as written on the command line: dall-e has none of gpt-image's
    /// output options; moderation is for generations, fidelity and the mask for edits; partial images need a stream.
    static func ignoredOptions(_ query: Query, generation: ImageGeneration) -> [String] {
        var supported = Set(ImageGeneration.Option.allCases)
        if query.model.lowercased().hasPrefix("dall-e") { supported.subtract([.background, .format, .compression, .moderation, .fidelity, .partialImages]) }
        supported.subtract(query.parts.isEmpty ? [.fidelity, .mask] : [.moderation])
        if !query.stream { supported.remove(.partialImages) }
        return generation.ignored(supporting: supported)
    }

    /// A whole answer: `{"data": [{"b64_json" | "url", "revised_prompt"}], "usage": {…}}`; nil when the body is not one.
    static func decodeResponse(_ object: [String: Any]) -> [StreamEvent]? {
        guard let items = object["data"] as? [[String: Any]], object["choices"] == nil else { return nil }
        var events: [StreamEvent] = []
        for item in items { events += imageEvents(item) }
        if let usage = usage(object["usage"]) { events.append(.usage(usage)) }
        events.append(.done)
        return events
    }

    /// One streamed event; nil when it is not an Images API event.
    static func decodeStreamEvent(_ event: SSEEvent, object: [String: Any]) -> [StreamEvent]? {
        let type = (object["type"] as? String) ?? event.event ?? ""
        guard type.hasPrefix("image_generation.") || type.hasPrefix("image_edit.") else { return nil }
        if type.hasSuffix(".partial_image") { return [.partialImage(index: object["partial_image_index"] as? Int ?? 0)] }
        guard type.hasSuffix(".completed") else { return [] }
        var events = imageEvents(object)
        if let usage = usage(object["usage"]) { events.append(.usage(usage)) }
        events.append(.done)
        return events
    }

    /// The revised prompt (first, so the image's provenance has it) and the image of one `data` item or completed event.
    static func imageEvents(_ item: [String: Any]) -> [StreamEvent] {
        var events: [StreamEvent] = []
        if let revised = item["revised_prompt"] as? String, !revised.isEmpty { events.append(.revisedPrompt(revised)) }
        if let base64 = item["b64_json"] as? String, !base64.isEmpty {
            events.append(ReturnedImageDecoder.event(base64: base64, mimeHint: nil, sourceURL: nil))
        } else if let url = item["url"] as? String, !url.isEmpty {
            events.append(.image(.link(url)))
        }
        return events
    }

    /// `usage: {input_tokens, output_tokens, total_tokens}`.
    static func usage(_ value: Any?) -> Usage? {
        guard let object = value as? [String: Any] else { return nil }
        let usage = Usage(
            promptTokens: object["input_tokens"] as? Int, completionTokens: object["output_tokens"] as? Int, totalTokens: object["total_tokens"] as? Int)
        return usage == Usage() ? nil : usage
    }

    /// A prompt the safety system rejected (HTTP 400, code `moderation_blocked` or `content_policy_violation`):
    /// a refusal with its own exit code; nil for other errors.
    static func refusal(status: Int, body: Data, profile: String) -> VQError? {
        guard let error = JSONValue.object(from: body)?["error"] as? [String: Any],
            let code = error["code"] as? String, ["moderation_blocked", "content_policy_violation"].contains(code)
        else { return nil }
        let message = ServiceErrorSummary.oneLine(error["message"] as? String ?? "the prompt was rejected", limit: 200)
        var refusal = VQError(.refused, "HTTP \(status) from \(profile): the safety system refused the prompt (\(code)): \(message)")
        refusal.httpStatus = status
        return refusal
    }
}
