import Foundation
import Imaging
import XCTest

final class ImageEncoderTests: XCTestCase {
    func testPNGStartsWithSignatureAndIHDRCarriesTheSize() throws {
        let png = try ImageEncoder.encodePNG(
            pixels: TestImages.gradient(width: 300, height: 2, channels: 4),
            width: 300, height: 2, channels: 4)
        let bytes = [UInt8](png)
        XCTAssertEqual(Array(bytes.prefix(8)), TestImages.pngSignature)
        XCTAssertEqual(Array(bytes[16..<24]), TestImages.bigEndian(300) + TestImages.bigEndian(2))
        XCTAssertEqual(bytes[24], 8, "bit depth")
        XCTAssertEqual(bytes[25], 6, "colour type RGBA")
        XCTAssertEqual(TestImages.chunks(png).last?.type, "IEND")
    }

    func testInterlacedPNGSetsTheInterlaceFlag() throws {
        XCTAssertEqual([UInt8](TestImages.png(interlaced: true))[28], 1)
        XCTAssertEqual([UInt8](TestImages.png(interlaced: false))[28], 0)
    }

    func testJPEGVariantsHaveTheirMarkers() {
        func hasMarker(_ data: Data, _ marker: UInt8) -> Bool {
            let bytes = [UInt8](data)
            return zip(bytes, bytes.dropFirst()).contains { $0 == 0xFF && $1 == marker }
        }
        let baseline = TestImages.jpeg()
        XCTAssertEqual(Array([UInt8](baseline).prefix(2)), [0xFF, 0xD8])
        XCTAssertEqual(Array([UInt8](baseline).suffix(2)), [0xFF, 0xD9])
        XCTAssertTrue(hasMarker(baseline, 0xC0), "baseline SOF0")
        XCTAssertTrue(hasMarker(TestImages.jpeg(progressive: true), 0xC2), "progressive SOF2")
        XCTAssertTrue(hasMarker(TestImages.jpeg(arithmetic: true), 0xC9), "arithmetic SOF9")
    }

    func testLargeOutputGrowsTheBuffer() throws {
        // Noise compresses badly, so the output passes the encoder's initial 64 KiB buffer several times.
        var state: UInt32 = 12345
        let noise = (0..<(400 * 400 * 3)).map { _ -> UInt8 in
            state = state &* 1_664_525 &+ 1_013_904_223
            return UInt8(state >> 24)
        }
        let jpeg = try ImageEncoder.encodeJPEG(pixels: noise, width: 400, height: 400, channels: 3, quality: 100)
        let png = try ImageEncoder.encodePNG(pixels: noise, width: 400, height: 400, channels: 3)
        XCTAssertGreaterThan(jpeg.count, 4 * 65536)
        XCTAssertGreaterThan(png.count, 4 * 65536)
        assertAccepts(jpeg, .jpeg, width: 400, height: 400)
        assertAccepts(png, .png, width: 400, height: 400)
    }

    func testJPEGOverTheFormatLimitThrows() {
        XCTAssertThrowsError(
            try ImageEncoder.encodeJPEG(
                pixels: [UInt8](repeating: 0, count: 70_000),
                width: 70_000, height: 1, channels: 1)
        ) { error in
            let message = (error as? ImageError)?.message ?? ""
            XCTAssertTrue(message.hasPrefix("JPEG encoding failed: Maximum supported image dimension"), message)
        }
    }
}
