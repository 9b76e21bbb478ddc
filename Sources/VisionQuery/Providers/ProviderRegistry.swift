import FoundationEssentials

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
        case .bedrock: BedrockAdapter(profile: profile)
        case .vertex: VertexAdapter(profile: profile)
        case .azure: AzureAdapter(profile: profile)
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
        case .bedrock:
            "AWS Bedrock Converse: POST /model/{model}/converse-stream (AWS event stream, CRC-checked) or /converse, signed with SigV4 from AWS_ACCESS_KEY_ID or ~/.aws (or AWS_BEARER_TOKEN_BEDROCK); region from region, AWS_REGION or ~/.aws/config"
        case .vertex:
            "Google Vertex AI, under /projects/{project}/locations/{location}: publishers/google/models/{model}:streamGenerateContent (the Gemini body), or publishers/anthropic/models/{model}:streamRawPredict for claude-* (the Anthropic body); OAuth token from key_cmd, fetched again on a 401"
        case .azure:
            "Azure OpenAI: {base_url}/deployments/{model}/chat/completions?api-version={api_version}, or {base_url}/v1/chat/completions when api_version = \"v1\"; api-key header, or Authorization: Bearer for an Entra ID token from key_cmd; content-filter refusals exit 80"
        }
    }

    /// Whether the api reads `medium` whole (a PDF as a file part, a video) rather than as rendered images or frames.
    public func readsNatively(_ medium: Medium) -> Bool { defaults.nativeMedia.contains(medium) }

    /// Whether media that do not fit the request's inline cap go up through the service's Files API (Gemini), so
    /// an image sent as it is (`--no-resize`) need not fit its share of the cap.
    public var uploadsOverInlineCap: Bool { defaults.uploadsOverInlineCap }

    /// The ways a profile of this api may send a video (`video = …`): frames always, whole where the api has a shape
    /// for it.
    public var videoRoutes: Set<VideoRoute> { defaults.videoRoutes.union([.frames]) }

    /// Where a profile that needs no key gets its credentials instead (Bedrock: the AWS environment and files),
    /// for `vq profiles`; nil when the api has no such source.
    func ambientCredentials(for profile: Profile, environment: [String: String]) -> String? {
        switch self {
        case .bedrock: BedrockAdapter.credentialSource(for: profile, environment: environment)
        default: nil
        }
    }

    /// What a profile of this api starts from before built-in or config settings.
    var defaults: ProviderDefaults {
        switch self {
        case .openai: OpenAIAdapter.defaults
        case .openaiResponses: OpenAIResponsesAdapter.defaults
        case .gemini: GeminiAdapter.defaults
        case .anthropic: AnthropicAdapter.defaults
        case .ollama: OllamaAdapter.defaults
        case .masterpiecex: MasterpiecexAdapter.defaults
        case .bedrock: BedrockAdapter.defaults
        case .vertex: VertexAdapter.defaults
        case .azure: AzureAdapter.defaults
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
    /// Most images one request may carry.
    var maxImages: Int? = nil
    /// Largest base64 length of one image.
    var maxImageBytes: Int? = nil
    var maxRequestBytes: Int? = nil
    /// Media over `maxRequestBytes` go through a Files API instead of failing (Gemini).
    var uploadsOverInlineCap = false
    /// The media the service reads whole (PDFs: `.document`, videos: `.video`); the others are rendered to images
    /// or sampled into frames.
    var nativeMedia: Set<Medium> = [.image]
    /// The whole-video routes a profile may choose with `video = …` besides frames (the default route is native when
    /// `nativeMedia` has `.video`, else frames).
    var videoRoutes: Set<VideoRoute> = []
    /// The service's own limits on native PDFs in one request.
    var maxDocumentPages: Int? = nil
    var maxDocumentBytes: Int? = nil
    /// Where the credential comes from when the profile does not say (the clouds have their own conventions).
    var keyEnv: String? = nil
    var keyCmd: String? = nil
    var keyRequired = true

    func apply(to profile: inout Profile) {
        profile.imageURLs = imageURLs
        profile.maxSide = maxSide
        profile.maxPixels = maxPixels
        profile.maxImages = maxImages
        profile.maxImageBytes = maxImageBytes
        profile.maxRequestBytes = maxRequestBytes
        profile.maxDocumentPages = maxDocumentPages
        profile.maxDocumentBytes = maxDocumentBytes
        profile.keyEnv = keyEnv
        profile.keyCmd = keyCmd
        profile.keyRequired = keyRequired
    }
}
