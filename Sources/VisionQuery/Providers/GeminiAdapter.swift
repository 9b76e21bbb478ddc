import FoundationEssentials
import Imaging
import Platform
import TextFormatting
import Transport

/// Google's native Gemini API (`api = "gemini"`): `models/{model}:generateContent`, streamed as
/// `:streamGenerateContent?alt=sse` (each event a whole response, usage cumulative, no end marker); images
/// inline (the API cannot fetch URLs); returned images as `inlineData` parts. Does no I/O.
public struct GeminiAdapter: Provider {
    public let profile: Profile

    public init(profile: Profile) { self.profile = profile }

    /// Inline data caps the whole request at 20 MB (`max_request_bytes`: what is bigger goes through the Files API);
    /// images are tiled at 768 px, so 3072 px is plenty; up to 1,000 pages and 50 MB per document
    /// (document-processing guide); videos go whole (video-understanding guide).
    static let defaults = ProviderDefaults(
        imageURLs: .inline, maxSide: 3072, maxRequestBytes: 20_000_000, uploadsOverInlineCap: true, nativeMedia: [.image, .document, .video],
        videoRoutes: [.native],
        maxDocumentPages: 1000, maxDocumentBytes: 50_000_000)

    /// What a dry run shows as the `file_uri` of a medium that would be uploaded first.
    static let pendingUploadURI = "[uploaded first through the Files API]"

    /// `responseMimeType: application/json` with `responseSchema`.
    public var supportsSchema: Bool { true }

    /// The request as it is sent when nothing needs uploading; otherwise (a dry run) with each medium the route
    /// uploads named by a placeholder `file_uri` (the real exchange uploads first, see `GeminiUploadExchange`).
    public func makeRequest(_ query: Query, key: String?) throws(VQError) -> HTTPRequest {
        let route = try uploadRoute(query, key: key)
        var pending: [GeminiMediaSlot: GeminiFileReference] = [:]
        for upload in route.uploads { pending[upload.slot] = GeminiFileReference(uri: Self.pendingUploadURI, mimeType: upload.mimeType) }
        return try makeRequest(query, key: key, files: pending)
    }

    /// The request with the media in `files` named by their Files API URIs instead of sent inline.
    func makeRequest(_ query: Query, key: String?, files: [GeminiMediaSlot: GeminiFileReference]) throws(VQError) -> HTTPRequest {
        let (body, images) = try requestBody(query, files: files)
        let method = query.stream ? "streamGenerateContent?alt=sse" : "generateContent"
        let endpoint =
            profile.path.map { profile.endpointURL(model: query.model) + ($0.contains(":") ? "" : ":\(method)") }
            ?? url("/models/\(query.model):\(method)")
        var request = HTTPRequest.jsonPOST(endpoint, body: body, images: images, stream: query.stream)
        request.addAuthentication(key: key, profile: profile, defaultHeader: "x-goog-api-key")
        return request
    }

