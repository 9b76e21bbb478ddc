/// How far the loading of one request's inputs has got, for a front end that shows it against a total (an MCP
/// call's progress notifications): `done` of `total` inputs, a PDF rendered page by page counting in fractions of one.
public struct PreparationProgress: Sendable, Equatable {
    /// Inputs prepared so far: 1.5 while the second input is a PDF half rendered.
    public var done: Double
    /// The request's inputs.
    public var total: Int
    /// What was just prepared: "a.png prepared", "report.pdf: page 3 of 12 rendered".
    public var message: String
}
