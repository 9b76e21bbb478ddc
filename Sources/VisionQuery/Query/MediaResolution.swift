/// `--media-resolution`: how many tokens Gemini spends on each image, video frame and PDF page
/// (`generationConfig.mediaResolution`).
public enum MediaResolution: String, Sendable, CaseIterable {
    case low, medium, high

    /// The wire value, `MEDIA_RESOLUTION_LOW`.
    public var geminiValue: String { "MEDIA_RESOLUTION_\(rawValue.uppercased())" }
}
