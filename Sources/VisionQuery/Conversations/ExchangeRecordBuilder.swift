import FoundationEssentials
import History
import Imaging
import Platform
import Transport

/// Turns a query and what came of it into the log's `HistoryExchange`: the prepared image bytes that were sent, the
/// options, the answer as printed. Credentials never reach it: no headers are kept and image URLs are redacted.
enum ExchangeRecordBuilder {
    static func exchange(
        query: Query, profile: Profile, conversationID: Int?, started: Date, outcome: QueryOutcome?,
        answer: String, savedImages: [String], error: VQError?, duration: Double
    ) -> HistoryExchange {
        HistoryExchange(
            conversationID: conversationID, time: started, profile: profile.name, api: profile.api.rawValue,
            model: query.model.isEmpty ? nil : query.model, system: query.system, prompt: query.prompt,
            options: options(query, revisedPrompts: outcome?.revisedPrompts ?? [], keptUploads: outcome?.keptUploads ?? [:]), images: query.parts.map(image),
            answer: answer, savedImages: savedImages,
            promptTokens: outcome?.usage?.promptTokens, completionTokens: outcome?.usage?.completionTokens,
            totalTokens: outcome?.usage?.totalTokens, cachedTokens: outcome?.usage?.cachedPromptTokens, costUSD: outcome?.cost?.usd,
            costPrices: outcome?.cost?.pricesText, finishReason: outcome?.finishReason, duration: duration,
            error: error?.message)
    }

    static func image(_ part: InputPart) -> HistoryImage {
        // A video frame is logged under its name with its time ("clip.mp4@01:24.5").
        let source = URLRedactor.redact(part.frameTime != nil ? part.name : part.source)
        switch part.content {
        case .image(let data, let info):
            return unhashed(source: source, mimeType: info.format.mimeType, width: info.width, height: info.height, bytes: data)
        case .remoteURL(let url):
            return HistoryImage(source: source, content: .url(URLRedactor.redact(url)))
        case .document(let data, let info):
            // Stored like an image (once, by its hash); a page count stands where an image has its size.
            return unhashed(source: source, mimeType: info.mimeType, width: info.pageCount, height: 0, bytes: data)
        case .video(let info, _):
            // A video sent whole stays in its file (it may be gigabytes): the log keeps where it was.
            return HistoryImage(source: source, content: .url(URL(fileURLWithPath: info.path).absoluteString))
        }
    }

    /// Inline bytes without their SHA-256: the store hashes them when it writes them, so a run that does not log
    /// (`--no-log`, a chat turn kept only as history) never pays for hashing the image (about 0.1 ms per 230 KB).
    private static func unhashed(source: String, mimeType: String, width: Int, height: Int, bytes: Data) -> HistoryImage {
        HistoryImage(
            source: source, content: .inline(sha256: "", mimeType: mimeType, width: width, height: height, byteCount: bytes.count, bytes: bytes))
    }

    /// The sampling options sent, as a JSON object with sorted keys (`{}` when none were set); for `vq gen` the
    /// generation options and the prompts the service actually used; files left on the service (`--keep-uploads`) by
    /// their key, for `-c` to reuse.
    static func options(_ query: Query, revisedPrompts: [String] = [], keptUploads: [String: GeminiFile] = [:]) -> String {
        var object: [String: Any] = ["stream": query.stream]
        if let value = query.temperature { object["temperature"] = value }
        if let value = query.topP { object["top_p"] = value }
        if let value = query.maxTokens { object["max_tokens"] = value }
        if !query.stop.isEmpty { object["stop"] = query.stop }
        if let value = query.detail { object["detail"] = value.rawValue }
        if !query.modalities.isEmpty { object["modalities"] = query.modalities }
        if let generation = query.generation { object["generation"] = Dictionary(generation.summary, uniquingKeysWith: { _, last in last }) }
        if !revisedPrompts.isEmpty { object["revised_prompts"] = revisedPrompts }
        if let value = query.mediaResolution { object["media_resolution"] = value.rawValue }
        if !keptUploads.isEmpty { object[ConversationReplay.uploadsKey] = keptUploads.mapValues(\.logObject) }
        return String(decoding: JSONWriter.data(object), as: UTF8.self)
    }
}
