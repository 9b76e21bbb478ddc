/// A document format vq reads: sent whole where a service takes it, else as rendered pages.
public enum DocumentFormat: String, Sendable, CaseIterable {
    case pdf

    /// The IANA media type, as used in data URLs and file parts.
    public var mimeType: String { "application/pdf" }

    /// The conventional file extension, without the dot.
    public var fileExtension: String { "pdf" }
}
