import FoundationEssentials

/// How a video reaches the service (`video = …` in a profile): whole (`native`, Gemini reads video), as sampled
/// frames sent as images (`frames`, every api), or whole as an OpenAI-style `video_url` part (`video_url`, vLLM and
/// Qwen-VL servers behind `api = "openai"`).
public enum VideoRoute: String, Sendable, CaseIterable {
    case native
    case frames
    case videoURL = "video_url"
}