    /// The `GenerateContentRequest` body (Vertex AI takes the same), with a placeholder where each inline image's
    /// base64 goes.
    /// `files` names the media sent as Files API references (`file_data`) instead of inline bytes.
    func requestBody(
        _ query: Query, files: [GeminiMediaSlot: GeminiFileReference] = [:]
    ) throws(VQError) -> (body: [String: Any], images: [JSONBodyBuilder.InlineImage]) {
        var images: [JSONBodyBuilder.InlineImage] = []
        var contents: [[String: Any]] = []
        var system = query.system
        if let history = query.history {
            if let text = history.systemText { system = [system, text].compactMap { $0 }.joined(separator: "\n\n") }
            for (turnIndex, turn) in history.turns.enumerated() where turn.role == "user" || turn.role == "assistant" {
                var parts: [[String: Any]] = []
                for (partIndex, part) in turn.parts.enumerated() {
                    if let file = files[.history(turn: turnIndex, part: partIndex)] {
                        parts.append(Self.fileData(file))
                        continue
                    }
                    switch part {
                    case .text(let text): parts.append(["text": text])
                    case .inlineImage(let mime, let base64), .inlineDocument(let mime, let base64, _):
                        parts.append(["inline_data": ["mime_type": mime, "data": base64]])
                    case .imageURL(let url) where history.fromLog && LoggedVideo(url: url) != nil:
                        // A video an earlier turn sent whole (under the cap, else the route uploads it).
                        guard let video = LoggedVideo(url: url) else { continue }
                        let inline = JSONBodyBuilder.InlineImage(path: video.path, length: video.byteCount, index: images.count)
                        images.append(inline)
                        parts.append(["inline_data": ["mime_type": video.mimeType, "data": inline.placeholder]])
                    case .imageURL(let url):
                        throw VQError(
                            .badInput, "--messages: \(profile.name) (gemini) cannot fetch image URLs (\(url.prefix(80))); give the image as a data: URL")
                    }
                }
                contents.append(["role": turn.role == "assistant" ? "model" : "user", "parts": parts])
            }
        }
        var parts: [[String: Any]] = []
        for (index, part) in query.parts.enumerated() {
            if let caption = part.caption { parts.append(["text": caption]) }  // a video frame's time
            if let file = files[.part(index)] {
                var reference = Self.fileData(file)
                if case .video(_, let clip) = part.content { reference.merge(Self.videoMetadata(clip)) { $1 } }
                parts.append(reference)
                continue
            }
            switch part.content {
            case .image(let data, let info):
                let image = JSONBodyBuilder.InlineImage(data: data, index: images.count)
                images.append(image)
                parts.append(["inline_data": ["mime_type": info.format.mimeType, "data": image.placeholder]])
            case .remoteURL(let url):
                parts.append(["file_data": ["file_uri": url]])
            case .video(let info, let clip):
                // Base64-encoded from the file while sending (inline only under the cap; else the route uploads it).
                let video = JSONBodyBuilder.InlineImage(path: info.path, length: info.byteCount, index: images.count)
                images.append(video)
                var inline: [String: Any] = ["inline_data": ["mime_type": info.mimeType, "data": video.placeholder]]
                inline.merge(Self.videoMetadata(clip)) { $1 }
                parts.append(inline)
            case .document(let data, let info):
                let document = JSONBodyBuilder.InlineImage(data: data, index: images.count)
                images.append(document)
                parts.append(["inline_data": ["mime_type": info.mimeType, "data": document.placeholder]])
            }
        }
        if !query.prompt.isEmpty { parts.append(["text": query.prompt]) }
        if !parts.isEmpty { contents.append(["role": "user", "parts": parts]) }

        var body: [String: Any] = ["contents": contents]
        if let system { body["systemInstruction"] = ["parts": [["text": system]]] }
        var generation: [String: Any] = [:]
        if let temperature = query.temperature { generation["temperature"] = temperature }
        if let topP = query.topP { generation["topP"] = topP }
        if let maxTokens = query.maxTokens { generation["maxOutputTokens"] = maxTokens }
        if !query.stop.isEmpty { generation["stopSequences"] = query.stop }
        if let resolution = query.mediaResolution { generation["mediaResolution"] = resolution.geminiValue }
        if query.modalities.contains("image") { generation["responseModalities"] = query.modalities.map { $0.uppercased() } }
        if let wanted = query.generation {  // vq gen: images out, their shape in imageConfig
            if !query.modalities.contains("image") { generation["responseModalities"] = ["TEXT", "IMAGE"] }
            let (aspect, size, _) = ImageSizeChoice.gemini(wanted)
            var config: [String: Any] = [:]
            if let aspect { config["aspectRatio"] = aspect }
            if let size { config["imageSize"] = size }
            if !config.isEmpty { generation["imageConfig"] = config }
        }
        if let schema = query.schema {
            generation["responseMimeType"] = "application/json"
            generation["responseSchema"] = GeminiSchema.object(for: schema.root)
        }
        if !generation.isEmpty { body["generationConfig"] = generation }
        return (body, images)
    }

