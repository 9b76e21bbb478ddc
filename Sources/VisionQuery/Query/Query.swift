import FoundationEssentials

/// One request to a vision model: prompt, images and sampling options, independent of any wire format.
public struct Query: Sendable {
    public var prompt: String
    public var system: String? = nil
    public var parts: [InputPart] = []
    public var model: String
    public var temperature: Double? = nil
    public var topP: Double? = nil
    public var maxTokens: Int? = nil
    public var stop: [String] = []
    public var detail: ImageDetail? = nil
    /// `--media-resolution` (Gemini); nil leaves the service's default.
    public var mediaResolution: MediaResolution? = nil
    public var stream: Bool = true
    /// Earlier turns sent between the system prompt and this prompt.
    public var history: Conversation? = nil
    /// Output modalities to ask for (`["text", "image"]`); empty sends none.
    public var modalities: [String] = []
    /// The schema to ask the service for natively (its structured-output field); nil asks for none.
    public var schema: AnswerSchema? = nil
    /// `vq gen`: make images (an edit of `parts` when there are any); nil for a question about images.
    public var generation: ImageGeneration? = nil
    /// `--mask`: the checked mask, the size of the first image as sent.
    public var mask: Data? = nil
    /// The request is a line of a provider batch's input file, whose body must be JSON: the Images API then sends an
    /// edit in its JSON form (`images: [{"image_url": "data:…"}]`) instead of multipart/form-data.
    public var jsonBodyOnly = false

    public init(prompt: String, model: String) {
        self.prompt = prompt
        self.model = model
    }
}

/// OpenAI's image `detail` hint.
public enum ImageDetail: String, Sendable, CaseIterable { case low, high, auto }
