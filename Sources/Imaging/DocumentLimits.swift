/// Limits a PDF is checked against from what it declares, before any page is rendered (PDF-bomb defence).
public struct DocumentLimits: Sendable, Equatable {
    /// Most pages accepted.
    public var maxPages: Int
    /// Longest page side accepted, in points: the PDF specification's largest page is 14,400 units a side.
    public var maxPageSide: Double
    /// Pages are rendered at this resolution when the preparation options allow more pixels (a small page is
    /// not blown up to fill `maxSide`).
    public var maxDPI: Double

    public init(maxPages: Int = 5_000, maxPageSide: Double = 14_400, maxDPI: Double = 300) {
        precondition(maxPages > 0 && maxPageSide > 0 && maxDPI > 0, "document limits must be positive")
        self.maxPages = maxPages
        self.maxPageSide = maxPageSide
        self.maxDPI = maxDPI
    }

    public static let `default` = DocumentLimits()
}
