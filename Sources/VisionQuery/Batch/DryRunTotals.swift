import Foundation

/// Request count, bytes and estimated input tokens a batch dry run would send, summed across threads.
final class DryRunTotals: @unchecked Sendable {
    private let lock = NSLock()
    private var requests = 0
    private var bytes = 0
    private var failures = 0
    private var tokens = 0
    private var uncounted = 0

    func add(requestBytes: Int, tokens estimate: TokenEstimate) {
        lock.withLock {
            requests += 1
            bytes += requestBytes
            tokens += estimate.total
            uncounted += estimate.unknownImages
        }
    }
    func addFailure() { lock.withLock { failures += 1 } }
    var values: (requests: Int, bytes: Int, failures: Int, tokens: Int, uncounted: Int) {
        lock.withLock { (requests, bytes, failures, tokens, uncounted) }
    }
}
