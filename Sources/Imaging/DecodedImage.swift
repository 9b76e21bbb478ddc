/// Decoded 8-bit pixels: RGB, or RGBA when some pixel is transparent; rows top to bottom.
public struct DecodedImage: Sendable, Equatable {
    public let pixels: [UInt8]
    public let width: Int
    public let height: Int
    /// 3 (RGB) or 4 (RGBA).
    public let channels: Int

    /// The samples of the pixel at column `x`, row `y`.
    public func pixel(x: Int, y: Int) -> ArraySlice<UInt8> {
        precondition((0..<width).contains(x) && (0..<height).contains(y), "pixel (\(x), \(y)) outside \(width)x\(height)")
        let start = (y * width + x) * channels
        return pixels[start..<start + channels]
    }
}
