/// Timeouts, limits and logging for one transfer.
public struct TransferOptions: Sendable {
    /// Seconds allowed to establish the connection.
    public var connectTimeout: Double = 15
    /// Seconds allowed for the whole transfer, redirects included; nil = no limit.
    public var totalTimeout: Double? = nil
    /// Abort when no byte moves in either direction for this many seconds.
    public var stallTimeout: Double = 60
    public var maxRedirects: Int = 5
    /// Cap on error bodies buffered by callers.
    public var maxBufferedErrorBody: Int = 1 << 20
    /// Receives redacted one-line log messages.
    public var verbose: (@Sendable (String) -> Void)? = nil
    /// Polled while the transfer runs (at least once a second); returning true aborts it (→ TransportError.aborted).
    public var cancelled: (@Sendable () -> Bool)? = nil

    public init() {}
}
