import FoundationEssentials
import TextFormatting

/// The wire protocol a profile speaks; `Providers/ProviderRegistry.swift` maps each to its adapter.
public enum APIKind: String, Sendable, CaseIterable {
    /// OpenAI chat completions, and the many gateways that copy it.
    case openai
    /// OpenAI's Responses API (`/responses`), with image generation as a tool.
    case openaiResponses = "openai-responses"
    /// Google's native Gemini API (`:generateContent`).
    case gemini
    /// Anthropic's Messages API.
    case anthropic
    /// Ollama's native `/api/chat`.
    case ollama
    /// Masterpiecex: upload assets, submit `/llm/image_query`, poll `/status/{id}`.
    case masterpiecex
    /// AWS Bedrock's Converse API, signed with Signature Version 4.
    case bedrock
    /// Google Vertex AI: Gemini and Claude publishers with an OAuth token.
    case vertex
    /// Azure OpenAI: deployment URLs with `api-version`, or the v1 surface.
    case azure
}

/// The output kinds a request may ask for with `modalities`.
public enum Modalities {
    public static let known = ["text", "image", "audio"]
}

/// How remote image URLs given on the command line reach the service.
public enum ImageURLMode: String, Sendable, CaseIterable {
    /// Sent as `image_url` for the service to fetch.
    case pass
    /// Downloaded by vq, validated and sent inline as base64.
    case inline
}

/// A named set of connection settings for one service: where, how to authenticate, which model.
public struct Profile: Equatable, Sendable {
    public var name: String
    public var api: APIKind = .openai
    public var baseURL: String = ""
    /// Appended to baseURL; `{model}` is replaced by the model name. Default `/chat/completions`.
    public var path: String? = nil
    public var model: String? = nil
    public var keyEnv: String? = nil
    public var keyCmd: String? = nil
    public var key: String? = nil
    /// Header that carries the key; nil means `Authorization: Bearer`.
    public var auth: String? = nil
    /// False for local services (Ollama) that need no key.
    public var keyRequired: Bool = true
    public var headers: [String: String] = [:]
    public var maxImages: Int? = nil
    public var imageURLs: ImageURLMode = .pass
    /// The request field that carries --max-tokens (`max_tokens`, or `max_completion_tokens` for OpenAI's newer models).
    public var maxTokensField: String = "max_tokens"
    /// Ask for a final usage chunk when streaming (`stream_options.include_usage`).
    public var streamUsage: Bool = true
    /// Output modalities asked for by default (`["text", "image"]` for image-generating models); empty sends none.
    public var modalities: [String] = []
    /// Seconds before the first status poll of an asynchronous service (Masterpiecex); grows ×1.5 up to 10.
    public var pollInterval: Double = 3
    /// Seconds after which vq stops polling (unless --timeout says otherwise).
    public var pollTimeout: Double = 600
    /// Shrink images whose longer side exceeds this (pixels); nil = no side limit.
    public var maxSide: Int? = 2048
    /// Shrink images with more pixels than this; nil = no pixel limit.
    public var maxPixels: Int? = nil
    /// Largest base64 length of one image the service accepts; images are shrunk further to fit.
    public var maxImageBytes: Int? = nil
    /// Largest request body the service accepts; the budget is shared among inline images.
    public var maxRequestBytes: Int? = nil
    /// JPEG quality when an image is re-encoded.
    public var jpegQuality: Int = 85
    /// Retries after the first attempt for retryable failures.
    public var retries: Int = 2
    /// Longest Retry-After (seconds) honoured; a longer demand fails at once.
    public var retryMaxWait: Double = 60
    /// Abort a transfer when no byte arrives for this many seconds; nil = `TimeoutDefaults`.
    public var stallTimeout: Double? = nil
    /// Requests and input bytes per provider batch job (`--provider-batch`); nil = the provider's documented limits.
    public var batchMaxRequests: Int? = nil
    public var batchMaxBytes: Int? = nil
    /// `batch_max_enqueued_tokens`: most estimated input tokens in submitted jobs that have not ended (the provider's
    /// queue limit, e.g. OpenAI's per-model enqueued-token limit); jobs beyond it wait for one to end.
    public var batchMaxEnqueuedTokens: Int? = nil
    /// PEM file of the CAs to trust instead of the system store (a private CA).
    public var caBundle: String? = nil
    /// Client certificate (PEM) and its key, for services that require mutual TLS.
    public var clientCert: String? = nil
    public var clientKey: String? = nil
    /// `pdf = "native" | "render"`: how this service takes PDFs; nil = what its api reads natively (then a service
    /// that refuses the file part gets the rendered pages in a second request).
    public var pdf: DocumentRoute? = nil
    /// `video = "native" | "frames" | "video_url"`: how this service takes videos; nil = natively where its api reads
    /// video, else sampled frames.
    public var video: VideoRoute? = nil
    /// Most pages and bytes of PDF one request may carry natively (the service's documented limits).
    public var maxDocumentPages: Int? = nil
    public var maxDocumentBytes: Int? = nil
    /// The cloud region or location (Bedrock's AWS region, Vertex AI's location); nil = from the environment.
    public var region: String? = nil
    /// Vertex AI's Google Cloud project; nil = `GOOGLE_CLOUD_PROJECT`.
    public var project: String? = nil
    /// The `~/.aws` profile Bedrock's credentials and region come from; nil = `AWS_PROFILE`, else `default`.
    public var awsProfile: String? = nil
    /// Azure OpenAI's `api-version` query parameter (not sent on the v1 surface).
    public var apiVersion: String? = nil
    /// False for gateways that reject structured-output fields: `--schema` then goes into the prompt (still checked).
    public var schemaSupport: Bool = true
    /// How the model writes detection coordinates (`detect_coordinates`: gemini, qwen2.5, qwen3, vq); nil = inferred from
    /// the model name (see `CoordinateConvention.of`).
    public var detectCoordinates: String? = nil
    /// The pixel range Qwen2.5-VL's processor resizes into (`qwen_min_pixels`, `qwen_max_pixels`: the server's
    /// min_pixels and max_pixels); nil = the model's shipped preprocessor_config.json, 3,136 to 12,845,056.
    public var qwenMinPixels: Int? = nil
    public var qwenMaxPixels: Int? = nil
    /// How much of an answer vq keeps (`max_answer_bytes`, `max_saved_images`).
    public var limits = AnswerLimits()
    /// `images = true`: `vq gen` speaks OpenAI's Images API (`/images/generations`, `/images/edits`) instead of
    /// asking the chat endpoint for image output.
    public var imagesAPI: Bool = false
    /// The model `vq gen` uses when -m does not name one; nil = `model`.
    public var imageModel: String? = nil
    /// Where the profile came from, for `vq profiles`.
    public var origin: Origin = .builtin

