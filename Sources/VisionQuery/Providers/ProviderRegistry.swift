import Foundation

/// The one place that knows which adapter speaks which `api`, and each service's image defaults.
extension APIKind {
    /// The adapter for a profile of this api.
    public func provider(for profile: Profile) -> any Provider {
        switch self {
        case .openai: OpenAIAdapter(profile: profile)
        case .openaiResponses: OpenAIResponsesAdapter(profile: profile)
        case .gemini: GeminiAdapter(profile: profile)
        case .anthropic: AnthropicAdapter(profile: profile)
        case .ollama: OllamaAdapter(profile: profile)
        case .masterpiecex: MasterpiecexAdapter(profile: profile)
        }
    }

    /// One line on the wire format, for the man page.
    public var summary: String {
        switch self {
        case .openai:
            "OpenAI chat completions: POST {base_url}{path or /chat/completions}, SSE ending in [DONE]; most gateways (Scaleway, OpenRouter, AiHubMix, Segmind, vLLM, llama.cpp, LiteLLM)"
        case .openaiResponses: "OpenAI Responses: POST /responses, typed SSE events; --modalities text,image adds the image_generation tool"
        case .gemini:
            "Google Gemini: POST /models/{model}:streamGenerateContent?alt=sse or :generateContent, key in x-goog-api-key, image URLs inlined, returned inlineData images saved"
        case .anthropic: "Anthropic Messages: POST /messages with x-api-key and anthropic-version, named SSE events, max_tokens 4096 unless given"
        case .ollama: "Ollama: POST /api/chat, NDJSON stream, raw base64 images, image URLs inlined"
        case .masterpiecex: "Masterpiecex: local images uploaded (/assets/create, PUT to the signed URL), POST /llm/image_query, GET /status/{id} polled"
        }
    }

    /// Whether the api reads `medium` whole (a PDF as a file part) rather than as rendered images.
    public func readsNatively(_ medium: Medium) -> Bool { defaults.nativeMedia.contains(medium) }

    /// What a profile of this api starts from before built-in or config settings.
    var defaults: ProviderDefaults {
        switch self {
        case .openai: OpenAIAdapter.defaults
        case .openaiResponses: OpenAIResponsesAdapter.defaults
        case .gemini: GeminiAdapter.defaults
        case .anthropic: AnthropicAdapter.defaults
        case .ollama: OllamaAdapter.defaults
        case .masterpiecex: MasterpiecexAdapter.defaults
        }
    }
}

extension Profile {
    /// This profile's adapter.
    public var provider: any Provider { api.provider(for: self) }
}

/// A service's own image limits and URL handling, from its documentation (PROVIDERS.md).
struct ProviderDefaults: Sendable {
    /// Whether the service fetches image URLs itself (`.pass`) or they must be sent inline.
    var imageURLs: ImageURLMode
    var maxSide: Int?
    var maxPixels: Int? = nil
    /// Largest base64 length of one image.
    var maxImageBytes: Int? = nil
    var maxRequestBytes: Int? = nil
    /// The media the service reads whole (PDFs: `.document`); the others are rendered to images.
    var nativeMedia: Set<Medium> = [.image]
    /// The service's own limits on native PDFs in one request.
    var maxDocumentPages: Int? = nil
    var maxDocumentBytes: Int? = nil

    func apply(to profile: inout Profile) {
        profile.imageURLs = imageURLs
        profile.maxSide = maxSide
        profile.maxPixels = maxPixels
        profile.maxImageBytes = maxImageBytes
        profile.maxRequestBytes = maxRequestBytes
        profile.maxDocumentPages = maxDocumentPages
        profile.maxDocumentBytes = maxDocumentBytes
    }
}
