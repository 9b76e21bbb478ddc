import Foundation

/// Counts the attempts made through it (one per call to `send`), for a batch line's `attempts`.
public final class AttemptCountingClient: HTTPClient, @unchecked Sendable {
    private let base: HTTPClient
    private let lock = NSLock()
    private var count = 0

    public init(base: HTTPClient) { self.base = base }

    public var attempts: Int { lock.withLock { count } }

    public func send(_ request: HTTPRequest, options: TransferOptions, onHead: (HTTPResponseHead) -> Void,
                     onData: (Data) -> Bool) throws(TransportError) -> HTTPResponseHead {
        lock.withLock { count += 1 }
        return try base.send(request, options: options, onHead: onHead, onData: onData)
    }
}
