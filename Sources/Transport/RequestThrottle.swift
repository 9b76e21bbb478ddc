import Foundation

/// Paces the requests of a whole batch: an optional steady rate (`--rate N/min`, requests spaced evenly) and a
/// concurrency limit. A 429 slows everyone down: the concurrency limit and the rate halve, every sender waits out
/// the Retry-After; successes win the speed back step by step (additive increase, multiplicative decrease).
public final class RequestThrottle: @unchecked Sendable {
    private let condition = NSCondition()
    private let maxConcurrent: Int
    private let configuredRate: Double?
    /// Requests per second allowed now (nil: no rate limit).
    private var rate: Double?
    private var concurrencyLimit: Int
    private var inFlight = 0
    private var successesSinceIncrease = 0
    private var nextStart = DispatchTime.now().uptimeNanoseconds
    private var pausedUntil: UInt64 = 0
    /// 429s seen; for the summary.
    public private(set) var slowDowns = 0

    /// `perMinute`: the configured rate, or nil for none; `maxConcurrent`: the number of senders (`--jobs`).
    public init(perMinute: Double?, maxConcurrent: Int) {
        precondition(maxConcurrent > 0, "maxConcurrent must be positive")
        self.maxConcurrent = maxConcurrent
        self.configuredRate = perMinute.map { $0 / 60 }
        self.rate = configuredRate
        self.concurrencyLimit = maxConcurrent
    }

    /// Blocks until this request may start.
    public func acquire() {
        condition.lock()
        while true {
            let now = DispatchTime.now().uptimeNanoseconds
            if now < pausedUntil {
                _ = condition.wait(until: Date(timeIntervalSinceNow: Double(pausedUntil - now) / 1e9))
                continue
            }
            if inFlight >= concurrencyLimit {
                condition.wait()
                continue
            }
            break
        }
        inFlight += 1
        var start = DispatchTime.now().uptimeNanoseconds
        if let rate {
            start = max(start, nextStart)
            nextStart = start + UInt64(1e9 / rate)
        }
        condition.unlock()
        let now = DispatchTime.now().uptimeNanoseconds
        if start > now { Thread.sleep(forTimeInterval: Double(start - now) / 1e9) }
    }

    /// Ends a request started with `acquire`: `status` is its HTTP status (nil when the transfer failed),
    /// `retryAfter` the wait a 429 demanded.
    public func release(status: Int?, retryAfter: Double?) {
        condition.lock()
        inFlight -= 1
        if status == 429 {
            slowDowns += 1
            concurrencyLimit = max(1, concurrencyLimit / 2)
            successesSinceIncrease = 0
            if let configuredRate, let current = rate { rate = max(configuredRate / 16, current / 2) }
            let wait = UInt64(min(max(retryAfter ?? 1, 0), 60) * 1e9)
            pausedUntil = max(pausedUntil, DispatchTime.now().uptimeNanoseconds + wait)
        } else if let status, (200..<300).contains(status) {
            successesSinceIncrease += 1
            if successesSinceIncrease >= concurrencyLimit && concurrencyLimit < maxConcurrent {
                concurrencyLimit += 1
                successesSinceIncrease = 0
            }
            if let configuredRate, let current = rate { rate = min(configuredRate, current + configuredRate / 32) }
        }
        condition.broadcast()
        condition.unlock()
    }

    /// The concurrency allowed now (for tests and -v).
    public var currentConcurrencyLimit: Int { condition.lock(); defer { condition.unlock() }; return concurrencyLimit }
}
