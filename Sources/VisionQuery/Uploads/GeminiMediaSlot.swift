/// Where a medium sits in a Gemini request: one of the query's parts, or a part of an earlier turn of a continued
/// conversation. The key by which a request body swaps inline bytes for an uploaded file.
public enum GeminiMediaSlot: Hashable, Sendable {
    case part(Int)
    case history(turn: Int, part: Int)
}

/// What a request body names instead of inline bytes: a Files API file (or, in a dry run, the one to come).
public struct GeminiFileReference: Sendable, Equatable {
    public var uri: String
    public var mimeType: String

    public init(uri: String, mimeType: String) {
        self.uri = uri
        self.mimeType = mimeType
    }
}
