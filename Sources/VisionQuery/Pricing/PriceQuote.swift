import FoundationEssentials

/// A price vq will use and where it comes from: the bundled table (with its date) or the config file.
public struct PriceQuote: Equatable, Sendable {
    public var price: ModelPrice
    /// "bundled" or "config".
    public var origin: String
    /// The bundled table's date, or the config file's path.
    public var detail: String

    public init(price: ModelPrice, origin: String, detail: String) {
        self.price = price
        self.origin = origin
        self.detail = detail
    }
}
