import FoundationEssentials

/// Profiles that work with only an API key in the environment, no config file needed.
public enum BuiltinProfiles {
    /// The name used when neither flag, environment nor config picks one.
    public static let defaultName = "openai"

    /// Image sizes follow what each service uses (PROVIDERS.md): larger images cost upload time and money for nothing.
    public static let all: [Profile] = [
        make("openai", base: "https://api.openai.com/v1", model: "gpt-4o-mini", keyEnv: "OPENAI_API_KEY") {
            $0.maxTokensField = "max_completion_tokens"
            $0.maxPixels = 1_200_000  // fits 2048x2048, then 768 on the short side
            $0.pdf = .native
            $0.imagesAPI = true
            $0.imageModel = "gpt-image-1"
        },
        make(
            "openai-responses", api: .openaiResponses, base: "https://api.openai.com/v1", model: "gpt-4.1-mini",
            keyEnv: "OPENAI_API_KEY"
        ) {
            $0.maxPixels = 1_200_000
        },
        make(
            "anthropic", api: .anthropic, base: "https://api.anthropic.com/v1", model: "claude-sonnet-4-5",
            keyEnv: "ANTHROPIC_API_KEY"),
        make(
            "scaleway", base: "https://api.scaleway.ai/v1", model: "mistral-small-3.2-24b-instruct-2506",
            keyEnv: "SCW_SECRET_KEY"
        ) {
            $0.maxImages = 12
            $0.maxSide = 1024  // the service downscales to fit 1024x1024
            $0.pdf = .render
        },
        make(
            "gemini", api: .gemini, base: "https://generativelanguage.googleapis.com/v1beta", model: "gemini-2.5-flash",
            keyEnv: "GEMINI_API_KEY"
        ) {
            $0.imageModel = "gemini-2.5-flash-image"
        },
        make(
            "gemini-openai", base: "https://generativelanguage.googleapis.com/v1beta/openai", model: "gemini-2.5-flash",
            keyEnv: "GEMINI_API_KEY"
        ) {
            $0.imageURLs = .inline  // the endpoint rejects remote image URLs
            $0.maxSide = 3072
            $0.maxRequestBytes = 20_000_000  // inline data caps the whole request at 20 MB
            $0.pdf = .render
        },
        make("aihubmix", base: "https://api.aihubmix.com/v1", model: "gemini-2.0-flash-exp", keyEnv: "AIHUBMIX_API_KEY") {
            $0.modalities = ["text", "image"]
            $0.pdf = .render
        },
        make("segmind", base: "https://api.segmind.com/v1", model: "qwen2-vl-72b-instruct", keyEnv: "SEGMIND_API_KEY") {
            $0.path = "/{model}"
            $0.auth = "x-api-key"
            $0.streamUsage = false
            $0.maxPixels = 1_003_520  // Qwen2-VL's default max_pixels (1280 x 28 x 28)
            $0.pdf = .render
        },
        make(
            "openrouter", base: "https://openrouter.ai/api/v1", model: "google/gemini-2.5-flash",
            keyEnv: "OPENROUTER_API_KEY"
        ) {
            $0.pdf = .native  // file parts, parsed for models without PDF input
            $0.imageModel = "google/gemini-2.5-flash-image"
        },
        make(
            "masterpiecex", api: .masterpiecex, base: "https://api.genai.masterpiecex.com/v2", model: nil,
            keyEnv: "MPX_SDK_BEARER_TOKEN"
        ) {
            $0.pdf = .render
        },
        make("ollama", api: .ollama, base: "http://localhost:11434", model: "llava", keyEnv: nil) {
            $0.keyRequired = false
            $0.pdf = .render
        },
        // The clouds: region, project and resource come from the profile or the cloud's own environment variables.
        make(
            "bedrock", api: .bedrock, base: "https://bedrock-runtime.{region}.amazonaws.com",
            model: "global.anthropic.claude-sonnet-4-5-20250929-v1:0", keyEnv: "AWS_BEARER_TOKEN_BEDROCK"),
        make("vertex", api: .vertex, base: "https://{location}-aiplatform.googleapis.com/v1", model: "gemini-2.5-flash", keyEnv: nil),
        make("azure", api: .azure, base: "https://{resource}.openai.azure.com/openai", model: nil, keyEnv: "AZURE_OPENAI_API_KEY") {
            $0.apiVersion = "2024-10-21"  // the latest GA version of the data-plane API
        },
        make("ollama-openai", base: "http://localhost:11434/v1", model: "llava", keyEnv: nil) {
            $0.keyRequired = false
            $0.imageURLs = .inline  // the /v1 endpoint takes data URLs only
            $0.maxSide = 1344  // LLaVA 1.6 sees at most 1344 px
            $0.pdf = .render
        },
    ]

    public static func named(_ name: String) -> Profile? { all.first { $0.name == name } }

    private static func make(
        _ name: String, api: APIKind = .openai, base: String, model: String?, keyEnv: String?,
        _ adjust: (inout Profile) -> Void = { _ in }
    ) -> Profile {
        var profile = Profile(name: name, api: api)
        profile.baseURL = base
        profile.model = model
        profile.keyEnv = keyEnv
        adjust(&profile)
        return profile
    }
}
