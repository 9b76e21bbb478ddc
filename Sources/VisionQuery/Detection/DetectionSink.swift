import FoundationEssentials
import Platform
import Transport

/// The sink a detection's exchange writes to: everything for stderr passes through, the checked answer the exchange
/// would print is kept (the detection prints its own JSON), and a dry run's request passes through as it is.
final class DetectionSink: RunSink, @unchecked Sendable {
    let base: RunSink
    let passesAnswer: Bool
    private let lock = Lock()
    private var kept = ""

    init(base: RunSink, passesAnswer: Bool) {
        self.base = base
        self.passesAnswer = passesAnswer
    }

    @discardableResult func out(_ text: String) -> Bool {
        if passesAnswer { return base.out(text) }
        lock.withLock { kept += text }
        return true
    }

    func error(_ message: String) { base.error(message) }
    func warning(_ message: String) { base.warning(message) }
    func notice(_ message: String) { base.notice(message) }
    func debug(_ message: String) { base.debug(message) }
    func progress(_ message: String) { base.progress(message) }
    func prepared(_ progress: PreparationProgress) { base.prepared(progress) }
    func endProgress() { base.endProgress() }
    func apply(_ policy: OutputPolicy) { base.apply(policy) }
    var stdoutCancellation: TransferCancellation { base.stdoutCancellation }
}
