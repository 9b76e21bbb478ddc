import FoundationEssentials
import Platform
import Transport

/// Sends a query again when its stream broke before any text of the answer arrived: nothing was printed, so
/// nothing is duplicated. Up to `retries` more times, with the retry policy's backoff.
public struct CutStreamRetry {
    public let policy: RetryPolicy
    /// Called before each wait (the CLI prints it with -v).
    public let onRetry: (RetryNotice) -> Void
    /// Waits; injectable so tests need not sleep.
    public let wait: (Double) -> Void

    public init(
        policy: RetryPolicy, onRetry: @escaping (RetryNotice) -> Void = { _ in },
        wait: @escaping (Double) -> Void = { BackgroundThread.sleep(seconds: $0) }
    ) {
        self.policy = policy
        self.onRetry = onRetry
        self.wait = wait
    }

    /// Runs `attempt` until it succeeds, fails for another reason, or the retries are used up.
    public func run<T>(_ attempt: () throws(VQError) -> T) throws(VQError) -> T {
        var number = 1
        while true {
            do {
                return try attempt()
            } catch {
                guard error.isRetryableBeforeAnswer, number <= policy.retries else { throw error }
                let delay = policy.backoff(attempt: number)
                onRetry(
                    RetryNotice(
                        reason: "a stream cut before the answer began", delay: delay, attempt: number + 1,
                        maxAttempts: policy.retries + 1))
                wait(delay)
                number += 1
            }
        }
    }
}
