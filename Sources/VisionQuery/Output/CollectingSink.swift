import FoundationEssentials
import Platform
import Transport

/// A run sink that keeps what a run says instead of printing it: the answer text it would print, and its warnings
/// and errors. `vq compare` and `vq eval` run several exchanges at once, each into its own, and show the results
/// together afterwards.
public final class CollectingSink: RunSink, @unchecked Sendable {
    private let lock = Lock()
    private var text = ""
    private var lines: [String] = []
    public let stdoutCancellation = TransferCancellation()

    public init() {}

    /// What was written to stdout.
    public var output: String { lock.withLock { text } }
    /// Warnings and errors, as `vq: warning: …` lines would say them.
    public var messages: [String] { lock.withLock { lines } }

    @discardableResult public func out(_ text: String) -> Bool {
        lock.withLock { self.text += text }
        return true
    }
    public func error(_ message: String) { lock.withLock { lines.append("error: " + message) } }
    public func warning(_ message: String) { lock.withLock { lines.append("warning: " + message) } }
    public func notice(_ message: String) {}
    public func debug(_ message: String) {}
    public func progress(_ message: String) {}
    public func endProgress() {}
    public func apply(_ policy: OutputPolicy) {}
}
