import FoundationEssentials
import Glibc
import TextFormatting

/// What an exchange cost (or will cost) in US dollars, or why that is unknown: never a made-up 0.
public struct Cost: Equatable, Sendable {
    /// nil when unknown.
    public var usd: Double?
    /// Why the cost is unknown.
    public var unknownReason: String?
    /// Where the price came from: the bundled table's date or the config file.
    public var priceOrigin: String?
    public var priceDetail: String?
    /// From token estimates before sending (`--dry-run`, `--max-cost`), not from the service's usage report.
    public var estimated = false

    public init(usd: Double, quote: PriceQuote, estimated: Bool = false) {
        self.usd = usd
        self.priceOrigin = quote.origin
        self.priceDetail = quote.detail
        self.estimated = estimated
    }

    public init(unknown reason: String) { unknownReason = reason }

    /// A cost read back from a result line: its dollars and the `prices` text it was counted with.
    public init(usd: Double, prices: String) {
        self.usd = usd
        let parts = prices.split(separator: " ", maxSplits: 1).map(String.init)
        priceOrigin = parts.first
        priceDetail = parts.count > 1 ? parts[1] : nil
    }

    /// `{"usd":0.000417,"prices":"bundled 2026-12-06"}`, or `{"usd":"unknown","reason":"…"}`.
    public var jsonObject: [String: Any] {
        guard let usd else { return ["usd": "unknown", "reason": unknownReason ?? "unknown"] }
        var object: [String: Any] = ["usd": usd, "prices": pricesText ?? ""]
        if estimated { object["estimated"] = true }
        return object
    }

    /// One of `parts` equal shares (each image of a request that carried several).
    public func share(of parts: Int) -> Cost {
        guard let usd, parts > 1 else { return self }
        var share = self
        share.usd = CostCalculator.rounded(usd / Double(parts))
        return share
    }

    /// "bundled 2026-12-06" or "config /path/config.toml"; nil when the cost is unknown.
    public var pricesText: String? { priceOrigin.map { "\($0) \(priceDetail ?? "")" } }

    /// "$0.000417", "~$1.23" for an estimate, "unknown" when unknown.
    public var text: String {
        guard let usd else { return "unknown" }
        return (estimated ? "~" : "") + Self.dollars(usd)
    }

    /// Dollars with about three significant digits below a cent and cents above: "$0.000417", "$12.35".
    public static func dollars(_ usd: Double) -> String {
        guard usd > 0 else { return "$0" }
        let decimals = min(8, max(2, 2 - Int(floor(log10(usd)))))
        var text = DecimalText.fixed(usd, places: decimals)
        while decimals > 2 && text.hasSuffix("0") && text.split(separator: ".").last.map({ $0.count > 2 }) == true { text.removeLast() }
        return "$" + text
    }
}
