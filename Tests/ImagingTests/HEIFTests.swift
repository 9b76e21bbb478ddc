import Foundation
import Imaging
import XCTest

final class HEIFTests: XCTestCase {
    static let corners: [(Int, Int, [UInt8], String)] = [
        (4, 4, PreparationImages.red, "top-left"), (43, 4, PreparationImages.green, "top-right"),
        (4, 27, PreparationImages.blue, "bottom-left"), (43, 27, PreparationImages.yellow, "bottom-right"),
    ]

    func testEveryRotationAndMirroringComesOutUpright() throws {
        for orientation in 1...8 {
            let heic = FormatFixtures.orientedHEIF(orientation: orientation)
            XCTAssertEqual(ImageSniffer.sniff(heic), .image(.heic))
            assertAccepts(heic, .heic, width: 96, height: 64, "orientation \(orientation): display size")
            let prepared = try ImagePreparer.prepare(heic, options: PreparationOptions(maxSide: 48))
            XCTAssertEqual(prepared.format, .jpeg, "orientation \(orientation)")
            XCTAssertEqual([prepared.width, prepared.height], [48, 32], "orientation \(orientation)")
            let decoded = try ImageDecoder.decodeRGB(prepared.data)
            for (x, y, colour, corner) in Self.corners {
                assertClose(Array(decoded.pixel(x: x, y: y)), colour, tolerance: 40, "orientation \(orientation) \(corner)")
            }
        }
    }

    func testAVIFIsDecodedWithItsRotation() throws {
        for orientation in [1, 6] {
            let avif = FormatFixtures.orientedHEIF(orientation: orientation, avif: true)
            XCTAssertEqual(ImageSniffer.sniff(avif), .image(.avif))
            let prepared = try ImagePreparer.prepare(avif, options: PreparationOptions(maxSide: 48))
            XCTAssertEqual(prepared.format, .jpeg)
            XCTAssertEqual(prepared.original, ImageInfo(format: .avif, width: 96, height: 64))
            let decoded = try ImageDecoder.decodeRGB(prepared.data)
            for (x, y, colour, corner) in Self.corners {
                assertClose(Array(decoded.pixel(x: x, y: y)), colour, tolerance: 40, "AVIF \(orientation) \(corner)")
            }
        }
    }

    func testHEICIsAlwaysConvertedAndSaysSo() throws {
        let heic = FormatFixtures.orientedHEIF(orientation: 1)
        for options in [PreparationOptions(maxSide: 1568), PreparationOptions(resize: false)] {
            let prepared = try ImagePreparer.prepare(heic, options: options)
            XCTAssertTrue(prepared.reencoded)
            XCTAssertEqual(prepared.format, .jpeg)
            XCTAssertEqual([prepared.width, prepared.height], [96, 64])
            XCTAssertEqual(prepared.notes, ["HEIC sent as JPEG"])
        }
    }

    func testSaturatedColoursSurviveTheYCbCrConversion() throws {
        // vq converts 8-bit YCbCr planes itself (BT.601 unless the file says otherwise); a wrong matrix or range
        // shifts saturated colours by 20 levels or more.
        for (label, colour) in [
            ("red", PreparationImages.red), ("green", PreparationImages.green),
            ("blue", PreparationImages.blue), ("yellow", PreparationImages.yellow),
        ] {
            let pixels = Array(Array(repeating: colour, count: 64 * 64).joined())
            for avif in [false, true] {
                let file = try ImageEncoder.encodeHEIF(pixels: pixels, width: 64, height: 64, channels: 3, quality: 95, avif: avif)
                let decoded = try ImageDecoder.decodeRGB(file)
                assertClose(Array(decoded.pixel(x: 32, y: 32)), colour, tolerance: 8, "\(label) \(avif ? "AVIF" : "HEIC")")
            }
        }
    }

    func testTransparentHEICBecomesPNG() throws {
        let pixels = FormatFixtures.rgba(width: 64, height: 48, transparent: true)
        let heic = try ImageEncoder.encodeHEIF(pixels: pixels, width: 64, height: 48, channels: 4, quality: 90)
        let prepared = try ImagePreparer.prepare(heic, options: PreparationOptions(maxSide: 1568))
        XCTAssertEqual(prepared.format, .png)
        let decoded = try ImageDecoder.decodeRGB(prepared.data)
        XCTAssertEqual(decoded.channels, 4)
        XCTAssertLessThan(decoded.pixel(x: 4, y: 0).last!, 100)
        XCTAssertGreaterThan(decoded.pixel(x: 40, y: 30).last!, 240)
    }

    func testTruncatedOrGarbledHEIFIsRefused() {
        for avif in [false, true] {
            let file = FormatFixtures.orientedHEIF(orientation: 1, avif: avif)
            let name = avif ? "AVIF" : "HEIC"
            for cut in [40, file.count / 2, file.count - 20] {
                assertRejects(file.prefix(cut), .corrupt, "corrupt \(name): ", "\(name) cut at \(cut) of \(file.count)")
            }
        }
    }

    func testLimitsApplyToTheDeclaredSize() {
        assertRejects(
            FormatFixtures.orientedHEIF(orientation: 6), limits: ImageLimits(maxPixels: 1000), .tooLarge,
            "HEIC declares 96x64 pixels, over the limit of 1000 pixels")
    }
}
