/// How users type and messages name each command.
extension CommandName {
    /// The words that name a command: every command but the default one, `query`, which has no word.
    public static var words: [String] { allCases.filter { $0 != .query }.map(\.rawValue) }

    /// How messages name the command: `a query (vq PROMPT IMAGE...)`, `'vq batch'`.
    public var displayName: String { self == .query ? "a query (vq PROMPT IMAGE...)" : "'vq \(rawValue)'" }
}
