import Foundation

/// A flag another thread raises to stop a running transfer at its next callback (e.g. when stdout's reader is gone).
public final class TransferCancellation: @unchecked Sendable {
    private let lock = NSLock()
    private var cancelled = false

    public init() {}

    public func cancel() { lock.withLock { cancelled = true } }

    public var isCancelled: Bool { lock.withLock { cancelled } }
}
