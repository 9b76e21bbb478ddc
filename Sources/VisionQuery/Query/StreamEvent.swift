import FoundationEssentials

/// What a provider adapter decodes from the wire, independent of the provider.
public enum StreamEvent: Equatable, Sendable {
    case text(String)
    case model(String)
    case finish(reason: String)
    case usage(Usage)
    /// An error object inside a successful (200) response or stream.
    case serviceError(String)
    /// A stream event that could not be read (not JSON): a cut or garbled stream, not the service's verdict.
    case malformed(String)
    /// The service's content filter refused the prompt or stopped the answer (Azure's `content_filter`).
    case refusal(String)
    /// The stream's explicit end marker (`data: [DONE]`).
    case done
    /// An image the model returned.
    case image(ReturnedImage)
    /// The prompt an image maker actually used (OpenAI's `revised_prompt`), sent before its image.
    case revisedPrompt(String)
    /// A partial image streamed while the final one is made (`partial_images`): shown as progress, not saved.
    case partialImage(index: Int)
}

/// An image in a model's answer: decoded bytes, or why they could not be decoded.
public enum ReturnedImage: Equatable, Sendable {
    /// `mimeHint` is the service's word (never trusted for the file type); `sourceURL` is the data URL the
    /// image came in, when there was one, so the same image in a delta and the final message is saved once.
    case decoded(data: Data, mimeHint: String?, sourceURL: String?)
    /// Returned image data that is not valid base64, or a link instead of data (reported, not saved).
    case undecodable(String)
    /// An image the service left at a URL (OpenAI's Images API `url`): downloaded, validated and saved.
    case link(String)
}

/// Token counts reported by the service.
public struct Usage: Equatable, Sendable {
    public var promptTokens: Int?
    public var completionTokens: Int?
    public var totalTokens: Int?
    /// The part of `promptTokens` read from the service's prompt cache (charged less).
    public var cachedPromptTokens: Int?

    public init(promptTokens: Int? = nil, completionTokens: Int? = nil, totalTokens: Int? = nil, cachedPromptTokens: Int? = nil) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.totalTokens = totalTokens
        self.cachedPromptTokens = cachedPromptTokens
    }

    /// Counts reported later replace earlier ones; counts missing later are kept (Anthropic reports input
    /// tokens at the start of a stream and output tokens at the end). A total the later report leaves out is
    /// recomputed from the merged counts, never kept from before they changed.
    public func merged(with later: Usage) -> Usage {
        let prompt = later.promptTokens ?? promptTokens
        let completion = later.completionTokens ?? completionTokens
        let changed = later.promptTokens != nil || later.completionTokens != nil
        let recomputed = prompt.flatMap { prompt in completion.map { prompt + $0 } }
        return Usage(
            promptTokens: prompt, completionTokens: completion, totalTokens: later.totalTokens ?? (changed ? recomputed : totalTokens),
            cachedPromptTokens: later.cachedPromptTokens ?? cachedPromptTokens)
    }

    public var jsonObject: [String: Any] {
        var object: [String: Any] = [:]
        if let promptTokens { object["prompt_tokens"] = promptTokens }
        if let completionTokens { object["completion_tokens"] = completionTokens }
        if let totalTokens { object["total_tokens"] = totalTokens }
        if let cachedPromptTokens { object["cached_prompt_tokens"] = cachedPromptTokens }
        return object
    }
}
