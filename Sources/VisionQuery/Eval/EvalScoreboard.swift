import FoundationEssentials
import TextFormatting

/// The per-profile score table of `vq eval`: cases, passed, errors, pass rate, mean latency, tokens, cost.
public struct EvalScoreboard: Sendable {
    /// One profile's totals.
    public struct Row: Equatable, Sendable {
        public var profile: String
        public var cases = 0
        public var passed = 0
        public var errors = 0
        public var latency = 0.0
        public var promptTokens = 0
        public var completionTokens = 0
        public var usd = 0.0
        /// Cases whose cost is unknown (left out of `usd`).
        public var unknownCost = 0

        /// Passed over cases asked (errors count as not passed).
        public var passRate: Double { cases == 0 ? 0 : Double(passed) / Double(cases) }
        public var meanLatency: Double { cases == 0 ? 0 : latency / Double(cases) }
    }

    public private(set) var rows: [Row]

    /// Rows in the order the profiles were given.
    public init(profiles: [String], results: [EvalResult]) {
        rows = profiles.map { profile in
            var row = Row(profile: profile)
            for result in results where result.profile == profile {
                row.cases += 1
                if result.passed { row.passed += 1 }
                if result.error != nil { row.errors += 1 }
                row.latency += result.latency
                row.promptTokens += result.usage?.promptTokens ?? 0
                row.completionTokens += result.usage?.completionTokens ?? 0
                if let usd = result.cost?.usd { row.usd += usd } else { row.unknownCost += 1 }
            }
            return row
        }
    }

    /// The lowest pass rate of any profile (what `--min-score` is held against).
    public var lowestPassRate: Double { rows.map(\.passRate).min() ?? 0 }

    /// Header and one row per profile, for a text table.
    public var table: [[String]] {
        [["PROFILE", "PASSED", "SCORE", "ERRORS", "MEAN LATENCY", "TOKENS IN/OUT", "COST (USD)"]]
            + rows.map { row in
                [
                    row.profile, "\(row.passed)/\(row.cases)", "\(DecimalText.fixed(row.passRate * 100, places: 1))%", String(row.errors),
                    "\(DecimalText.fixed(row.meanLatency, places: 2)) s", "\(row.promptTokens)/\(row.completionTokens)",
                    row.cases == row.unknownCost
                        ? "unknown" : Cost.dollars(CostCalculator.rounded(row.usd)) + (row.unknownCost > 0 ? " + \(row.unknownCost) unknown" : ""),
                ]
            }
    }

    /// `{"PROFILE":{"cases","passed","errors","score","mean_latency_s","prompt_tokens","completion_tokens","usd","unknown_cost"}}`.
    public var jsonObject: [String: Any] {
        Dictionary(
            uniqueKeysWithValues: rows.map { row in
                (
                    row.profile,
                    [
                        "cases": row.cases, "passed": row.passed, "errors": row.errors, "score": row.passRate,
                        "mean_latency_s": (row.meanLatency * 1000).rounded() / 1000, "prompt_tokens": row.promptTokens,
                        "completion_tokens": row.completionTokens, "usd": CostCalculator.rounded(row.usd), "unknown_cost": row.unknownCost,
                    ] as [String: Any]
                )
            })
    }
}
