import Foundation
import Imaging
import XCTest

/// Opaque TIFFs are read band by band (whole strips at a time) into the resampler instead of into one full-size
/// raster: the pixels must be the full-raster path's (taken by the same image with an opaque alpha channel), whatever
/// the strip height and the target size.
final class TIFFStripTests: XCTestCase {
    /// An uncompressed little-endian 8-bit (or 16-bit: `pixels` then holds little-endian sample pairs) RGB or RGBA
    /// (unassociated alpha) TIFF in strips of `rowsPerStrip` rows.
    static func tiff(pixels: [UInt8], width: Int, height: Int, channels: Int, rowsPerStrip: Int, bits: Int = 8) -> Data {
        func u16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
        func u32(_ v: Int) -> [UInt8] { u16(v & 0xFFFF) + u16(v >> 16) }
        let strips = (height + rowsPerStrip - 1) / rowsPerStrip
        let rowBytes = width * channels * bits / 8
        let counts = (0..<strips).map { min(rowsPerStrip, height - $0 * rowsPerStrip) * rowBytes }
        let entries = 10 + (channels == 4 ? 1 : 0)
        let bitsOffset = 8 + 2 + entries * 12 + 4
        let offsetsOffset = bitsOffset + 8
        let countsOffset = offsetsOffset + 4 * strips
        let pixelsOffset = countsOffset + 4 * strips
        let offsets = counts.indices.map { pixelsOffset + counts[..<$0].reduce(0, +) }
        var tags: [(Int, Int, Int, [UInt8])] = [
            (256, 4, 1, u32(width)), (257, 4, 1, u32(height)), (258, 3, channels, u32(bitsOffset)),
            (259, 3, 1, u16(1) + [0, 0]), (262, 3, 1, u16(2) + [0, 0]),
            (273, 4, strips, strips == 1 ? u32(offsets[0]) : u32(offsetsOffset)),
            (277, 3, 1, u16(channels) + [0, 0]), (278, 4, 1, u32(rowsPerStrip)),
            (279, 4, strips, strips == 1 ? u32(counts[0]) : u32(countsOffset)), (284, 3, 1, u16(1) + [0, 0]),
        ]
        if channels == 4 { tags.append((338, 3, 1, u16(2) + [0, 0])) }
        var bytes = Array("II".utf8) + u16(42) + u32(8)
        bytes += u16(tags.count) + tags.flatMap { tag, type, count, value in u16(tag) + u16(type) + u32(count) + value } + u32(0)
        precondition(bytes.count == bitsOffset, "IFD size")
        bytes += Array(repeating: bits, count: channels).flatMap { u16($0) } + Array(repeating: 0, count: 8 - 2 * channels)
        bytes += offsets.flatMap(u32) + counts.flatMap(u32)
        precondition(bytes.count == pixelsOffset, "layout")
        return Data(bytes + pixels)
    }

    func testBandedDecodingGivesTheFullRasterPixels() throws {
        let width = 97
        let height = 301
        let rgb = PreparationImages.photo(width: width, height: height)
        var rgba: [UInt8] = []
        for pixel in stride(from: 0, to: rgb.count, by: 3) { rgba += rgb[pixel..<pixel + 3] + [255] }
        for rowsPerStrip in [1, 7, 64, 100, 301] {
            let opaque = Self.tiff(pixels: rgb, width: width, height: height, channels: 3, rowsPerStrip: rowsPerStrip)
            let withAlpha = Self.tiff(pixels: rgba, width: width, height: height, channels: 4, rowsPerStrip: rowsPerStrip)
            let full = try ImageDecoder.decodeRGB(opaque)
            XCTAssertEqual(full.channels, 3)
            XCTAssertTrue(full.pixels == rgb, "\(rowsPerStrip) rows per strip: the stored pixels")
            XCTAssertTrue(try ImageDecoder.decodeRGB(withAlpha).pixels == rgb)
            for side in [200, 64, 9] {
                let options = PreparationOptions(maxSide: side)
                let banded = try ImagePreparer.prepare(opaque, options: options)
                let raster = try ImagePreparer.prepare(withAlpha, options: options)
                XCTAssertEqual(banded.width, raster.width)
                XCTAssertEqual(banded.height, raster.height)
                XCTAssertTrue(banded.data == raster.data, "\(rowsPerStrip) rows per strip, max side \(side)")
            }
        }
    }

    /// 16-bit RGB is read a scanline at a time, not through libtiff's RGBA interface: the same image with an opaque
    /// alpha channel still goes that way, and both must give the same 8-bit pixels (libtiff rounds v / 257).
    func testSixteenBitScanlinesGiveTheRGBAInterfacesPixels() throws {
        let width = 61
        let height = 83
        let rgb = PreparationImages.photo(width: width, height: height)
        var rgb16: [UInt8] = []
        var rgba16: [UInt8] = []
        for (index, sample) in rgb.enumerated() {
            // Low bytes that round both ways, and the extremes.
            let value = min(65535, max(0, Int(sample) * 257 + (index % 7) * 40 - 128))
            rgb16 += [UInt8(value & 0xFF), UInt8(value >> 8)]
            rgba16 += [UInt8(value & 0xFF), UInt8(value >> 8)]
            if index % 3 == 2 { rgba16 += [0xFF, 0xFF] }
        }
        for rowsPerStrip in [1, 13, 83] {
            let opaque = Self.tiff(pixels: rgb16, width: width, height: height, channels: 3, rowsPerStrip: rowsPerStrip, bits: 16)
            let withAlpha = Self.tiff(pixels: rgba16, width: width, height: height, channels: 4, rowsPerStrip: rowsPerStrip, bits: 16)
            XCTAssertTrue(try ImageDecoder.decodeRGB(opaque).pixels == ImageDecoder.decodeRGB(withAlpha).pixels, "\(rowsPerStrip) rows")
            for side in [61, 40, 7] {
                let options = PreparationOptions(maxSide: side)
                let scanned = try ImagePreparer.prepare(opaque, options: options)
                let raster = try ImagePreparer.prepare(withAlpha, options: options)
                XCTAssertTrue(scanned.data == raster.data, "\(rowsPerStrip) rows per strip, max side \(side)")
            }
            XCTAssertThrowsError(try ImagePreparer.prepare(opaque.prefix(opaque.count - 200), options: PreparationOptions(maxSide: 40))) {
                XCTAssertEqual(($0 as? ImageError)?.kind, .corrupt, "a cut 16-bit strip")
            }
        }
    }

    func testACutStripIsRefusedAsBefore() {
        let pixels = PreparationImages.photo(width: 50, height: 200)
        let tiff = Self.tiff(pixels: pixels, width: 50, height: 200, channels: 3, rowsPerStrip: 16)
        for cut in [tiff.count - 1, tiff.count - 50 * 3 * 20, tiff.count / 2] {
            XCTAssertThrowsError(try ImagePreparer.prepare(tiff.prefix(cut), options: PreparationOptions(maxSide: 64))) { error in
                XCTAssertEqual((error as? ImageError)?.kind, .corrupt, "cut at \(cut): \(error)")
            }
        }
    }
}
