import FoundationEssentials
import History
import Platform

/// `vq logs --cost`: the totals as table rows (a TOTAL row last) or one JSON object; exchanges of unknown cost are
/// named as such, never added as 0.
public enum CostTotalsReport {
    /// Header, one row per group, and the TOTAL row.
    public static func rows(_ totals: [CostTotal], by grouping: CostGrouping) -> [[String]] {
        let header = [grouping.rawValue.uppercased(), "EXCHANGES", "INPUT TOKENS", "OUTPUT TOKENS", "COST (USD)"]
        let all = CostTotal(
            key: "TOTAL", exchanges: totals.reduce(0) { $0 + $1.exchanges }, priced: totals.reduce(0) { $0 + $1.priced },
            usd: totals.reduce(0) { $0 + $1.usd }, promptTokens: totals.reduce(0) { $0 + $1.promptTokens },
            completionTokens: totals.reduce(0) { $0 + $1.completionTokens })
        return [header]
            + (totals + [all]).map { total in
                [total.key.isEmpty ? "-" : total.key, String(total.exchanges), String(total.promptTokens), String(total.completionTokens), cost(total)]
            }
    }

    /// "$0.0123", "$0.0123 + 2 unknown", "unknown (3)".
    static func cost(_ total: CostTotal) -> String {
        let unknown = total.exchanges - total.priced
        guard total.priced > 0 else { return "unknown (\(unknown))" }
        return Cost.dollars(CostCalculator.rounded(total.usd)) + (unknown > 0 ? " + \(unknown) unknown" : "")
    }

    /// `{"by":"model","since":…,"groups":[{"key","exchanges","priced","unknown","usd","prompt_tokens","completion_tokens"}],"usd":…,"unknown":N}`.
    public static func object(_ totals: [CostTotal], by grouping: CostGrouping, since: Date?) -> [String: Any] {
        let groups: [[String: Any]] = totals.map { total in
            [
                "key": total.key, "exchanges": total.exchanges, "priced": total.priced, "unknown": total.exchanges - total.priced,
                "usd": CostCalculator.rounded(total.usd), "prompt_tokens": total.promptTokens, "completion_tokens": total.completionTokens,
            ]
        }
        return [
            "by": grouping.rawValue, "since": since.map { HistoryTimestamp.text($0, milliseconds: false) } ?? JSONNull(), "groups": groups,
            "usd": CostCalculator.rounded(totals.reduce(0) { $0 + $1.usd }),
            "unknown": totals.reduce(0) { $0 + $1.exchanges - $1.priced },
        ]
    }
}
