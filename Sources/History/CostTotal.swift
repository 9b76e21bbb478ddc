import FoundationEssentials

/// What `vq logs --cost` groups exchanges by.
public enum CostGrouping: String, CaseIterable, Sendable {
    case model, profile, day
}

/// The summed cost and tokens of one group of logged exchanges (one model, profile or UTC day).
public struct CostTotal: Equatable, Sendable {
    public var key: String
    public var exchanges: Int
    /// Exchanges whose cost is known; the others are left out of `usd`, not counted as free.
    public var priced: Int
    public var usd: Double
    public var promptTokens: Int
    public var completionTokens: Int

    public init(key: String, exchanges: Int, priced: Int, usd: Double, promptTokens: Int, completionTokens: Int) {
        self.key = key
        self.exchanges = exchanges
        self.priced = priced
        self.usd = usd
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
    }
}
