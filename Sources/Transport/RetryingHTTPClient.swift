import FoundationEssentials
import Platform

/// Wraps a client with the retry policy. A response is retried only when its head says so (a retryable
/// status) or the connection failed before any body byte reached the caller: once an answer has started
/// streaming, it is never sent again. The final failing response (head and body) is passed on as is.
public struct RetryingHTTPClient: HTTPClient {
    public let base: HTTPClient
    public let policy: RetryPolicy
    /// Called before each wait; the CLI prints it with -v.
    public let onRetry: @Sendable (RetryNotice) -> Void
    /// Waits; injectable so tests need not sleep.
    public let wait: @Sendable (Double) -> Void
    /// Reads a wait the service demands in a failure's body (Gemini's `RetryInfo.retryDelay`), honoured like Retry-After.
    public var demandedWaitInBody: @Sendable (Data) -> Double? = { _ in nil }

    public init(
        base: HTTPClient, policy: RetryPolicy, onRetry: @escaping @Sendable (RetryNotice) -> Void = { _ in },
        wait: @escaping @Sendable (Double) -> Void = { BackgroundThread.sleep(seconds: $0) }
    ) {
        self.base = base
        self.policy = policy
        self.onRetry = onRetry
        self.wait = wait
    }

    public func send(
        _ request: HTTPRequest, options: TransferOptions, onHead: (HTTPResponseHead) -> Void,
        onData: (Data) -> Bool
    ) throws(TransportError) -> HTTPResponseHead {
        let deadline = options.totalTimeout.map { Date().addingTimeInterval($0) }
        let maxAttempts = policy.retries + 1
        var attempt = 1
        while true {
            var attemptOptions = options
            if let deadline {
                let remaining = deadline.timeIntervalSinceNow
                if remaining <= 0 { throw .timedOut("gave up after \(attempt - 1) attempt(s): the --timeout ran out") }
                attemptOptions.totalTimeout = remaining
            }
            var heldBack = false  // this attempt's response is a retryable failure kept from the caller
            var delivered = false  // a byte of the answer has reached the caller: no more retries
            var held = Data()
            let head: HTTPResponseHead
            do {
                head = try base.send(
                    request, options: attemptOptions,
                    onHead: { head in
                        if attempt < maxAttempts && RetryPolicy.retryableStatuses.contains(head.status)
                            && (RetryPolicy.demandedWait(head.headers) ?? 0) <= policy.maxWait
                        {
                            heldBack = true
                        } else {
                            onHead(head)
                        }
                    },
                    onData: { chunk in
                        if heldBack {
                            if held.count < options.maxBufferedErrorBody { held.append(chunk) }
                            return true
                        }
                        delivered = true
                        return onData(chunk)
                    })
            } catch {
                guard !delivered, !heldBack, attempt < maxAttempts, RetryPolicy.isRetryable(error) else { throw error }
                let delay = policy.backoff(attempt: attempt)
                guard fits(delay, before: deadline) else { throw error }
                announce("\(error)", delay: delay, attempt: attempt, maxAttempts: maxAttempts, options: options)
                wait(delay)
                attempt += 1
                continue
            }
            guard heldBack else { return head }
            let demanded = RetryPolicy.demandedWait(head.headers) ?? demandedWaitInBody(held)
            let delay = demanded ?? policy.backoff(attempt: attempt)
            guard fits(delay, before: deadline), (demanded ?? 0) <= policy.maxWait else {
                // No time left to wait: hand the failure on as if it had not been held back.
                onHead(head)
                if !held.isEmpty { _ = onData(held) }
                return head
            }
            announce("HTTP \(head.status)", delay: delay, attempt: attempt, maxAttempts: maxAttempts, options: options)
            wait(delay)
            attempt += 1
        }
    }

    private func fits(_ delay: Double, before deadline: Date?) -> Bool {
        guard let deadline else { return true }
        return Date().addingTimeInterval(delay) < deadline
    }

    private func announce(_ reason: String, delay: Double, attempt: Int, maxAttempts: Int, options: TransferOptions) {
        onRetry(RetryNotice(reason: reason, delay: delay, attempt: attempt + 1, maxAttempts: maxAttempts))
    }
}
