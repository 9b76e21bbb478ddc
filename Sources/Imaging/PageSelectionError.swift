/// Why a `--pages` selection is refused; `message` is one line.
public struct PageSelectionError: Error, Equatable, CustomStringConvertible, Sendable {
    public enum Kind: Equatable, Sendable {
        /// The text is not a page selection (a usage error).
        case invalid
        /// A page past the document's end (bad input for this document).
        case outOfRange
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
