import FoundationEssentials

/// How a run shows its results, decided once by the front end: JSON or text, how much goes to stderr, whether a
/// progress line may be drawn (the terminal's decision), whether the answer is printed as a checked structure.
public struct OutputPolicy: Sendable, Equatable {
    /// `--json`: one JSON object per exchange (the result object) instead of the streamed text.
    public var json = false
    public var quiet = false
    public var verbose = false
    /// A progress line may be drawn on stderr (a terminal that is not `TERM=dumb`; see VQCLI's TerminalCapabilities).
    public var showsProgress = false
    /// `--schema`: the whole answer is collected, checked and printed as one JSON document.
    public var printsStructured = false
    /// A partial answer cut by an error still ends its line on stdout (a chat's turns are lines).
    public var endsPartialAnswerLine = false
    /// `--raw`: control characters from the model or service reach a terminal as they are.
    public var raw = false

    public init() {}

    /// The policy the query options ask for; `showsProgress` comes from the terminal.
    public init(options: QueryOptions, showsProgress: Bool) {
        json = options.json
        quiet = options.quiet
        verbose = options.verbose
        self.showsProgress = showsProgress
        printsStructured = options.schema != nil
        raw = options.raw
    }

    /// Whether answer text streams to stdout as it arrives.
    public var streamsText: Bool { !json && !printsStructured }
}
