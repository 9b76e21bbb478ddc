import Foundation

/// What a provider adapter decodes from the wire, independent of the provider.
public enum StreamEvent: Equatable, Sendable {
    case text(String)
    case model(String)
    case finish(reason: String)
    case usage(Usage)
    /// An error object inside a successful (200) response or stream.
    case serviceError(String)
    /// The service's content filter refused the prompt or stopped the answer (Azure's `content_filter`).
    case refusal(String)
    /// The stream's explicit end marker (`data: [DONE]`).
    case done
    /// An image the model returned.
    case image(ReturnedImage)
}

/// An image in a model's answer: decoded bytes, or why they could not be decoded.
public enum ReturnedImage: Equatable, Sendable {
    /// `mimeHint` is the service's word (never trusted for the file type); `sourceURL` is the data URL the
    /// image came in, when there was one, so the same image in a delta and the final message is saved once.
    case decoded(data: Data, mimeHint: String?, sourceURL: String?)
    /// Returned image data that is not valid base64, or a link instead of data (reported, not saved).
    case undecodable(String)
}

/// Token counts reported by the service.
public struct Usage: Equatable, Sendable {
    public var promptTokens: Int?
    public var completionTokens: Int?
    public var totalTokens: Int?

    public init(promptTokens: Int? = nil, completionTokens: Int? = nil, totalTokens: Int? = nil) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.totalTokens = totalTokens
    }

    /// Counts reported later replace earlier ones; counts missing later are kept (Anthropic reports input
    /// tokens at the start of a stream and output tokens at the end).
    public func merged(with later: Usage) -> Usage {
        Usage(
            promptTokens: later.promptTokens ?? promptTokens, completionTokens: later.completionTokens ?? completionTokens,
            totalTokens: later.totalTokens ?? totalTokens)
    }

    public var jsonObject: [String: Any] {
        var object: [String: Any] = [:]
        if let promptTokens { object["prompt_tokens"] = promptTokens }
        if let completionTokens { object["completion_tokens"] = completionTokens }
        if let totalTokens { object["total_tokens"] = totalTokens }
        return object
    }
}
