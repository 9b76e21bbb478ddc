import FoundationEssentials

/// Timeouts, limits and logging for one transfer.
public struct TransferOptions: Sendable {
    /// Seconds allowed to establish the connection.
    public var connectTimeout: Double = 15
    /// Seconds allowed for the whole transfer, redirects included; nil = no limit.
    public var totalTimeout: Double? = nil
    /// Abort when no byte moves in either direction for this many seconds (with `contentActivity`: when the answer
    /// has not moved on, whatever bytes arrive).
    public var stallTimeout: Double = 60
    /// Set by a reader that knows what counts as progress (a streamed answer): only its touches, not received bytes,
    /// reset the stall timer.
    public var contentActivity: ContentActivity? = nil
    public var maxRedirects: Int = 5
    /// Cap on error bodies buffered by callers.
    public var maxBufferedErrorBody: Int = 1 << 20
    /// Receives redacted one-line log messages.
    public var verbose: (@Sendable (String) -> Void)? = nil
    /// CA bundle and client certificate; empty keeps the system store.
    public var tls = TLSSettings()
    /// Which proxy a URL goes through; by default what libcurl would pick from this process's environment.
    public var proxy = ProxyRules(environment: ProcessInfo.processInfo.environment)
    /// Unix domain socket every connection goes to instead of TCP (CURLOPT_UNIX_SOCKET_PATH); proxies are not used.
    public var unixSocket: String? = nil
    /// Called for each extra attempt a lower layer makes on its own (a 429 the batch's throttle absorbed).
    public var onExtraAttempt: (@Sendable () -> Void)? = nil
    /// Raised by another thread to stop the transfer (→ TransportError.aborted).
    public var cancellation: TransferCancellation? = nil

    public init() {}
}
