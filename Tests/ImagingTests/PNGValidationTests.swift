import Foundation
import Imaging
import XCTest

final class PNGValidationTests: XCTestCase {
    func testAcceptsEveryColorTypeDepthAndInterlace() throws {
        let (w, h) = (37, 29)  // odd sizes exercise partial Adam7 passes
        for channels in 1...4 {
            for interlaced in [false, true] {
                let label = "channels \(channels) interlaced \(interlaced)"
                let eight = try ImageEncoder.encodePNG(
                    pixels: TestImages.gradient(width: w, height: h, channels: channels),
                    width: w, height: h, channels: channels, interlaced: interlaced)
                assertAccepts(eight, .png, width: w, height: h, "8-bit \(label)")
                let sixteen = try ImageEncoder.encodePNG(
                    pixels: TestImages.gradient16(width: w, height: h, channels: channels),
                    width: w, height: h, channels: channels, bitDepth: 16, interlaced: interlaced)
                assertAccepts(sixteen, .png, width: w, height: h, "16-bit \(label)")
            }
        }
    }

    func testAcceptsPalettePNG() throws {
        let palette: [UInt8] = [255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255]
        let indices = (0..<(20 * 10)).map { UInt8($0 % 4) }
        let png = try ImageEncoder.encodePNG(pixels: indices, width: 20, height: 10, channels: 1, palette: palette)
        XCTAssertTrue(TestImages.chunks(png).contains { $0.type == "PLTE" }, "encoder must write a PLTE chunk")
        XCTAssertEqual([UInt8](png)[25], 3, "IHDR colour type must be 3 (palette)")
        assertAccepts(png, .png, width: 20, height: 10)
    }

    func testAcceptsTrailingBytesAfterIEND() {
        // Common in the wild (appended metadata); decoders stop at IEND, so the image is intact.
        assertAccepts(TestImages.png() + Data("trailing junk".utf8), .png, width: 64, height: 48)
    }

    func testAcceptsASliceOfLargerData() {
        let padded = Data([1, 2, 3]) + TestImages.png()
        assertAccepts(padded.dropFirst(3), .png, width: 64, height: 48)
    }

    func testRejectsTruncationAnywhere() {
        for interlaced in [false, true] {
            let png = TestImages.png(interlaced: interlaced)
            let idat = TestImages.chunks(png).first { $0.type == "IDAT" }!
            let cuts = [8, 16, 33, idat.offset + 10, idat.offset + idat.length / 2, png.count - 13, png.count - 1]
            for cut in cuts {
                assertRejects(png.prefix(cut), .corrupt, "corrupt PNG: ", "cut at \(cut) of \(png.count)")
            }
            assertRejects(png.prefix(idat.offset + idat.length / 2), .corrupt, "corrupt PNG: file is truncated")
        }
    }

    func testRejectsDamagedIDATWhetherOrNotItsCRCMatches() {
        for interlaced in [false, true] {
            let png = TestImages.png(interlaced: interlaced)
            // libpng inflates while reading, so zlib usually complains before the chunk's CRC is checked.
            assertRejects(TestImages.pngWithDamagedIDAT(png, fixCRC: false), .corrupt, "corrupt PNG: ")
            // With a matching CRC only zlib (bad code or Adler-32) can notice.
            assertRejects(TestImages.pngWithDamagedIDAT(png, fixCRC: true), .corrupt, "corrupt PNG: ")
        }
    }

    func testRejectsBadIDATCRCWithIntactData() {
        let png = TestImages.png()
        let idat = TestImages.chunks(png).first { $0.type == "IDAT" }!
        assertRejects(TestImages.flipping(png, at: idat.offset + 8 + idat.length), .corrupt, "corrupt PNG: IDAT: CRC error")
    }

    func testIgnoresBadCRCInAncillaryChunk() {
        // libpng discards a damaged ancillary chunk with a warning; the image itself is fine.
        let png = [UInt8](TestImages.png())
        var text = TestImages.chunk("tEXt", Array("Comment\0hello".utf8))
        text[text.count - 1] ^= 0xFF
        assertAccepts(Data(png[..<33] + text + png[33...]), .png, width: 64, height: 48)
    }

    func testEveryFlippedIDATByteWithFixedCRCIsCaught() {
        // Stronger than one flip: zlib's Adler-32 must catch damage anywhere in the stream, even at its end.
        // Whole bytes are inverted because single bits can land in the final byte's unused padding.
        let png = TestImages.png(width: 16, height: 8)
        let idat = TestImages.chunks(png).first { $0.type == "IDAT" }!
        var bytes = [UInt8](png)
        for index in idat.offset + 8..<idat.offset + 8 + idat.length {
            bytes[index] ^= 0xFF
            let crcOffset = idat.offset + 8 + idat.length
            let saved = Array(bytes[crcOffset..<crcOffset + 4])
            bytes.replaceSubrange(
                crcOffset..<crcOffset + 4,
                with: TestImages.bigEndian(TestImages.crc32(bytes[idat.offset + 4..<crcOffset])))
            XCTAssertThrowsError(try ImageValidator.validate(Data(bytes)), "flip at IDAT byte \(index - idat.offset - 8)")
            bytes.replaceSubrange(crcOffset..<crcOffset + 4, with: saved)
            bytes[index] ^= 0xFF
        }
        assertAccepts(Data(bytes), .png, width: 16, height: 8, "restored original")
    }

    func testRejectsBadIHDRCRC() {
        let png = TestImages.png()
        assertRejects(TestImages.flipping(png, at: 8 + 8 + 13), .corrupt, "corrupt PNG: IHDR: CRC error")
    }

    func testRejectsGarbageAfterAValidHeader() {
        let header = TestImages.pngSignature + TestImages.ihdr(width: 10, height: 10)
        let garbage = Data(header + (0..<200).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) })
        assertRejects(garbage, .corrupt, "corrupt PNG: ")
    }

    func testRejectsHeaderWithoutImageData() {
        let noIDAT = Data(TestImages.pngSignature + TestImages.ihdr(width: 10, height: 10) + TestImages.chunk("IEND", []))
        assertRejects(noIDAT, .corrupt, "corrupt PNG: ")
    }

    func testRejectsDecompressionBombFromTheHeader() {
        // Only the header exists: rejection must come from IHDR, before any pixel data is looked at.
        let bomb = Data(TestImages.pngSignature + TestImages.ihdr(width: 100_000, height: 100_000))
        XCTAssertEqual(TestImages.crc32(Array("IEND".utf8)), 0xAE42_6082, "crc32 helper must match PNG's")
        assertRejects(bomb, .tooLarge, "PNG declares 100000x100000 pixels, over the limit of 100000000 pixels")
    }

    func testLimits() {
        let wide = Data(TestImages.pngSignature + TestImages.ihdr(width: 40_000, height: 10))
        assertRejects(wide, .tooLarge, "PNG declares 40000x10 pixels, over the limit of 30000 pixels per side")
        let png = TestImages.png(width: 64, height: 48)
        let tight = ImageLimits(maxPixels: 64 * 48 - 1, maxSide: 1000, maxJPEGScans: 10)
        assertRejects(png, limits: tight, .tooLarge, "PNG declares 64x48 pixels, over the limit of 3071 pixels")
        assertRejects(png, limits: ImageLimits(maxSide: 63), .tooLarge, "over the limit of 63 pixels per side")
        assertAccepts(png, .png, width: 64, height: 48, limits: ImageLimits(maxPixels: 64 * 48, maxSide: 64))
    }
}
