import VisionQuery

/// What a command takes after its name and options, for the completion scripts.
public indirect enum CommandArguments: Equatable, Sendable {
    /// Nothing (`vq profiles`, `vq version`).
    case none
    /// A PROMPT, then images, directories or `-` (`vq`, `vq batch`).
    case promptAndFiles
    /// Images only (`vq chat`).
    case files
    /// One profile or key name (`vq keys set openai`).
    case profile
    /// One value the shell cannot list (an exchange id), described as `label`.
    case value(label: String)
    /// First one of `actions`' words, then what that word takes; or, without an action word, `otherwise`.
    case actions(label: String, [CommandAction], otherwise: CommandArguments)
}

/// One action word of a command (`vq keys set`): what follows it, and the options that still apply after it (nil: all
/// of the command's).
public struct CommandAction: Equatable, Sendable {
    public let word: String
    public let then: CommandArguments
    public let options: [OptionName]?

    public init(_ word: String, then: CommandArguments = .none, options: [OptionName]? = nil) {
        self.word = word
        self.then = then
        self.options = options
    }
}

extension CommandName {
    /// What the command takes after its name; a command missing from the table takes nothing.
    public var arguments: CommandArguments { Self.argumentTable[self] ?? .none }

    private static let argumentTable: [CommandName: CommandArguments] = [
        .query: .promptAndFiles,
        .batch: .actions(
            label: "action", BatchOptions.ProviderBatchAction.allCases.map { CommandAction($0.rawValue, options: [.out, .config]) },
            otherwise: .promptAndFiles),
        .chat: .files,
        .detect: .promptAndFiles,
        .logs: .actions(
            label: "action", LogsOptions.actionWords.map { CommandAction($0, then: $0 == "show" ? .value(label: "exchange id") : .none) },
            otherwise: .none),
        .keys: .actions(label: "action", Invocation.KeysAction.words.map { CommandAction($0, then: $0 == "list" ? .none : .profile) }, otherwise: .none),
        .config: .actions(label: "action", ConfigAction.allCases.map { CommandAction($0.rawValue) }, otherwise: .none),
        .completions: .actions(label: "shell", Invocation.Shell.allCases.map { CommandAction($0.rawValue) }, otherwise: .none),
        .help: .actions(label: "command", words.map { CommandAction($0) }, otherwise: .none),
    ]

    /// The action words after which only some of the command's options apply (`batch status`).
    public var restrictingActions: [CommandAction] {
        guard case .actions(_, let actions, _) = arguments else { return [] }
        return actions.filter { $0.options != nil }
    }
}

extension Invocation.KeysAction {
    /// The action words of `vq keys`.
    static let words = ["set", "list", "remove"]
}
