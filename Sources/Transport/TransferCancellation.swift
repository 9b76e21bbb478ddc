import FoundationEssentials
import Platform

/// A flag another thread raises to stop a running transfer at its next callback (e.g. when stdout's reader is gone).
public final class TransferCancellation: @unchecked Sendable {
    private let lock = Lock()
    private var cancelled = false

    /// Also cancelled whenever `polling` says so (a flag a signal handler raised, such as Ctrl-C in `vq chat`);
    /// transfers ask at least once a second.
    private let polling: (@Sendable () -> Bool)?

    public init(polling: (@Sendable () -> Bool)? = nil) { self.polling = polling }

    public func cancel() { lock.withLock { cancelled = true } }

    public var isCancelled: Bool { lock.withLock { cancelled } || polling?() == true }
}
