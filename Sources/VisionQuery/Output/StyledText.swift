/// Text for a person with vq's own emphasis (a heading, a label) kept apart from the text it frames, which may have come
/// from a model, a server or the log: the writer makes the control characters of every run visible on a terminal and
/// adds colour only around the marked runs, so vq's styling is never escaped and untrusted text never styles itself.
public struct StyledText: Equatable, Sendable {
    /// What a run is, which decides how a terminal shows it.
    public enum Style: Equatable, Sendable {
        case plain
        /// The line that opens a block (an exchange in `vq logs`).
        case heading
        /// A field's name before its value (`Prompt:`).
        case label
    }

    /// One stretch of text in one style.
    public struct Run: Equatable, Sendable {
        public let text: String
        public let style: Style
    }

    public private(set) var runs: [Run] = []

    public init() {}

    public init(_ text: String, _ style: Style = .plain) { append(text, style) }

    /// Adds `text` in `style` at the end.
    public mutating func append(_ text: String, _ style: Style = .plain) {
        if !text.isEmpty { runs.append(Run(text: text, style: style)) }
    }

    /// Adds the runs of `other` at the end.
    public mutating func append(_ other: StyledText) { runs += other.runs }

    /// The text without any styling.
    public var plain: String { runs.map(\.text).joined() }
}
