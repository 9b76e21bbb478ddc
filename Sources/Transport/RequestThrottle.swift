import Dispatch
import FoundationEssentials
import Platform

/// Paces the requests of a whole batch: an optional steady rate (`--rate N/min`, requests spaced evenly) and a
/// concurrency limit. A 429 slows everyone down: the concurrency limit and the rate halve, every sender waits out
/// the Retry-After; successes win the speed back step by step (additive increase, multiplicative decrease).
/// A 429 that does not say when to come back (no Retry-After), with no `--rate` given, sets a rate learnt from the
/// service: the successes of the last minute, so a per-minute limit is met instead of probed; each success then
/// raises it by 3 %. While the batch makes progress (a request succeeded within `progressWindow` seconds, or the
/// batch is younger than that), a 429 is the batch's to absorb: the request is sent again without using up its own
/// retries.
public final class RequestThrottle: @unchecked Sendable {
    private let condition = Condition()
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
    /// Seconds without a success after which 429s count against each request's retries again.
    public let progressWindow: Double
    /// The last success, or the start of the batch before the first one.
    private var lastProgress = DispatchTime.now().uptimeNanoseconds
    /// Successes per second of the last minute, for the learnt rate: a ring of 60 one-second buckets.
    private var successCounts = [Int](repeating: 0, count: 60)
    private var successSeconds = [UInt64](repeating: 0, count: 60)

    /// `perMinute`: the configured rate, or nil for none; `maxConcurrent`: the number of senders (`--jobs`).
    /// `progressWindow` should outlast a per-minute limit's window and the longest Retry-After honoured.
    public init(perMinute: Double?, maxConcurrent: Int, progressWindow: Double = 120) {
        precondition(maxConcurrent > 0, "maxConcurrent must be positive")
        self.progressWindow = progressWindow
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
                condition.wait(seconds: Double(pausedUntil - now) / 1e9)
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
        if start > now { BackgroundThread.sleep(seconds: Double(start - now) / 1e9) }
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
            if let configuredRate, let current = rate {
                rate = max(configuredRate / 16, current / 2)
            } else if configuredRate == nil && retryAfter == nil {
                let lastMinute = successesInLastMinute()
                if lastMinute > 0 { rate = min(rate ?? .infinity, Double(lastMinute) / 60) }
            }
            let wait = UInt64(min(max(retryAfter ?? 1, 0), 60) * 1e9)
            pausedUntil = max(pausedUntil, DispatchTime.now().uptimeNanoseconds + wait)
        } else if let status, (200..<300).contains(status) {
            lastProgress = DispatchTime.now().uptimeNanoseconds
            countSuccess(at: lastProgress)
            successesSinceIncrease += 1
            if successesSinceIncrease >= concurrencyLimit && concurrencyLimit < maxConcurrent {
                concurrencyLimit += 1
                successesSinceIncrease = 0
            }
            if let configuredRate, let current = rate {
                rate = min(configuredRate, current + configuredRate / 32)
            } else if let current = rate {
                rate = current * 1.03
            }
        }
        condition.broadcast()
        condition.unlock()
    }

    /// Whether a 429 now is absorbed by the batch's slow-down (sent again, not counted against the request's retries).
    public var absorbsRateLimits: Bool {
        condition.lock()
        defer { condition.unlock() }
        return Double(DispatchTime.now().uptimeNanoseconds - lastProgress) / 1e9 < progressWindow
    }

    private func countSuccess(at time: UInt64) {
        let second = time / 1_000_000_000
        let slot = Int(second % 60)
        if successSeconds[slot] != second {
            successSeconds[slot] = second
            successCounts[slot] = 0
        }
        successCounts[slot] += 1
    }

    private func successesInLastMinute() -> Int {
        let now = DispatchTime.now().uptimeNanoseconds / 1_000_000_000
        return (0..<60).reduce(0) { sum, slot in now - successSeconds[slot] < 60 ? sum + successCounts[slot] : sum }
    }

    /// Requests per minute allowed now, configured or learnt (nil: no rate limit); for tests and -v.
    public var currentRatePerMinute: Double? {
        condition.lock()
        defer { condition.unlock() }
        return rate.map { $0 * 60 }
    }

    /// The concurrency allowed now (for tests and -v).
    public var currentConcurrencyLimit: Int {
        condition.lock()
        defer { condition.unlock() }
        return concurrencyLimit
    }
}