    /// A Files API reference: `{"file_data":{"mime_type":…,"file_uri":…}}`.
    static func fileData(_ file: GeminiFileReference) -> [String: Any] {
        ["file_data": ["mime_type": file.mimeType, "file_uri": file.uri]]
    }

    /// Which media go through the Files API, measured against `max_request_bytes`. The all-inline size is counted
    /// without reading any medium: the request with every medium as a reference, plus each one's inline length.
    func uploadRoute(_ query: Query, key: String?) throws(VQError) -> GeminiUploadRoute {
        let candidates = GeminiUploadRoute(query: query, inlineLength: 0, cap: nil).candidates
        var references: [GeminiMediaSlot: GeminiFileReference] = [:]
        var inlineLength = 0
        for candidate in candidates {
            let reference = GeminiFileReference(uri: Self.pendingUploadURI, mimeType: candidate.mimeType)
            references[candidate.slot] = reference
            inlineLength += JSONWriter.data(["inline_data": ["mime_type": candidate.mimeType, "data": ""]]).count + candidate.inlineLength
            inlineLength -= JSONWriter.data(Self.fileData(reference)).count
        }
        inlineLength += try makeRequest(query, key: key, files: references).bodyLength
        return GeminiUploadRoute(query: query, inlineLength: inlineLength, cap: profile.maxRequestBytes)
    }

    /// `video_metadata` for `--start`, `--end` and `--fps` (`start_offset`/`end_offset` as Duration strings, "12.5s").
    static func videoMetadata(_ clip: VideoClip) -> [String: Any] {
        var metadata: [String: Any] = [:]
        if let start = clip.start { metadata["start_offset"] = duration(start) }
        if let end = clip.end { metadata["end_offset"] = duration(end) }
        if let fps = clip.fps { metadata["fps"] = fps }
        return metadata.isEmpty ? [:] : ["video_metadata": metadata]
    }

    /// A protobuf Duration in JSON: seconds with up to three decimals and an `s` ("80s", "12.5s").
    static func duration(_ seconds: Double) -> String {
        var text = DecimalText.fixed(max(0, seconds), places: 3)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text + "s"
    }

    /// Large media go up through the Files API first (see `GeminiUploadExchange`); the rest is one request.
    public func exchange(_ query: Query, context: ExchangeContext, sink: AnswerSink) throws(VQError) -> QueryOutcome {
        let route = try uploadRoute(query, key: context.key)
        for line in route.notes { sink.debug("route: \(line)") }
        guard !route.uploads.isEmpty else { return try singleExchange(query, context: context, sink: sink) }
        return try GeminiUploadExchange(adapter: self, route: route, context: context).run(query, sink: sink)
    }

    /// The route of each medium (inline or uploaded), for `--dry-run`.
    public func routeNotes(_ query: Query) -> [String] {
        ((try? uploadRoute(query, key: nil))?.notes ?? []).map { "route: \($0)" }
    }

    public func uploadsFirst(_ query: Query) -> Bool { (try? uploadRoute(query, key: nil))?.uploads.isEmpty == false }

    /// A request over the inline cap is counted with its large media uploaded first, as it would be sent.
    public func countingTokens(
        _ query: Query, context: ExchangeContext, log: @escaping (String) -> Void, count: (HTTPRequest) throws(VQError) -> Int
    ) throws(VQError) -> Int? {
        let route = try uploadRoute(query, key: context.key)
        guard !route.uploads.isEmpty, profile.path == nil else {
            return try tokenCountRequest(query, key: context.key).map { (request) throws(VQError) in try count(request) }
        }
        return try GeminiUploadExchange(adapter: self, route: route, context: context).countTokens(query, log: log, count: count)
    }

    /// `generationConfig.mediaResolution`.
    public var readsMediaResolution: Bool { true }
    public var wholeVideoClipOptions: Set<String> { ["--start", "--end", "--fps"] }

    /// `responseModalities` with `imageConfig` (`aspectRatio`, `imageSize`); reference images go as parts.
    public var makesImages: Bool { true }

