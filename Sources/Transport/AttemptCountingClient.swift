import FoundationEssentials
import Platform

/// Counts the attempts made through it (one per call to `send`, plus those a lower layer makes on its own), for a
/// batch line's `attempts`.
public final class AttemptCountingClient: HTTPClient, @unchecked Sendable {
    private let base: HTTPClient
    private let lock = Lock()
    private var count = 0

    public init(base: HTTPClient) { self.base = base }

    public var attempts: Int { lock.withLock { count } }

    public func send(
        _ request: HTTPRequest, options: TransferOptions, onHead: (HTTPResponseHead) -> Void,
        onData: (Data) -> Bool
    ) throws(TransportError) -> HTTPResponseHead {
        lock.withLock { count += 1 }
        var counted = options
        let outer = options.onExtraAttempt
        counted.onExtraAttempt = { [self] in
            lock.withLock { count += 1 }
            outer?()
        }
        return try base.send(request, options: counted, onHead: onHead, onData: onData)
    }
}
