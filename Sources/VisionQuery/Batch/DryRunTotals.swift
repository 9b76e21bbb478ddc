import FoundationEssentials
import Platform

/// Request count, bytes and estimated input tokens a batch dry run would send, summed across threads.
final class DryRunTotals: @unchecked Sendable {
    private let lock = Lock()
    private var requests = 0
    private var bytes = 0
    private var failures = 0
    private var tokens = 0
    private var uncounted = 0
    private var usd = 0.0
    private var unknownCost: Cost?

    func add(requestBytes: Int, tokens estimate: TokenEstimate, cost: Cost) {
        lock.withLock {
            if let dollars = cost.usd { usd += dollars } else { unknownCost = cost }
            requests += 1
            bytes += requestBytes
            tokens += estimate.total
            uncounted += estimate.unknownImages
        }
    }
    /// The whole batch's estimated cost: unknown when any request's is.
    var cost: Cost {
        lock.withLock {
            if let unknownCost { return unknownCost }
            var total = Cost(unknown: "")
            total.usd = CostCalculator.rounded(usd)
            total.estimated = true
            return total
        }
    }
    func addFailure() { lock.withLock { failures += 1 } }
    var values: (requests: Int, bytes: Int, failures: Int, tokens: Int, uncounted: Int) {
        lock.withLock { (requests, bytes, failures, tokens, uncounted) }
    }
}