    public func generationNotes(_ query: Query) -> [String] { query.generation.map { ImageSizeChoice.gemini($0).notes } ?? [] }

    /// Each event is a whole `GenerateContentResponse`.
    public func decodeStreamEvent(_ event: SSEEvent) -> [StreamEvent] {
        guard let object = Self.object(Data(event.data.utf8)) else {
            return [.malformed("malformed stream event: \(event.data.prefix(120))")]
        }
        return decode(object)
    }

    public func decodeResponse(_ body: Data) -> [StreamEvent] {
        guard let object = Self.object(body) else {
            return [.serviceError("the response is not JSON: \(ServiceErrorSummary.excerpt(body))")]
        }
        let events = decode(object)
        return events.contains { if case .serviceError = $0 { true } else { false } } ? events : events + [.done]
    }

    /// Google sometimes wraps a response (or an error) in a one-element array.
    private static func object(_ data: Data) -> [String: Any]? {
        let value = try? JSONReader.value(data)
        return value as? [String: Any] ?? (value as? [Any])?.first as? [String: Any]
    }

    private func decode(_ object: [String: Any]) -> [StreamEvent] {
        if let error = object["error"], !(error is JSONNull) { return [.serviceError(Self.errorText(error))] }
        var events: [StreamEvent] = []
        if let model = object["modelVersion"] as? String, !model.isEmpty { events.append(.model(model)) }
        let candidates = object["candidates"] as? [[String: Any]] ?? []
        if candidates.isEmpty, let feedback = object["promptFeedback"] as? [String: Any], let reason = feedback["blockReason"] as? String {
            return [.serviceError("the prompt was blocked (\(reason))\((feedback["blockReasonMessage"] as? String).map { ": \($0)" } ?? "")")]
        }
        if let candidate = candidates.first {
            let content = candidate["content"] as? [String: Any] ?? [:]
            for part in content["parts"] as? [[String: Any]] ?? [] where (part["thought"] as? Bool) != true {
                if let text = part["text"] as? String, !text.isEmpty { events.append(.text(text)) }
                if let inline = (part["inlineData"] ?? part["inline_data"]) as? [String: Any], let data = inline["data"] as? String {
                    let mime = (inline["mimeType"] ?? inline["mime_type"]) as? String
                    events.append(ReturnedImageDecoder.event(base64: data, mimeHint: mime, sourceURL: nil))
                }
            }
            if let reason = candidate["finishReason"] as? String {
                if ["SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY"].contains(reason)
                    && events.allSatisfy({ if case .model = $0 { true } else { false } })
                {
                    return [.serviceError("the answer was blocked (finish reason \(reason))")]
                }
                events.append(.finish(reason: reason == "MAX_TOKENS" ? "length" : reason.lowercased()))
            }
        }
        if let usage = object["usageMetadata"] as? [String: Any] {
            // Thinking tokens are billed as output and counted in the total, as OpenAI's completion_tokens count them.
            let answer = usage["candidatesTokenCount"] as? Int
            let thoughts = usage["thoughtsTokenCount"] as? Int
            events.append(
                .usage(
                    Usage(
                        promptTokens: usage["promptTokenCount"] as? Int,
                        completionTokens: thoughts.map { ($0) + (answer ?? 0) } ?? answer,
                        totalTokens: usage["totalTokenCount"] as? Int,
                        cachedPromptTokens: usage["cachedContentTokenCount"] as? Int)))
        }
        return events
    }

    /// "message (STATUS)" from Google's error object.
    static func errorText(_ error: Any) -> String {
        guard let object = error as? [String: Any] else { return ServiceErrorSummary.message(fromErrorValue: error) }
        var text = object["message"] as? String ?? "unknown error"
        if let status = object["status"] as? String, !text.contains(status) { text += " (\(status))" }
        return ServiceErrorSummary.oneLine(text, limit: 400)
    }

