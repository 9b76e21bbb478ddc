import Foundation
import Imaging
import XCTest

final class TIFFTests: XCTestCase {
    /// An uncompressed little-endian TIFF of 8-bit RGB (or RGBA with unassociated alpha) pixels in one strip,
    /// with an Orientation tag when `orientation` is not 1.
    static func tiff(pixels: [UInt8], width: Int, height: Int, channels: Int = 3, orientation: Int = 1) -> Data {
        func u16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
        func u32(_ v: Int) -> [UInt8] { u16(v & 0xFFFF) + u16(v >> 16) }
        var tags: [(Int, Int, Int, [UInt8])] = []  // tag, type (3 SHORT, 4 LONG), count, value or offset
        let ifdEntries = orientation != 1 ? 11 : 10
        let bitsOffset = 8 + 2 + (ifdEntries + (channels == 4 ? 1 : 0)) * 12 + 4
        let pixelsOffset = bitsOffset + 8
        tags.append((256, 4, 1, u32(width)))
        tags.append((257, 4, 1, u32(height)))
        tags.append((258, 3, channels, u32(bitsOffset)))
        tags.append((259, 3, 1, u16(1) + [0, 0]))
        tags.append((262, 3, 1, u16(2) + [0, 0]))
        tags.append((273, 4, 1, u32(pixelsOffset)))
        if orientation != 1 { tags.append((274, 3, 1, u16(orientation) + [0, 0])) }
        tags.append((277, 3, 1, u16(channels) + [0, 0]))
        tags.append((278, 4, 1, u32(height)))
        tags.append((279, 4, 1, u32(pixels.count)))
        tags.append((284, 3, 1, u16(1) + [0, 0]))
        if channels == 4 { tags.append((338, 3, 1, u16(2) + [0, 0])) }  // ExtraSamples: unassociated alpha
        // Header, the IFD, BitsPerSample's values, then the one strip (so a cut file loses pixel data first).
        var bytes = Array("II".utf8) + u16(42) + u32(8)
        bytes += u16(tags.count) + tags.flatMap { tag, type, count, value in u16(tag) + u16(type) + u32(count) + value } + u32(0)
        precondition(bytes.count == bitsOffset, "IFD size")
        bytes += Array(repeating: 8, count: channels).flatMap { u16($0) } + Array(repeating: 0, count: 8 - 2 * channels)
        return Data(bytes + pixels)
    }

    func testTIFFIsDecodedAndSentAsPNGOrJPEG() throws {
        let pixels = PreparationImages.quadrants(width: 64, height: 48, PNGPreparationTests.quadrantColours)
        let tiff = Self.tiff(pixels: pixels, width: 64, height: 48)
        XCTAssertEqual(ImageSniffer.sniff(tiff), .image(.tiff))
        assertAccepts(tiff, .tiff, width: 64, height: 48)
        let prepared = try ImagePreparer.prepare(tiff, options: PreparationOptions(maxSide: 1024))
        XCTAssertTrue(prepared.reencoded)
        XCTAssertEqual(prepared.format, .png, "a flat graphic stays lossless")
        XCTAssertEqual(prepared.notes, ["TIFF sent as PNG"])
        let decoded = try ImageDecoder.decodeRGB(prepared.data)
        XCTAssertTrue(decoded.pixels == pixels, "exactly the stored pixels")
    }

    func testOrientationTagIsApplied() throws {
        // Stored 40x60, Orientation 6 (rotate 90 clockwise to display): the stored bottom-left shows top-left.
        let stored = PreparationImages.quadrants(width: 40, height: 60, PNGPreparationTests.quadrantColours)
        let tiff = Self.tiff(pixels: stored, width: 40, height: 60, orientation: 6)
        assertAccepts(tiff, .tiff, width: 60, height: 40, "display size")
        let prepared = try ImagePreparer.prepare(tiff, options: PreparationOptions(maxSide: 30))
        XCTAssertEqual([prepared.width, prepared.height], [30, 20])
        let decoded = try ImageDecoder.decodeRGB(prepared.data)
        assertClose(Array(decoded.pixel(x: 2, y: 2)), PreparationImages.blue, tolerance: 24, "top-left")
        assertClose(Array(decoded.pixel(x: 27, y: 17)), PreparationImages.green, tolerance: 24, "bottom-right")
    }

    func testAlphaBecomesPNGWithAlpha() throws {
        let pixels = FormatFixtures.rgba(width: 32, height: 16, transparent: true)
        let prepared = try ImagePreparer.prepare(
            Self.tiff(pixels: pixels, width: 32, height: 16, channels: 4),
            options: PreparationOptions(maxSide: 1024))
        XCTAssertEqual(prepared.format, .png)
        let decoded = try ImageDecoder.decodeRGB(prepared.data)
        XCTAssertEqual(decoded.channels, 4)
        XCTAssertEqual(decoded.pixel(x: 1, y: 0).last, 0)
    }

    func testTruncatedOrOversizedTIFFIsRefused() {
        let tiff = Self.tiff(pixels: PreparationImages.photo(width: 64, height: 48), width: 64, height: 48)
        for cut in [6, 100, tiff.count / 2, tiff.count - 1] {
            assertRejects(tiff.prefix(cut), .corrupt, "corrupt TIFF: ", "cut at \(cut) of \(tiff.count)")
        }
        assertRejects(tiff, limits: ImageLimits(maxPixels: 1000), .tooLarge, "TIFF declares 64x48 pixels, over the limit of 1000 pixels")
        assertRejects(Self.tiff(pixels: [], width: 0, height: 5), .corrupt, "invalid TIFF: zero width or height")
    }
}