    /// Whether a profile is built in, from the config file, or a built-in overridden by the config file.
    public enum Origin: String, Sendable {
        case builtin = "built-in"
        case config
        case overridden = "built-in+config"
    }

    /// A profile for `api` with that service's image defaults (URL handling, size and byte limits).
    public init(name: String, api: APIKind = .openai) {
        self.name = name
        self.api = api
        api.defaults.apply(to: &self)
    }

    /// The socket of a `unix:///path/to.sock` base URL; requests then go to `http://localhost` plus the path.
    public var unixSocketPath: String? {
        baseURL.hasPrefix("unix://") ? String(baseURL.dropFirst("unix://".count)) : nil
    }

    /// Whether the server is on this machine: a Unix socket, or a loopback host (`localhost`, 127.0.0.0/8, ::1).
    public var isLocalServer: Bool {
        if unixSocketPath != nil { return true }
        guard let host = URLComponents(string: baseURL)?.host?.lowercased() else { return false }
        let bare = host.trimming(scalarsIn: "[]")
        return bare == "localhost" || bare.hasSuffix(".localhost") || bare == "::1" || bare.hasPrefix("127.")
    }

    /// The full endpoint URL for a model.
    public func endpointURL(model: String) -> String {
        var base = unixSocketPath == nil ? baseURL : "http://localhost"
        if base.hasSuffix("/") { base.removeLast() }
        var tail = path ?? "/chat/completions"
        if !tail.hasPrefix("/") { tail = "/" + tail }
        return base + tail.replacingScalars("{model}", with: model)
    }
}
