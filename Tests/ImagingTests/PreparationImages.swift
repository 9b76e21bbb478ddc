import Foundation
import Imaging

/// Test images for preparation: solid quadrants (corner colours survive JPEG), noisy photos, EXIF wrappers.
enum PreparationImages {
    static let red: [UInt8] = [230, 20, 20], green: [UInt8] = [20, 200, 40], blue: [UInt8] = [30, 40, 220]
    static let yellow: [UInt8] = [240, 230, 30]

    /// RGB pixels in four solid quadrants: top-left, top-right, bottom-left, bottom-right colours.
    static func quadrants(width: Int, height: Int, _ colours: [[UInt8]]) -> [UInt8] {
        var pixels = [UInt8]()
        pixels.reserveCapacity(width * height * 3)
        for y in 0..<height {
            for x in 0..<width { pixels += colours[(y < height / 2 ? 0 : 2) + (x < width / 2 ? 0 : 1)] }
        }
        return pixels
    }

    /// Deterministic noise over a gradient: compresses like a photo (badly as PNG, well as JPEG).
    static func photo(width: Int, height: Int, channels: Int = 3, seed: UInt32 = 7) -> [UInt8] {
        var state = seed
        var pixels = [UInt8]()
        pixels.reserveCapacity(width * height * channels)
        for y in 0..<height {
            for x in 0..<width {
                for c in 0..<channels {
                    state = state &* 1_664_525 &+ 1_013_904_223
                    let base = (x * 200 / width + y * 50 / height + c * 30) & 0xFF
                    pixels.append(UInt8(clamping: base + Int(state >> 28)))
                }
            }
        }
        return pixels
    }

    /// An APP1 segment with a TIFF IFD0 holding Orientation (and a GPS IFD pointer, as phones write).
    static func exifSegment(orientation: Int, bigEndian: Bool) -> [UInt8] {
        func u16(_ v: Int) -> [UInt8] { bigEndian ? [UInt8(v >> 8), UInt8(v & 0xFF)] : [UInt8(v & 0xFF), UInt8(v >> 8)] }
        func u32(_ v: Int) -> [UInt8] { bigEndian ? u16(v >> 16) + u16(v & 0xFFFF) : u16(v & 0xFFFF) + u16(v >> 16) }
        let entries: [[UInt8]] = [
            u16(0x010F) + u16(2) + u32(4) + Array("ACM\0".utf8),  // Make, ASCII, fits in the value field
            u16(0x0112) + u16(3) + u32(1) + u16(orientation) + [0, 0],  // Orientation, SHORT
            u16(0x8825) + u16(4) + u32(1) + u32(0),  // GPS IFD pointer (no GPS IFD: value 0)
        ]
        let tiff =
            Array((bigEndian ? "MM" : "II").utf8) + u16(42) + u32(8) + u16(entries.count) + entries.flatMap { $0 }
            + u32(0)
        let body = Array("Exif\0\0".utf8) + tiff
        return [0xFF, 0xE1, UInt8((body.count + 2) >> 8), UInt8((body.count + 2) & 0xFF)] + body
    }

    /// `jpeg` with `segment` inserted right after SOI, where cameras put APP1.
    static func inserting(_ segment: [UInt8], into jpeg: Data) -> Data {
        Data([0xFF, 0xD8] + segment + [UInt8](jpeg.dropFirst(2)))
    }

    /// Marker bytes of the segments before the first scan.
    static func headerMarkers(_ jpeg: Data) -> [UInt8] {
        let bytes = [UInt8](jpeg)
        var markers: [UInt8] = []
        var offset = 2
        while offset + 4 <= bytes.count, bytes[offset] == 0xFF, bytes[offset + 1] != 0xDA {
            markers.append(bytes[offset + 1])
            offset += 2 + (Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3]))
        }
        return markers
    }

    /// Colour type byte of a PNG's IHDR (0 gray, 2 RGB, 3 palette, 4 gray+alpha, 6 RGBA).
    static func pngColourType(_ png: Data) -> UInt8 { [UInt8](png)[25] }

    /// Number of components in a JPEG's SOF segment (1 gray, 3 colour).
    static func jpegComponents(_ jpeg: Data) -> Int {
        let bytes = [UInt8](jpeg)
        let sof = bytes.indices.first { i in i + 1 < bytes.count && bytes[i] == 0xFF && [0xC0, 0xC1, 0xC2].contains(bytes[i + 1]) }!
        return Int(bytes[sof + 9])
    }
}
