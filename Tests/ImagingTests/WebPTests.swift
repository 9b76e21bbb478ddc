import Foundation
import Imaging
import XCTest

final class WebPTests: XCTestCase {
    func testLossyLosslessAlphaAndAnimatedAreDecodedInFull() throws {
        assertAccepts(FormatFixtures.webp(), .webp, width: 64, height: 48, "lossy")
        assertAccepts(FormatFixtures.webp(lossless: true), .webp, width: 64, height: 48, "lossless")
        assertAccepts(FormatFixtures.webp(alpha: true), .webp, width: 64, height: 48, "lossy with alpha")
        assertAccepts(FormatFixtures.webp(lossless: true, alpha: true), .webp, width: 64, height: 48, "lossless alpha")
        let animated = FormatFixtures.animatedWebP(width: 40, height: 30, colours: [PreparationImages.red, PreparationImages.blue])
        assertAccepts(animated, .webp, width: 40, height: 30, "animated")
        let decoded = try ImageDecoder.decodeRGB(FormatFixtures.webp(lossless: true))
        XCTAssertEqual(decoded.pixels, PreparationImages.photo(width: 64, height: 48), "lossless decodes exactly")
    }

    func testTruncatedOrGarbledCopiesAreRefused() {
        let animated = FormatFixtures.animatedWebP(width: 40, height: 30, colours: [PreparationImages.red, PreparationImages.blue])
        let files = [
            ("lossy", FormatFixtures.webp(width: 200, height: 150)), ("lossless", FormatFixtures.webp(lossless: true)),
            ("alpha", FormatFixtures.webp(alpha: true)), ("animated", animated),
        ]
        for (label, webp) in files {
            for cut in [webp.count / 4, webp.count / 2, webp.count - 7] {
                assertRejects(webp.prefix(cut), .corrupt, "corrupt WebP: ", "\(label) cut at \(cut) of \(webp.count)")
            }
        }
        let lossless = FormatFixtures.webp(lossless: true)
        assertRejects(TestImages.flipping(lossless, at: 20), .corrupt, "corrupt WebP: ", "bad VP8L signature")
    }

    func testBombIsRefusedFromTheDeclaredCanvas() {
        // VP8X with the animation flag and a 16384x16384 canvas, no frames: refused before any decoding.
        let w = 16383
        let h = 16383
        let vp8x: [UInt8] =
            Array("VP8X".utf8) + [
                10, 0, 0, 0, 0x02, 0, 0, 0,
                UInt8(w & 0xFF), UInt8(w >> 8), 0, UInt8(h & 0xFF), UInt8(h >> 8), 0,
            ]
        assertRejects(TestImages.riff(vp8x), .tooLarge, "WebP declares 16384x16384 pixels, over the limit of 100000000 pixels")
        assertRejects(FormatFixtures.webp(), limits: ImageLimits(maxSide: 60), .tooLarge, "WebP declares 64x48 pixels")
    }

    func testLargeWebPIsShrunkAndStaysWebP() throws {
        let webp = FormatFixtures.webp(width: 600, height: 400)
        let prepared = try ImagePreparer.prepare(webp, options: PreparationOptions(maxSide: 150))
        XCTAssertEqual(prepared.format, .webp)
        XCTAssertTrue(prepared.reencoded)
        XCTAssertEqual([prepared.width, prepared.height], [150, 100])
        XCTAssertEqual(ImageSniffer.sniff(prepared.data), .image(.webp))
        let decoded = try ImageDecoder.decodeRGB(prepared.data)
        XCTAssertEqual([decoded.width, decoded.height, decoded.channels], [150, 100, 3])
    }

    func testTransparentWebPKeepsItsAlphaWhenShrunk() throws {
        let prepared = try ImagePreparer.prepare(FormatFixtures.webp(alpha: true), options: PreparationOptions(maxSide: 32))
        XCTAssertEqual(prepared.format, .webp)
        let decoded = try ImageDecoder.decodeRGB(prepared.data)
        XCTAssertEqual([decoded.width, decoded.height, decoded.channels], [32, 24, 4])
        XCTAssertLessThan(decoded.pixel(x: 2, y: 0).last!, 200, "the transparent top-left stays see-through")
        XCTAssertEqual(decoded.pixel(x: 20, y: 20).last, 255)
    }

    func testSmallWebPIsSentUnchanged() throws {
        let webp = FormatFixtures.webp()
        let prepared = try ImagePreparer.prepare(webp, options: PreparationOptions(maxSide: 1024))
        XCTAssertFalse(prepared.reencoded)
        XCTAssertEqual(prepared.data, webp)
    }

    func testAnimatedWebPBecomesItsFirstFrameAndSaysSo() throws {
        let animated = FormatFixtures.animatedWebP(
            width: 40, height: 30,
            colours: [PreparationImages.red, PreparationImages.blue, PreparationImages.green])
        let prepared = try ImagePreparer.prepare(animated, options: PreparationOptions(maxSide: 1024))
        XCTAssertTrue(prepared.reencoded)
        XCTAssertEqual([prepared.width, prepared.height], [40, 30])
        XCTAssertTrue(prepared.notes.contains("animated WebP (3 frames): first frame sent"), "\(prepared.notes)")
        let decoded = try ImageDecoder.decodeRGB(prepared.data)
        assertClose(Array(decoded.pixel(x: 20, y: 15)), PreparationImages.red, tolerance: 12, "first frame")
        let again = try ImagePreparer.prepare(prepared.data, options: PreparationOptions(maxSide: 1024))
        XCTAssertFalse(again.reencoded, "what is sent is a still image")
    }

    func testWebPOverTheByteCapIsShrunkUntilItFits() throws {
        let webp = FormatFixtures.webp(width: 800, height: 600)
        let cap = base64Count(webp.count) / 6
        let prepared = try ImagePreparer.prepare(webp, options: PreparationOptions(maxEncodedBytes: cap))
        XCTAssertEqual(prepared.format, .webp)
        XCTAssertLessThanOrEqual(base64Count(prepared.data.count), cap)
        XCTAssertTrue(prepared.notes.last?.contains("to fit") ?? false, "\(prepared.notes)")
    }
}

/// Base64 size, as the byte caps count it.
func base64Count(_ n: Int) -> Int { 4 * ((n + 2) / 3) }
