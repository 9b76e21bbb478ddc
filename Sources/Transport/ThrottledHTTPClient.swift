import FoundationEssentials
import TextFormatting

/// An HTTPClient whose every attempt waits for the throttle and reports its status back to it. A 429 that the
/// throttle absorbs (the batch still makes progress) is never shown to the caller: the request waits for the
/// slow-down and goes again, so a per-minute limit costs time, not the request's own retries.
public struct ThrottledHTTPClient: HTTPClient {
    public let base: HTTPClient
    public let throttle: RequestThrottle
    /// Longest Retry-After absorbed; a longer demand is handed to the caller (whose retry policy refuses it).
    public let maxWait: Double

    public init(base: HTTPClient, throttle: RequestThrottle, maxWait: Double = 60) {
        self.base = base
        self.throttle = throttle
        self.maxWait = maxWait
    }

    public func send(
        _ request: HTTPRequest, options: TransferOptions, onHead: (HTTPResponseHead) -> Void,
        onData: (Data) -> Bool
    ) throws(TransportError) -> HTTPResponseHead {
        while true {
            throttle.acquire()
            var absorbed = false
            let head: HTTPResponseHead
            do {
                head = try base.send(
                    request, options: options,
                    onHead: { head in
                        absorbed = head.status == 429 && (RetryPolicy.demandedWait(head.headers) ?? 0) <= maxWait && throttle.absorbsRateLimits
                        if !absorbed { onHead(head) }
                    }, onData: { chunk in absorbed ? true : onData(chunk) })
            } catch {
                throttle.release(status: nil, retryAfter: nil)
                throw error
            }
            let wait = RetryPolicy.demandedWait(head.headers)
            throttle.release(status: head.status, retryAfter: wait)
            guard absorbed else { return head }
            options.onExtraAttempt?()
            options.verbose?(
                "HTTP 429: the batch slows down; this request goes again after \(DecimalText.fixed(min(max(wait ?? 1, 0), 60), places: 1)) s"
                    + " (not counted against --retries)")
        }
    }
}
