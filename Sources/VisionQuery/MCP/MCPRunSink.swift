import FoundationEssentials
import Platform
import Transport

/// The `RunSink` of one MCP tool call: stdout carries the protocol, so the run's output (the result object, as
/// with `--json`, kept as data) is collected here; warnings are kept for the result, progress lines become progress notifications.
final class MCPRunSink: RunSink, @unchecked Sendable {
    private let lock = Lock()
    private var collected = ""
    private var resultObject: [String: Any]?
    private var warningLines: [String] = []
    private let call: MCPCall

    init(call: MCPCall) { self.call = call }

    /// Everything the run printed to "stdout".
    var output: String { lock.withLock { collected } }
    /// The exchange's result object (as `vq --json` prints it), kept as data.
    var result: [String: Any]? { lock.withLock { resultObject } }
    /// The warnings a person would have seen on stderr.
    var warnings: [String] { lock.withLock { warningLines } }

    @discardableResult func out(_ text: String) -> Bool {
        lock.withLock { collected += text }
        return true
    }

    func takeResult(_ object: [String: Any]) -> Bool {
        lock.withLock { resultObject = object }
        return true
    }

    func error(_ message: String) { lock.withLock { warningLines.append(message) } }
    func warning(_ message: String) { lock.withLock { warningLines.append(message) } }
    func notice(_ message: String) { call.progress(message) }
    func debug(_ message: String) {}
    func progress(_ message: String) { call.progress(message) }
    func prepared(_ progress: PreparationProgress) { call.progress(progress.message, done: progress.done, total: progress.total) }
    func endProgress() {}
    func apply(_ policy: OutputPolicy) {}
    var stdoutCancellation: TransferCancellation { call.cancellation }
}
