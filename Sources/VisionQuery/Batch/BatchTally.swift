import FoundationEssentials
import Platform
import TextFormatting

/// Counts a batch's results as they arrive and words the progress line and the summary.
public final class BatchTally: @unchecked Sendable {
    private let lock = Lock()
    private let started = Date()
    public let total: Int
    public private(set) var succeeded = 0
    public private(set) var failed = 0
    private var promptTokens = 0
    private var completionTokens = 0
    private var usd = 0.0
    /// Results sent whose cost is unknown (no price, no token counts): never added as 0.
    private var unknownCost = 0
    private var lastProgress = Date.distantPast
    /// When the first result arrived: the rate (and so the ETA) is measured from there, not from start-up, whose
    /// image preparation and first round trip would make the first estimate several times too long.
    private var firstResult: Date?

    public init(total: Int) { self.total = total }

    /// Records one result; returns a progress line when one is due (at most four a second, and the last one), in a
    /// full and a short form (for a narrow terminal).
    public func record(_ result: BatchResult, now: Date = Date()) -> (full: String, short: String)? {
        lock.withLock {
            if result.succeeded { succeeded += 1 } else { failed += 1 }
            promptTokens += result.usage?.promptTokens ?? 0
            completionTokens += result.usage?.completionTokens ?? 0
            if let cost = result.cost {
                if let dollars = cost.usd { usd += dollars } else { unknownCost += 1 }
            }
            let done = succeeded + failed
            let first = firstResult ?? now
            firstResult = first
            guard now.timeIntervalSince(lastProgress) >= 0.25 || done == total else { return nil }
            lastProgress = now
            // Completions after the first, over the time since the first: the pace of the batch once it runs.
            let span = now.timeIntervalSince(first)
            let rate = done > 1 && span > 0 ? Double(done - 1) / span : 0
            var full = "batch: \(done)/\(total) done, \(failed) failed"
            var short = "\(done)/\(total), \(failed) failed"
            if rate > 0 { full += ", " + "\(DecimalText.fixed(rate, places: 1))/s" }
            if rate > 0 && done < total {
                let eta = Self.duration(Double(total - done) / rate)
                full += ", ETA " + eta
                short += ", ETA " + eta
            }
            return (full, short)
        }
    }

    /// Dollars spent so far by the results recorded, and how many of them cost an unknown amount.
    public var spent: (usd: Double, unknown: Int) { lock.withLock { (usd, unknownCost) } }

    /// "batch: 198 succeeded, 2 failed, tokens: 3400 in, 1400 out, cost: $0.0123, 12.3 s"
    public func summary(skipped: [String]) -> String {
        lock.withLock {
            var parts = ["\(succeeded) succeeded", "\(failed) failed"] + skipped
            parts.append("tokens: \(promptTokens) in, \(completionTokens) out")
            if usd > 0 || unknownCost > 0 {
                parts.append(
                    "cost: " + (usd > 0 || unknownCost == 0 ? Cost.dollars(CostCalculator.rounded(usd)) : "unknown")
                        + (unknownCost > 0 && usd > 0 ? " + \(unknownCost) unknown" : ""))
            }
            parts.append(Self.duration(Date().timeIntervalSince(started)))
            return "batch: " + parts.joined(separator: ", ")
        }
    }

    public static func duration(_ seconds: Double) -> String {
        if seconds < 60 { return "\(DecimalText.fixed(seconds, places: 1)) s" }
        let whole = Int(seconds.rounded())
        if whole < 3600 { return "\(whole / 60)m \(whole % 60)s" }
        return "\(whole / 3600)h \(whole % 3600 / 60)m"
    }
}
