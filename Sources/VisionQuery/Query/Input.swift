import FoundationEssentials

/// One input argument (a path, `-`, a URL) as a medium with its parts: an image is one part; a document is one
/// whole part or one image part per rendered page; a video is one whole part or one image part per sampled frame.
public struct Input: Sendable {
    /// The argument as the user wrote it.
    public let source: String
    public let medium: Medium
    public var parts: [InputPart]
    /// What had to be done to send it that a person should hear (a PDF over the service's limits sent rendered).
    public var notes: [String] = []
    /// "pages 1-3 of 12 sent whole (48 KB)": how a document went, a -v line (shown by a dry run).
    public var route: String?

    public init(source: String, medium: Medium, parts: [InputPart]) {
        self.source = source
        self.medium = medium
        self.parts = parts
    }

    /// An image input: one part.
    public init(_ part: InputPart) { self.init(source: part.source, medium: part.medium, parts: [part]) }
}

/// The kinds of input vq reads; a provider states which it takes natively (`ProviderDefaults.nativeMedia`).
public enum Medium: String, Sendable, CaseIterable {
    case image
    /// A paged document (PDF).
    case document
    /// A video: sent whole where the service reads video, else as sampled frames.
    case video
}
