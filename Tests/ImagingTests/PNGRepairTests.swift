import Foundation
import Imaging
import XCTest

/// PNGs that viewers show although libpng complains, and PNGs that must be re-encoded so that what is sent decodes.
final class PNGRepairTests: XCTestCase {
    /// A zlib stream holding `data` in one stored (uncompressed) block, after the given two header bytes.
    static func zlibStored(_ data: [UInt8], header: [UInt8] = [0x78, 0x01]) -> [UInt8] {
        var a: UInt32 = 1
        var b: UInt32 = 0
        for byte in data {
            a = (a + UInt32(byte)) % 65521
            b = (b + a) % 65521
        }
        let n = UInt16(data.count)
        return header + [0x01, UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8(~n >> 8)] + data
            + TestImages.bigEndian(b << 16 | a)
    }

    /// `png` with `chunks` inserted right after IHDR (offset 33).
    static func inserting(_ chunks: [UInt8], into png: Data) -> Data {
        let bytes = [UInt8](png)
        return Data(bytes[..<33] + chunks + bytes[33...])
    }

    static func chunkTypes(_ png: Data) -> [String] { TestImages.chunks(png).map(\.type) }

    func testICCProfilesLibpngDislikesDoNotRejectThePicture() throws {
        // A 132-byte profile without the 'acsp' signature: "iCCP: profile 'ICC': ... invalid signature".
        let badProfile = TestImages.bigEndian(132) + Array(repeating: 0, count: 128)
        let invalidSignature = TestImages.chunk("iCCP", Array("ICC\0".utf8) + [0] + Self.zlibStored(badProfile))
        // A zlib header declaring a 64 KiB window (CINFO 8): "iCCP: invalid window size".
        let badWindow = TestImages.chunk("iCCP", Array("ICC\0".utf8) + [0] + Self.zlibStored(badProfile, header: [0x88, 0x1C]))
        for (label, chunk) in [("invalid signature", invalidSignature), ("invalid window size", badWindow)] {
            let png = Self.inserting(chunk, into: TestImages.png())
            assertAccepts(png, .png, width: 64, height: 48, label)
            let prepared = try ImagePreparer.prepare(png, options: PreparationOptions(maxSide: 1024))
            XCTAssertEqual(prepared.data, png, "\(label): sent as it is (other readers open it)")
        }
    }

    func testBadCRCInAnAncillaryChunkIsReencodedWithoutIt() throws {
        var iccp = TestImages.chunk("iCCP", Array("ICC\0".utf8) + [0] + Self.zlibStored(Array(repeating: 7, count: 140)))
        iccp[iccp.count - 1] ^= 0xFF
        var clli = TestImages.chunk("cLLI", [0, 0, 0x27, 0x10, 0, 0, 0x03, 0xE8])
        clli[clli.count - 2] ^= 0x55
        let png = Self.inserting(iccp + clli, into: TestImages.png())
        assertAccepts(png, .png, width: 64, height: 48, "libpng drops the damaged chunks")
        for options in [PreparationOptions(maxSide: 1024), PreparationOptions(resize: false)] {
            let prepared = try ImagePreparer.prepare(png, options: options)
            XCTAssertTrue(prepared.reencoded)
            XCTAssertEqual(prepared.notes.first, "PNG re-encoded without its damaged iCCP, cLLI chunks (bad CRC)")
            XCTAssertEqual([prepared.width, prepared.height], [64, 48])
            if prepared.format == .png {
                XCTAssertFalse(Self.chunkTypes(prepared.data).contains { ["iCCP", "cLLI"].contains($0) })
            }
            let decoded = try ImageDecoder.decodeRGB(prepared.data)
            XCTAssertEqual([decoded.width, decoded.height], [64, 48])
        }
    }

    func testAnimatedPNGIsSentAsItsStillImageWithoutTheAnimationChunks() throws {
        let png = TestImages.png()
        let fctl0 = TestImages.chunk(
            "fcTL",
            TestImages.bigEndian(0) + TestImages.bigEndian(64) + TestImages.bigEndian(48)
                + TestImages.bigEndian(0) + TestImages.bigEndian(0) + [0, 1, 0, 10, 0, 0])
        // The second frame is broken: wider than the canvas, and its data is not zlib.
        let fctl1 = TestImages.chunk(
            "fcTL",
            TestImages.bigEndian(1) + TestImages.bigEndian(9999) + TestImages.bigEndian(48)
                + TestImages.bigEndian(0) + TestImages.bigEndian(0) + [0, 1, 0, 10, 0, 0])
        let fdat = TestImages.chunk("fdAT", TestImages.bigEndian(2) + [1, 2, 3, 4, 5])
        let actl = TestImages.chunk("acTL", TestImages.bigEndian(2) + TestImages.bigEndian(0))
        let iend = TestImages.chunks(png).first { $0.type == "IEND" }!.offset
        var bytes = [UInt8](Self.inserting(actl + fctl0, into: png))
        bytes.insert(contentsOf: fctl1 + fdat, at: iend + actl.count + fctl0.count)
        let apng = Data(bytes)
        assertAccepts(apng, .png, width: 64, height: 48)
        let prepared = try ImagePreparer.prepare(apng, options: PreparationOptions(maxSide: 1024))
        XCTAssertTrue(prepared.reencoded)
        XCTAssertEqual(prepared.notes.first, "animated PNG (2 frames): its still image sent")
        if prepared.format == .png {
            XCTAssertFalse(Self.chunkTypes(prepared.data).contains { ["acTL", "fcTL", "fdAT"].contains($0) })
        }
    }

    func testEXifOrientationIsAppliedLikeJPEGs() throws {
        let segment = PreparationImages.exifSegment(orientation: 6, bigEndian: false)
        let tiff = Array(segment.dropFirst(4 + 6))  // past the APP1 marker, its length and "Exif\0\0"
        let stored = try ImageEncoder.encodePNG(
            pixels: PreparationImages.quadrants(width: 40, height: 60, PNGPreparationTests.quadrantColours),
            width: 40, height: 60, channels: 3)
        for (label, body) in [("plain", tiff), ("with Exif prefix", Array("Exif\0\0".utf8) + tiff)] {
            let png = Self.inserting(TestImages.chunk("eXIf", body), into: stored)
            let prepared = try ImagePreparer.prepare(png, options: PreparationOptions(maxSide: 1024))
            XCTAssertEqual([prepared.width, prepared.height], [60, 40], label)
            XCTAssertEqual(prepared.rotation, "rotated 90", label)
            let decoded = try ImageDecoder.decodeRGB(prepared.data)
            // Rotated 90 clockwise: the stored bottom-left (blue) is now the top-left.
            assertClose(Array(decoded.pixel(x: 3, y: 3)), PreparationImages.blue, tolerance: 24, label)
        }
    }
}
