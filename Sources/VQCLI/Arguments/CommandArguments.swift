/// What a command takes after its name and options, for the completion scripts.
public enum CommandArguments: Equatable, Sendable {
    /// Nothing (`vq profiles`, `vq version`).
    case none
    /// One word from a fixed list, described as `label` (`vq config path|check`).
    case word(label: String, [String])
    /// A PROMPT, then images, directories or `-` (`vq`, `vq batch`).
    case promptAndFiles
}

extension CommandName {
    /// What the command takes after its name; a command missing from the table takes nothing.
    public var arguments: CommandArguments { Self.argumentTable[self] ?? .none }

    private static let argumentTable: [CommandName: CommandArguments] = [
        .query: .promptAndFiles,
        .batch: .promptAndFiles,
        .detect: .promptAndFiles,
        .config: .word(label: "action", ConfigAction.allCases.map(\.rawValue)),
        .completions: .word(label: "shell", Invocation.Shell.allCases.map(\.rawValue)),
        .help: .word(label: "command", words),
    ]
}
