/// A width and height in pixels, with the arithmetic for fitting into limits.
public struct PixelSize: Equatable, Sendable, CustomStringConvertible {
    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    var pixels: Int { width * height }
    var longSide: Int { max(width, height) }
    public var swapped: PixelSize { PixelSize(width: height, height: width) }
    public var description: String { "\(width)x\(height)" }

    /// The largest size with this aspect ratio that has no side over `maxSide` and at most `maxPixels`
    /// pixels (never larger than `self`; each side at least 1).
    func fitted(maxSide: Int?, maxPixels: Int?) -> PixelSize {
        var scale = 1.0
        if let maxSide { scale = min(scale, Double(maxSide) / Double(longSide)) }
        if let maxPixels { scale = min(scale, (Double(maxPixels) / Double(pixels)).squareRoot()) }
        if scale >= 1 { return self }
        var result = scaled(by: scale)
        // Rounding may overshoot the pixel limit by a row or column.
        if let maxPixels {
            while result.pixels > maxPixels && result.longSide > 1 {
                result =
                    result.width >= result.height
                    ? PixelSize(width: result.width - 1, height: max(1, (result.width - 1) * height / width))
                    : PixelSize(width: max(1, (result.height - 1) * width / height), height: result.height - 1)
            }
        }
        return result
    }

    /// Both sides multiplied by `scale` (< 1) and rounded, at least 1.
    func scaled(by scale: Double) -> PixelSize {
        PixelSize(
            width: min(width, max(1, Int((Double(width) * scale).rounded()))),
            height: min(height, max(1, Int((Double(height) * scale).rounded()))))
    }
}
