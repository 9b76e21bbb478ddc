import Foundation
import Imaging

/// Test images for `vq detect`: a red rectangle at a known place in the stored pixels of a JPEG with an EXIF
/// orientation, a finder for that rectangle in whatever image a stub receives, and where a viewer shows it.
public enum DetectionImages {
    /// A rectangle in pixels: left, top, right, bottom edges (right and bottom exclusive).
    public struct Rect: Equatable, Sendable, CustomStringConvertible {
        public var left, top, right, bottom: Double
        public init(left: Double, top: Double, right: Double, bottom: Double) {
            (self.left, self.top, self.right, self.bottom) = (left, top, right, bottom)
        }
        public var description: String { "[\(left), \(top), \(right), \(bottom)]" }
    }

    /// White RGB pixels, `width`x`height`, with a red `rect`.
    public static func pixels(width: Int, height: Int, rect: Rect) -> [UInt8] { pixels(width: width, height: height, shape: [rect]) }

    /// White RGB pixels, `width`x`height`, red where any rectangle of `shape` is (an L of two, for masks).
    public static func pixels(width: Int, height: Int, shape: [Rect]) -> [UInt8] {
        var pixels = [UInt8]()
        pixels.reserveCapacity(width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let inside = shape.contains { Double(x) >= $0.left && Double(x) < $0.right && Double(y) >= $0.top && Double(y) < $0.bottom }
                pixels += inside ? [220, 20, 20] : [255, 255, 255]
            }
        }
        return pixels
    }

    /// A JPEG of `shape` in red, carrying EXIF `orientation`.
    public static func jpeg(width: Int, height: Int, shape: [Rect], orientation: Int) throws -> Data {
        let jpeg = try ImageEncoder.encodeJPEG(
            pixels: pixels(width: width, height: height, shape: shape), width: width, height: height, channels: 3, quality: 95)
        return Data([0xFF, 0xD8] + exifSegment(orientation: orientation) + [UInt8](jpeg.dropFirst(2)))
    }

    /// A white `width`x`height` JPEG (stored pixels) with a red `rect`, carrying EXIF `orientation` (1-8).
    public static func jpeg(width: Int, height: Int, rect: Rect, orientation: Int) throws -> Data {
        let pixels = pixels(width: width, height: height, rect: rect)
        let jpeg = try ImageEncoder.encodeJPEG(pixels: pixels, width: width, height: height, channels: 3, quality: 95)
        return Data([0xFF, 0xD8] + exifSegment(orientation: orientation) + [UInt8](jpeg.dropFirst(2)))
    }

    /// The same as a HEIC whose irot/imir boxes turn it as EXIF `orientation` would.
    public static func heic(width: Int, height: Int, rect: Rect, orientation: Int) throws -> Data {
        try ImageEncoder.encodeHEIF(
            pixels: pixels(width: width, height: height, rect: rect), width: width, height: height, channels: 3, quality: 90,
            orientation: orientation)
    }

    /// An APP1 segment whose IFD0 holds only Orientation (big-endian TIFF).
    static func exifSegment(orientation: Int) -> [UInt8] {
        func u16(_ v: Int) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xFF)] }
        func u32(_ v: Int) -> [UInt8] { u16(v >> 16) + u16(v & 0xFFFF) }
        let tiff = Array("MM".utf8) + u16(42) + u32(8) + u16(1) + u16(0x0112) + u16(3) + u32(1) + u16(orientation) + [0, 0] + u32(0)
        let body = Array("Exif\0\0".utf8) + tiff
        return [0xFF, 0xE1, UInt8((body.count + 2) >> 8), UInt8((body.count + 2) & 0xFF)] + body
    }

    /// Where a viewer shows `rect` of a `width`x`height` stored image with EXIF `orientation`, worked out from the
    /// standard's words for each value (which stored side becomes the displayed top), not from vq's code.
    public static func displayed(_ rect: Rect, width: Int, height: Int, orientation: Int) -> Rect {
        let (w, h) = (Double(width), Double(height))
        let r = rect
        switch orientation {
        case 2: return Rect(left: w - r.right, top: r.top, right: w - r.left, bottom: r.bottom)  // mirrored left-right
        case 3: return Rect(left: w - r.right, top: h - r.bottom, right: w - r.left, bottom: h - r.top)  // turned 180
        case 4: return Rect(left: r.left, top: h - r.bottom, right: r.right, bottom: h - r.top)  // mirrored top-bottom
        case 5: return Rect(left: r.top, top: r.left, right: r.bottom, bottom: r.right)  // transposed
        case 6: return Rect(left: h - r.bottom, top: r.left, right: h - r.top, bottom: r.right)  // turned 90 clockwise
        case 7: return Rect(left: h - r.bottom, top: w - r.right, right: h - r.top, bottom: w - r.left)  // transversed
        case 8: return Rect(left: r.top, top: w - r.right, right: r.bottom, bottom: w - r.left)  // turned 90 anticlockwise
        default: return r
        }
    }

    /// The red rectangle in an image as decoded (EXIF ignored: the pixels as a model's decoder sees them), with the
    /// image's size; nil when there is no red.
    public static func findRed(in data: Data) throws -> (rect: Rect, width: Int, height: Int)? {
        let image = try ImageDecoder.decodeRGB(data)
        var (left, top, right, bottom) = (Int.max, Int.max, -1, -1)
        for y in 0..<image.height {
            for x in 0..<image.width {
                let p = image.pixel(x: x, y: y)
                let (r, g, b) = (Int(p[p.startIndex]), Int(p[p.startIndex + 1]), Int(p[p.startIndex + 2]))
                if r > 150 && g < 120 && b < 120 {
                    (left, top, right, bottom) = (min(left, x), min(top, y), max(right, x + 1), max(bottom, y + 1))
                }
            }
        }
        guard right >= 0 else { return nil }
        return (Rect(left: Double(left), top: Double(top), right: Double(right), bottom: Double(bottom)), image.width, image.height)
    }

    /// A Gemini segmentation answer for the red shape in `data`: its `box_2d` on 0-1000 and, in `mask`, a PNG data URL of
    /// a 40x30 probability map of the box (255 where red, 0 elsewhere), as Gemini sizes its maps independently of the box.
    public static func geminiMaskAnswer(for data: Data) throws -> String {
        guard let (rect, width, height) = try findRed(in: data) else { return #"{"objects": []}"# }
        let image = try ImageDecoder.decodeRGB(data)
        let (mapWidth, mapHeight) = (40, 30)
        var map = [UInt8](repeating: 0, count: mapWidth * mapHeight)
        for v in 0..<mapHeight {
            for u in 0..<mapWidth {
                let x = Int(rect.left + (Double(u) + 0.5) * (rect.right - rect.left) / Double(mapWidth))
                let y = Int(rect.top + (Double(v) + 0.5) * (rect.bottom - rect.top) / Double(mapHeight))
                let p = image.pixel(x: x, y: y)
                if p[p.startIndex] > 150 && p[p.startIndex + 1] < 120 { map[v * mapWidth + u] = 255 }
            }
        }
        let png = try ImageEncoder.encodePNG(pixels: map, width: mapWidth, height: mapHeight, channels: 1)
        func perMille(_ value: Double, _ side: Int) -> Int { Int((value * 1000 / Double(side)).rounded()) }
        let box = [perMille(rect.top, height), perMille(rect.left, width), perMille(rect.bottom, height), perMille(rect.right, width)]
        return #"{"objects": [{"label": "red shape", "box_2d": \#(box), "mask": "data:image/png;base64,\#(png.base64EncodedString())"}]}"#
    }

    /// A Qwen2.5-VL answer for the red rectangle in `data`: `bbox_2d` `[x1, y1, x2, y2]` in absolute pixels of the image
    /// as the model's processor resized it (each side a multiple of 28, the area within `minPixels...maxPixels`, as
    /// Qwen2-VL's image processor documents its smart resize).
    public static func qwen25Answer(for data: Data, minPixels: Double = 3136, maxPixels: Double = 12_845_056) throws -> String {
        guard let (rect, width, height) = try findRed(in: data) else { return #"{"objects": []}"# }
        let (w, h) = (Double(width), Double(height))
        var (rw, rh) = (max(28, (w / 28).rounded() * 28), max(28, (h / 28).rounded() * 28))
        if rw * rh > maxPixels {
            let beta = (w * h / maxPixels).squareRoot()
            (rw, rh) = (max(28, (w / beta / 28).rounded(.down) * 28), max(28, (h / beta / 28).rounded(.down) * 28))
        } else if rw * rh < minPixels {
            let beta = (minPixels / (w * h)).squareRoot()
            (rw, rh) = ((w * beta / 28).rounded(.up) * 28, (h * beta / 28).rounded(.up) * 28)
        }
        let box = [rect.left * rw / w, rect.top * rh / h, rect.right * rw / w, rect.bottom * rh / h].map { Int($0.rounded()) }
        return #"{"objects": [{"label": "red box", "bbox_2d": \#(box)}]}"#
    }

    /// A Qwen3-VL answer: `bbox_2d` `[x1, y1, x2, y2]` on 0-1000, as a bare list in a JSON code fence.
    public static func qwen3Answer(for data: Data) throws -> String {
        guard let (rect, width, height) = try findRed(in: data) else { return "[]" }
        func perMille(_ value: Double, _ side: Int) -> Int { Int((value * 1000 / Double(side)).rounded()) }
        let box = [perMille(rect.left, width), perMille(rect.top, height), perMille(rect.right, width), perMille(rect.bottom, height)]
        return "```json\n" + #"[{"label": "red box", "bbox_2d": \#(box)}]"# + "\n```"
    }

    /// A Gemini answer for the red rectangle in `data`: `box_2d` `[ymin, xmin, ymax, xmax]` on 0-1000.
    public static func geminiAnswer(for data: Data) throws -> String {
        guard let (rect, width, height) = try findRed(in: data) else { return #"{"objects": []}"# }
        func perMille(_ value: Double, _ side: Int) -> Int { Int((value * 1000 / Double(side)).rounded()) }
        let box = [perMille(rect.top, height), perMille(rect.left, width), perMille(rect.bottom, height), perMille(rect.right, width)]
        return #"{"objects": [{"label": "red box", "box_2d": \#(box), "score": 0.9}]}"#
    }
}
