import FoundationEssentials

/// RGB pixels to draw on (boxes, discs, masks, labels in `BitmapFont`), then encode as JPEG or PNG: what
/// `vq detect --annotate` draws the objects found with. Coordinates are whole pixels; anything outside is clipped.
public struct ImageCanvas: Sendable {
    /// An 8-bit RGB colour.
    public struct Color: Sendable, Equatable {
        public var red, green, blue: UInt8
        public init(_ red: UInt8, _ green: UInt8, _ blue: UInt8) { (self.red, self.green, self.blue) = (red, green, blue) }
        public static let white = Color(255, 255, 255)
        public static let black = Color(0, 0, 0)
        /// Black or white, whichever reads better on this colour.
        public var contrasting: Color { 299 * Int(red) + 587 * Int(green) + 114 * Int(blue) > 140_000 ? .black : .white }
    }

    public private(set) var pixels: [UInt8]
    public let width: Int
    public let height: Int

    /// The image's pixels; a transparent one is composited over white (labels are drawn on an opaque picture).
    public init(_ image: DecodedImage) {
        width = image.width
        height = image.height
        guard image.channels == 4 else {
            pixels = image.pixels
            return
        }
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        for index in 0..<width * height {
            let alpha = Int(image.pixels[index * 4 + 3])
            for channel in 0..<3 {
                rgb[index * 3 + channel] = UInt8((Int(image.pixels[index * 4 + channel]) * alpha + 255 * (255 - alpha) + 127) / 255)
            }
        }
        pixels = rgb
    }

    /// Paints the rectangle of pixels `left..<right`, `top..<bottom`, mixing `opacity` (0-1) of `color` in.
    public mutating func fill(left: Int, top: Int, right: Int, bottom: Int, color: Color, opacity: Double = 1) {
        let (x0, x1, y0, y1) = (max(0, left), min(width, right), max(0, top), min(height, bottom))
        guard x0 < x1, y0 < y1 else { return }
        for y in y0..<y1 {
            for x in x0..<x1 { paint(x, y, color, opacity) }
        }
    }

    /// The outline of the box from (`left`, `top`) to (`right`, `bottom`) (pixel edges), `thickness` pixels wide,
    /// drawn inside the box so its outer edge is the box's edge.
    public mutating func stroke(left: Int, top: Int, right: Int, bottom: Int, thickness: Int, color: Color) {
        let t = max(1, min(thickness, (right - left + 1) / 2, (bottom - top + 1) / 2))
        fill(left: left, top: top, right: right, bottom: top + t, color: color)
        fill(left: left, top: bottom - t, right: right, bottom: bottom, color: color)
        fill(left: left, top: top, right: left + t, bottom: bottom, color: color)
        fill(left: right - t, top: top, right: right, bottom: bottom, color: color)
    }

    /// A filled disc of `radius` pixels centred on (`x`, `y`).
    public mutating func disc(x: Int, y: Int, radius: Int, color: Color) {
        for dy in -radius...radius {
            for dx in -radius...radius where dx * dx + dy * dy <= radius * radius {
                if (0..<width).contains(x + dx) && (0..<height).contains(y + dy) { paint(x + dx, y + dy, color, 1) }
            }
        }
    }

    /// Mixes `opacity` of `color` into each pixel of the `maskWidth`x`maskHeight` region at (`left`, `top`) whose
    /// mask byte is non-zero.
    public mutating func tint(mask: [UInt8], maskWidth: Int, maskHeight: Int, left: Int, top: Int, color: Color, opacity: Double) {
        precondition(mask.count == maskWidth * maskHeight, "mask size does not match")
        for row in 0..<maskHeight where (0..<height).contains(top + row) {
            for column in 0..<maskWidth where mask[row * maskWidth + column] != 0 && (0..<width).contains(left + column) {
                paint(left + column, top + row, color, opacity)
            }
        }
    }

    /// `text` in `BitmapFont` at `scale` (each font pixel a `scale`x`scale` square), its top-left corner at (`x`, `y`).
    public mutating func text(_ text: String, x: Int, y: Int, scale: Int, color: Color) {
        for (index, character) in BitmapFont.drawable(text).enumerated() {
            let originX = x + index * BitmapFont.advance * scale
            for row in 0..<BitmapFont.glyphHeight {
                for column in 0..<BitmapFont.glyphWidth where BitmapFont.isInked(character, column: column, row: row) {
                    let (px, py) = (originX + column * scale, y + row * scale)
                    fill(left: px, top: py, right: px + scale, bottom: py + scale, color: color)
                }
            }
        }
    }

    /// The samples of the pixel at (`x`, `y`).
    public func color(x: Int, y: Int) -> Color {
        let start = (y * width + x) * 3
        return Color(pixels[start], pixels[start + 1], pixels[start + 2])
    }

    /// The picture as PNG, or as JPEG at `quality`.
    public func encoded(png: Bool, quality: Int = 90) throws(ImageError) -> Data {
        png
            ? try ImageEncoder.encodePNG(pixels: pixels, width: width, height: height, channels: 3)
            : try ImageEncoder.encodeJPEG(pixels: pixels, width: width, height: height, channels: 3, quality: quality)
    }

    private mutating func paint(_ x: Int, _ y: Int, _ color: Color, _ opacity: Double) {
        let start = (y * width + x) * 3
        if opacity >= 1 {
            (pixels[start], pixels[start + 1], pixels[start + 2]) = (color.red, color.green, color.blue)
            return
        }
        for (offset, value) in [color.red, color.green, color.blue].enumerated() {
            pixels[start + offset] = UInt8((Double(pixels[start + offset]) * (1 - opacity) + Double(value) * opacity).rounded())
        }
    }
}
