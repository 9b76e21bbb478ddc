/// What a command takes after its name and options, as completion scripts and the parser see it.
public enum CommandArguments: Equatable, Sendable {
    /// Nothing (`vq profiles`, `vq version`).
    case none
    /// One word from a fixed list, described as `label` (`vq config path|check`).
    case word(label: String, [String])
    /// A PROMPT, then images, directories or `-` (`vq`, `vq batch`).
    case promptAndFiles
}

/// The actions of `vq config`.
public enum ConfigAction: String, CaseIterable, Sendable { case path, check }

extension CommandName {
    /// The words that name a command: every command but the default one, `query`, which has no word.
    public static var words: [String] { allCases.filter { $0 != .query }.map(\.rawValue) }

    /// How messages name the command: `a query (vq PROMPT IMAGE...)`, `'vq batch'`.
    public var displayName: String { self == .query ? "a query (vq PROMPT IMAGE...)" : "'vq \(rawValue)'" }

    /// What the command takes after its name; a command missing from the table takes nothing.
    public var arguments: CommandArguments { Self.argumentTable[self] ?? .none }

    private static let argumentTable: [CommandName: CommandArguments] = [
        .query: .promptAndFiles,
        .batch: .promptAndFiles,
        .config: .word(label: "action", ConfigAction.allCases.map(\.rawValue)),
        .completions: .word(label: "shell", Invocation.Shell.allCases.map(\.rawValue)),
        .help: .word(label: "command", words),
    ]
}
