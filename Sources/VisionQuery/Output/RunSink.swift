import FoundationEssentials
import Transport

/// Where a run writes: the answer to stdout, everything a person should read to stderr. One writer owns both, so
/// concurrent batch jobs never interleave lines; `vq`'s terminal console is one, a test's recorder another.
public protocol RunSink: AnyObject, Sendable {
    /// Answer text to stdout, written at once; false when stdout's reader went away.
    @discardableResult func out(_ text: String) -> Bool
    /// `vq: error: …`
    func error(_ message: String)
    /// `vq: warning: …`, unless quiet.
    func warning(_ message: String)
    /// A line for the person at the terminal, unless quiet.
    func notice(_ message: String)
    /// A -v line.
    func debug(_ message: String)
    /// Redraws the one progress line, where the policy lets one be drawn.
    func progress(_ message: String)
    /// The same, with a shorter form for a narrow terminal.
    func progress(_ message: String, short: String)
    /// Removes the progress line.
    func endProgress()
    /// Takes the policy's quiet, verbose and progress settings.
    func apply(_ policy: OutputPolicy)
    /// Raised when stdout's reader goes away, so a transfer nobody reads stops.
    var stdoutCancellation: TransferCancellation { get }
    /// The `--json` result object of an exchange, before it is printed: a sink that keeps it as data (an MCP tool
    /// call) returns true and nothing is printed.
    func takeResult(_ object: [String: Any]) -> Bool
    /// How far the inputs' preparation has got, as a fraction (a terminal shows its -v lines instead).
    func prepared(_ progress: PreparationProgress)
}

extension RunSink {
    /// A sink that does not fit lines to a width shows the full form.
    public func progress(_ message: String, short: String) { progress(message) }
    /// A sink that prints takes no result object: it is printed as one JSON line.
    public func takeResult(_ object: [String: Any]) -> Bool { false }
    public func prepared(_ progress: PreparationProgress) {}
}
