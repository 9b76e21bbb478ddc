import FoundationEssentials
import TextFormatting
import Transport

/// Google Vertex AI (`api = "vertex"`): one profile for two publishers, told apart by the model name. Gemini models
/// take `publishers/google/models/{model}:generateContent` (`:streamGenerateContent?alt=sse`) with the Gemini body;
/// `claude-*` models take `publishers/anthropic/models/{model}:rawPredict` (`:streamRawPredict`) with the Anthropic
/// body, `anthropic_version: vertex-2023-10-16` and no model field. Both bodies and decoders are the native adapters'.
/// The OAuth token comes from key_cmd and is shared and renewed by an `AccessTokenCache`. `vq gen` works on Gemini
/// image models through the same `generateContent` body: `generationConfig.responseModalities` and `imageConfig`
/// (`aspectRatio`, `imageSize`), as Vertex AI's v1 `GenerationConfig.ImageConfig` defines them (cloud.google.com
/// Vertex AI API reference, ImageConfig: aspectRatio 1:1 … 21:9, imageSize 1K/2K/4K). Imagen's `:predict` is not
/// spoken.
public struct VertexAdapter: Provider {
    public let profile: Profile
    private let tokens = AccessTokenCache()

    public init(profile: Profile) { self.profile = profile }

    /// Inline images only (Vertex AI fetches gs:// URIs, not web URLs); Gemini's sizes, Claude's 5 MB per image.
    /// The token comes from gcloud unless key_cmd says otherwise. PDFs go whole (Gemini's inline_data, Claude's document
    /// block), at most 100 pages (Claude's limit; Gemini reads up to 1,000, so a longer PDF there needs `--pdf native`).
    static let defaults = ProviderDefaults(
        imageURLs: .inline, maxSide: 3072, maxImageBytes: 5_242_880, maxRequestBytes: 20_000_000, nativeMedia: [.image, .document],
        maxDocumentPages: 100, maxDocumentBytes: 20_000_000, keyCmd: "gcloud auth print-access-token")
    /// What Vertex AI's Claude models take in place of the `anthropic-version` header.
    static let anthropicVersion = "vertex-2023-10-16"
    /// The location when neither `location` nor `GOOGLE_CLOUD_LOCATION` names one.
    static let defaultLocation = "global"

    /// Claude models are Anthropic's publisher; everything else is Google's.
    private var isAnthropic: Bool { (profile.model ?? "").hasPrefix("claude") }
    private var gemini: GeminiAdapter { GeminiAdapter(profile: profile) }
    private var anthropic: AnthropicAdapter { AnthropicAdapter(profile: profile) }

    public var supportsSchema: Bool { true }

    /// Gemini image models make images; Claude does not.
    public var makesImages: Bool { !isAnthropic }

    public func generationNotes(_ query: Query) -> [String] { query.model.hasPrefix("claude") ? [] : gemini.generationNotes(query) }

    public func makeRequest(_ query: Query, key: String?) throws(VQError) -> HTTPRequest {
        let anthropic = query.model.hasPrefix("claude")
        var (body, images) = anthropic ? self.anthropic.requestBody(query) : try gemini.requestBody(query)
        if anthropic {
            body["anthropic_version"] = Self.anthropicVersion
            if query.stream { body["stream"] = true }
        }
        let method =
            anthropic
            ? (query.stream ? "streamRawPredict" : "rawPredict") : (query.stream ? "streamGenerateContent?alt=sse" : "generateContent")
        let publisher = anthropic ? "anthropic" : "google"
        let project = profile.project ?? ""
        let location = profile.region ?? Self.defaultLocation
        var request = HTTPRequest.jsonPOST(
            url("/projects/\(project)/locations/\(location)/publishers/\(publisher)/models/\(query.model):\(method)"), body: body, images: images,
            stream: query.stream)
        request.addAuthentication(key: key, profile: profile, defaultHeader: nil)
        return request
    }

    /// Project and location from the profile or `GOOGLE_CLOUD_PROJECT`/`GOOGLE_CLOUD_LOCATION`; base_url's
    /// `{location}-` is dropped for the `global` location (its host has no region).
    public func settled(environment: [String: String]) throws(VQError) -> Profile {
        var settled = profile
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        guard let project = profile.project ?? value("GOOGLE_CLOUD_PROJECT") else {
            throw VQError(
                .config,
                "no Google Cloud project for profile '\(profile.name)': add project = \"my-project\" to [profiles.\(profile.name)] or set GOOGLE_CLOUD_PROJECT")
        }
        let location = profile.region ?? value("GOOGLE_CLOUD_LOCATION") ?? Self.defaultLocation
        settled.project = project
        settled.region = location
        settled.baseURL = settled.baseURL
            .replacingScalars("{location}-", with: location == "global" ? "" : location + "-")
            .replacingScalars("{location}", with: location)
        return settled
    }

    /// Renews the token once on a 401 (and when it is older than an hour), so a long batch keeps going.
    public func exchange(_ query: Query, context: ExchangeContext, sink: AnswerSink) throws(VQError) -> QueryOutcome {
        try tokens.run(context) { (context) throws(VQError) in try singleExchange(query, context: context, sink: sink) }
    }

    public func decodeStreamEvent(_ event: SSEEvent) -> [StreamEvent] {
        isAnthropic ? anthropic.decodeStreamEvent(event) : gemini.decodeStreamEvent(event)
    }

    public func decodeResponse(_ body: Data) -> [StreamEvent] {
        isAnthropic ? anthropic.decodeResponse(body) : gemini.decodeResponse(body)
    }

    /// Google's error shape either way: Vertex AI answers for the publisher before the model sees the request.
    public func failure(status: Int, body: Data, headers: [String: String]) -> VQError {
        let google = JSONValue.object(from: body)?["error"] as? [String: Any]
        if isAnthropic && google?["status"] == nil { return anthropic.failure(status: status, body: body, headers: headers) }
        return gemini.failure(status: status, body: body, headers: headers)
    }

    public func demandedWait(errorBody: Data) -> Double? { gemini.demandedWait(errorBody: errorBody) }

    /// Gemini models read `generationConfig.mediaResolution`; Claude has no such field.
    public var readsMediaResolution: Bool { !isAnthropic }

    public func ignoredOptions(_ query: Query) -> [String] {
        query.model.hasPrefix("claude") ? anthropic.ignoredOptions(query) : gemini.ignoredOptions(query)
    }

    public func imageTokens(width: Int, height: Int, query: Query) -> Int? {
        query.model.hasPrefix("claude")
            ? anthropic.imageTokens(width: width, height: height, query: query) : gemini.imageTokens(width: width, height: height, query: query)
    }
}
