import FoundationEssentials
import Platform

/// `vq batch --max-cost USD`: requests sent count at their actual cost, requests in flight at their estimate; a
/// request is sent only while spent + in flight + its own estimate stays within the limit. Once one is held back,
/// every later one is too (the batch stops rather than picking smaller items), and `--resume` with a new budget
/// continues. Thread-safe: the batch's jobs share it.
public final class CostBudget: @unchecked Sendable {
    public let limit: Double
    private let lock = Lock()
    private var spent = 0.0
    private var inFlight = 0.0
    private var exhausted = false
    private var heldBack = 0
    private var answers = 0
    private var outputTokens = 0

    public init(limit: Double) { self.limit = limit }

    /// Output tokens to expect of the next answer: `maxTokens` when set (an upper bound), else the mean of the
    /// answers so far (none before the first).
    public func expectedOutputTokens(maxTokens: Int?) -> Int {
        if let maxTokens { return maxTokens }
        return lock.withLock { answers == 0 ? 0 : (outputTokens + answers - 1) / answers }
    }

    /// Reserves `estimate` dollars for a request about to be sent; false (and from then on always false) when it
    /// would take the batch over the limit.
    public func reserve(_ estimate: Double) -> Bool {
        lock.withLock {
            guard !exhausted, spent + inFlight + estimate <= limit + 1e-12 else {
                exhausted = true
                heldBack += 1
                return false
            }
            inFlight += estimate
            return true
        }
    }

    /// The request reserved with `estimate` finished: it counts at `actual` (its estimate when unknown) from now on.
    public func settle(estimate: Double, actual: Double?, outputTokens tokens: Int?) {
        lock.withLock {
            inFlight -= estimate
            spent += actual ?? estimate
            if let tokens {
                answers += 1
                outputTokens += tokens
            }
        }
    }

    /// Dollars spent by the requests sent, requests held back, and whether the budget stopped the batch.
    public var state: (spent: Double, heldBack: Int, stopped: Bool) { lock.withLock { (spent, heldBack, exhausted) } }

    /// The message of a request held back (its line is not written: `--resume` sends it later).
    public static let heldBackMessage = "not sent: --max-cost reached"
}