    /// Google answers a bad key with 400 INVALID_ARGUMENT and reason API_KEY_INVALID: that is a key problem (77).
    public func failure(status: Int, body: Data, headers: [String: String]) -> VQError {
        let error = Self.object(body)?["error"]
        let reasons = ((error as? [String: Any])?["details"] as? [[String: Any]] ?? []).compactMap { $0["reason"] as? String }
        let keyRejected = reasons.contains("API_KEY_INVALID")
        return ServiceErrorSummary.error(
            status: keyRejected ? 401 : status, body: body, contentType: headers["content-type"],
            profile: profile, headers: headers, detail: error.map(Self.errorText),
            demandedWait: demandedWait(errorBody: body), shownStatus: status)
    }

    /// `RetryInfo.retryDelay` ("38s") in a 429's details.
    public func demandedWait(errorBody: Data) -> Double? {
        guard let error = Self.object(errorBody)?["error"] as? [String: Any] else { return nil }
        for detail in error["details"] as? [[String: Any]] ?? [] {
            if let delay = detail["retryDelay"] as? String, delay.hasSuffix("s"), let seconds = Double(delay.dropLast()) { return seconds }
        }
        return nil
    }

    public func ignoredOptions(_ query: Query) -> [String] {
        (query.detail != nil ? ["--detail"] : []) + (query.generation.map(ChatImageOutput.ignoredOptions) ?? [])
    }

    public func imageTokens(width: Int, height: Int, query: Query) -> Int? {
        ImageTokenEstimator.estimate(model: query.model, api: .gemini, width: width, height: height, detail: query.detail)
    }

    /// Per second of the clip: its frames (`--fps`, default 1) at 258 tokens each (66 at `--media-resolution low`)
    /// plus 32 tokens of audio (the video-understanding and media-resolution guides).
    public func videoTokens(_ video: VideoInfo, clip: VideoClip, query: Query) -> Int? {
        let end = min(clip.end ?? video.duration, video.duration)
        let seconds = max(0, end - (clip.start ?? 0))
        let frames = max(1, Int((seconds * (clip.fps ?? 1)).rounded(.up)))
        let perFrame = query.mediaResolution == .low ? 66 : 258
        return frames * perFrame + Int((seconds * 32).rounded(.up))
    }

    /// 258 tokens per page (the document-processing guide: each page is tokenised as one image).
    public func documentTokens(_ document: DocumentInfo, query: Query) -> Int? { 258 * document.pageCount }

    public func modelsRequest(key: String?) -> HTTPRequest? {
        var request = HTTPRequest(method: "GET", url: url("/models?pageSize=1000"), headers: [("Accept", "application/json")])
        request.addAuthentication(key: key, profile: profile, defaultHeader: "x-goog-api-key")
        return request
    }

    public func decodeModels(_ body: Data) -> [String]? {
        (JSONValue.object(from: body)?["models"] as? [[String: Any]])?.compactMap { model in
            (model["name"] as? String).map { $0.hasPrefix("models/") ? String($0.dropFirst(7)) : $0 }
        }
    }

    /// `POST models/{model}:countTokens` with the whole `generateContentRequest`, so the system prompt counts too.
    public func tokenCountRequest(_ query: Query, key: String?) throws(VQError) -> HTTPRequest? {
        guard profile.path == nil else { return nil }
        return try tokenCountRequest(query, key: key, files: [:])
    }

    /// The counting request with the media in `files` named by their uploads.
    func tokenCountRequest(_ query: Query, key: String?, files: [GeminiMediaSlot: GeminiFileReference]) throws(VQError) -> HTTPRequest {
        var (body, images) = try requestBody(query, files: files)
        body["model"] = "models/\(query.model)"
        var request = HTTPRequest.jsonPOST(
            url("/models/\(query.model):countTokens"), body: ["generateContentRequest": body], images: images, stream: false)
        request.addAuthentication(key: key, profile: profile, defaultHeader: "x-goog-api-key")
        return request
    }

    public func decodeTokenCount(_ body: Data) -> Int? { JSONValue.object(from: body)?["totalTokens"] as? Int }
}
