import FoundationEssentials

/// Sends through `base` but lets `cancelled` stop a transfer midway: polled as bytes arrive and by the transport at
/// least once a second (through `TransferOptions.cancellation`). A cancelled send throws `TransportError.aborted`.
public struct CancellableHTTPClient: HTTPClient {
    private let base: HTTPClient
    private let cancelled: @Sendable () -> Bool

    public init(base: HTTPClient, cancelled: @escaping @Sendable () -> Bool) {
        self.base = base
        self.cancelled = cancelled
    }

    public func send(
        _ request: HTTPRequest, options: TransferOptions, onHead: (HTTPResponseHead) -> Void,
        onData: (Data) -> Bool
    ) throws(TransportError) -> HTTPResponseHead {
        var options = options
        let cancelled = self.cancelled
        let outer = options.cancellation
        options.cancellation = TransferCancellation { cancelled() || outer?.isCancelled == true }
        return try base.send(request, options: options, onHead: onHead, onData: { data in !cancelled() && onData(data) })
    }
}
