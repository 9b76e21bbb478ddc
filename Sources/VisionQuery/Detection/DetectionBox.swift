/// An axis-aligned box in pixels: left, top, right, bottom (continuous coordinates, 0 at the top-left edge).
public struct DetectionBox: Sendable, Equatable {
    public var xMin: Double
    public var yMin: Double
    public var xMax: Double
    public var yMax: Double

    public init(xMin: Double, yMin: Double, xMax: Double, yMax: Double) {
        self.xMin = xMin
        self.yMin = yMin
        self.xMax = xMax
        self.yMax = yMax
    }
}
