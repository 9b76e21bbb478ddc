/// Why a file cannot be sent as an image; `message` is one line without the file name.
public struct ImageError: Error, Equatable, CustomStringConvertible, Sendable {
    public enum Kind: Equatable, Sendable { case empty, notAnImage, unsupported, corrupt, tooLarge }

    public let kind: Kind
    /// One line for the user, e.g. "corrupt JPEG: Premature end of JPEG file"; the caller prefixes the file name.
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
