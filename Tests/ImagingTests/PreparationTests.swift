import Foundation
import XCTest

@testable import Imaging

final class PreparationTests: XCTestCase {
    /// A fast-to-build RGB image: a horizontal ramp whose rows shift, big enough for size goldens.
    static func ramp(width: Int, height: Int) -> [UInt8] {
        let row = (0..<width * 3).map { UInt8(truncatingIfNeeded: $0 / 3 * 255 / width + $0 % 3 * 60) }
        var pixels = [UInt8]()
        pixels.reserveCapacity(width * height * 3)
        for y in 0..<height { pixels += row.map { $0 &+ UInt8(truncatingIfNeeded: y / 8) } }
        return pixels
    }

    static let bigJPEG = try! ImageEncoder.encodeJPEG(
        pixels: ramp(width: 3000, height: 2000), width: 3000,
        height: 2000, channels: 3, quality: 90)

    func testShrinksToTheLongSideKeepingAspect() throws {
        let prepared = try ImagePreparer.prepare(Self.bigJPEG, options: PreparationOptions(maxSide: 1568))
        XCTAssertEqual([prepared.width, prepared.height], [1568, 1045])
        XCTAssertEqual(prepared.format, .jpeg)
        XCTAssertTrue(prepared.reencoded)
        XCTAssertEqual(prepared.original, ImageInfo(format: .jpeg, width: 3000, height: 2000))
        XCTAssertEqual(prepared.originalByteCount, Self.bigJPEG.count)
        XCTAssertLessThan(prepared.data.count, Self.bigJPEG.count)
        XCTAssertNil(prepared.rotation)
        XCTAssertEqual(prepared.summary, "1568x1045 \(kilobytes(prepared.data.count)) KB (jpeg)")
        let decoded = try ImageDecoder.decodeRGB(prepared.data)
        XCTAssertEqual([decoded.width, decoded.height, decoded.channels], [1568, 1045, 3])
    }

    func testShrinksPortraitAndToAPixelCount() throws {
        let portrait = try ImageEncoder.encodeJPEG(
            pixels: Self.ramp(width: 600, height: 900), width: 600, height: 900,
            channels: 3)
        let bySide = try ImagePreparer.prepare(portrait, options: PreparationOptions(maxSide: 300))
        XCTAssertEqual([bySide.width, bySide.height], [200, 300])
        let byPixels = try ImagePreparer.prepare(Self.bigJPEG, options: PreparationOptions(maxPixels: 1_000_000))
        XCTAssertLessThanOrEqual(byPixels.width * byPixels.height, 1_000_000)
        XCTAssertGreaterThan(byPixels.width * byPixels.height, 990_000)
        XCTAssertEqual(Double(byPixels.width) / Double(byPixels.height), 1.5, accuracy: 0.01)
        let both = try ImagePreparer.prepare(Self.bigJPEG, options: PreparationOptions(maxSide: 1000, maxPixels: 100_000))
        XCTAssertEqual([both.width, both.height], [387, 258])
    }

    func testSmallImagesAreNotUpscaledAndSentByteForByte() throws {
        let jpeg = TestImages.jpeg(width: 640, height: 480)
        let png = try ImageEncoder.encodePNG(
            pixels: PreparationImages.quadrants(
                width: 640, height: 480,
                [
                    PreparationImages.red, PreparationImages.green, PreparationImages.blue,
                    PreparationImages.yellow,
                ]), width: 640, height: 480, channels: 3)
        for (label, data) in [("jpeg", jpeg), ("png", png)] {
            let prepared = try ImagePreparer.prepare(data, options: PreparationOptions(maxSide: 1568, maxPixels: 2_000_000))
            XCTAssertEqual(prepared.data, data, label)
            XCTAssertFalse(prepared.reencoded, label)
            XCTAssertEqual([prepared.width, prepared.height], [640, 480], label)
            XCTAssertTrue(prepared.summary.hasSuffix("(\(label), unchanged)"), prepared.summary)
            XCTAssertEqual(prepared.notes, [], label)
        }
    }

    func testNoResizePassesBigImagesThrough() throws {
        let prepared = try ImagePreparer.prepare(Self.bigJPEG, options: PreparationOptions(maxSide: 500, resize: false))
        XCTAssertEqual(prepared.data, Self.bigJPEG)
        XCTAssertEqual([prepared.width, prepared.height], [3000, 2000])
        XCTAssertFalse(prepared.reencoded)
    }

    func testStripReencodesASmallJPEGWithoutItsExif() throws {
        let withExif = PreparationImages.inserting(
            PreparationImages.exifSegment(orientation: 1, bigEndian: false),
            into: TestImages.jpeg(width: 64, height: 48))
        let kept = try ImagePreparer.prepare(withExif, options: PreparationOptions(maxSide: 1568))
        XCTAssertEqual(kept.data, withExif, "orientation 1 without strip: untouched")
        XCTAssertTrue(PreparationImages.headerMarkers(withExif).contains(0xE1))
        let stripped = try ImagePreparer.prepare(withExif, options: PreparationOptions(maxSide: 1568, strip: true))
        XCTAssertTrue(stripped.reencoded)
        XCTAssertEqual([stripped.width, stripped.height], [64, 48])
        XCTAssertFalse(PreparationImages.headerMarkers(stripped.data).contains(0xE1))
    }

    func testJPEGVariantsShrink() throws {
        let pixels = Self.ramp(width: 400, height: 300)
        let cases: [(String, Data)] = [
            ("progressive", try ImageEncoder.encodeJPEG(pixels: pixels, width: 400, height: 300, channels: 3, progressive: true)),
            ("arithmetic", try ImageEncoder.encodeJPEG(pixels: pixels, width: 400, height: 300, channels: 3, arithmeticCoding: true)),
            ("gray", TestImages.jpeg(width: 400, height: 300, channels: 1)),
        ]
        for (label, jpeg) in cases {
            let prepared = try ImagePreparer.prepare(jpeg, options: PreparationOptions(maxSide: 150))
            XCTAssertEqual([prepared.width, prepared.height], [150, 113], label)
            XCTAssertEqual(PreparationImages.jpegComponents(prepared.data), label == "gray" ? 1 : 3, label)
        }
    }

    func testAnArithmeticCodedJPEGIsReencodedWithHuffmanCodingEvenWhenItFits() throws {
        let pixels = Self.ramp(width: 200, height: 150)
        let arithmetic = try ImageEncoder.encodeJPEG(pixels: pixels, width: 200, height: 150, channels: 3, arithmeticCoding: true)
        let huffman = try ImageEncoder.encodeJPEG(pixels: pixels, width: 200, height: 150, channels: 3)
        XCTAssertTrue(arithmetic.withUnsafeBytes { JPEGFrameReader.isArithmeticCoded($0) })
        XCTAssertFalse(huffman.withUnsafeBytes { JPEGFrameReader.isArithmeticCoded($0) })

        let prepared = try ImagePreparer.prepare(arithmetic, options: PreparationOptions(maxSide: 1568))
        XCTAssertTrue(prepared.reencoded)
        XCTAssertEqual([prepared.width, prepared.height], [200, 150])
        XCTAssertFalse(prepared.data.withUnsafeBytes { JPEGFrameReader.isArithmeticCoded($0) })
        XCTAssertTrue(prepared.notes.contains { $0.contains("arithmetic-coded") }, "\(prepared.notes)")
        // A Huffman-coded JPEG that fits is still sent byte for byte.
        XCTAssertEqual(try ImagePreparer.prepare(huffman, options: PreparationOptions(maxSide: 1568)).data, huffman)
    }

    func testAdobeCMYKJPEGComesOutInTheRightColours() throws {
        // Adobe CMYK stores inverted samples (255 = no ink); libjpeg writes an Adobe marker for CMYK.
        let cyan: [UInt8] = [0, 255, 255, 255]
        let magenta: [UInt8] = [255, 0, 255, 255]
        let yellow: [UInt8] = [255, 255, 0, 255]
        let black: [UInt8] = [255, 255, 255, 0]
        var pixels = [UInt8]()
        for y in 0..<200 { for x in 0..<300 { pixels += [[cyan, magenta], [yellow, black]][y / 100][x / 150] } }
        let cmyk = try ImageEncoder.encodeJPEG(pixels: pixels, width: 300, height: 200, channels: 4, quality: 95)
        XCTAssertTrue(PreparationImages.headerMarkers(cmyk).contains(0xEE), "Adobe APP14 marker")
        let prepared = try ImagePreparer.prepare(cmyk, options: PreparationOptions(maxSide: 150))
        XCTAssertEqual(PreparationImages.jpegComponents(prepared.data), 3)
        let decoded = try ImageDecoder.decodeRGB(prepared.data)
        XCTAssertEqual([decoded.width, decoded.height], [150, 100])
        assertClose(Array(decoded.pixel(x: 20, y: 20)), [0, 255, 255], tolerance: 20, "cyan")
        assertClose(Array(decoded.pixel(x: 130, y: 20)), [255, 0, 255], tolerance: 20, "magenta")
        assertClose(Array(decoded.pixel(x: 20, y: 80)), [255, 255, 0], tolerance: 20, "yellow")
        assertClose(Array(decoded.pixel(x: 130, y: 80)), [0, 0, 0], tolerance: 20, "black")
    }

    func testAreaAveragingMixesColoursRatherThanPickingSamples() throws {
        // Alternating black and white columns: nearest neighbour would give black or white, averaging gives grey.
        let stripes = (0..<120).flatMap { _ in (0..<160).map { UInt8($0 % 2 * 255) } }
        let png = try ImageEncoder.encodePNG(pixels: stripes, width: 160, height: 120, channels: 1)
        let prepared = try ImagePreparer.prepare(png, options: PreparationOptions(maxSide: 40))
        let decoded = try ImageDecoder.decodeRGB(prepared.data)
        XCTAssertEqual([decoded.width, decoded.height], [40, 30])
        for (x, y) in [(0, 0), (17, 11), (39, 29)] {
            assertClose(Array(decoded.pixel(x: x, y: y)), [128, 128, 128], tolerance: 3, "(\(x), \(y))")
        }
    }

    private func kilobytes(_ count: Int) -> Int { (count + 512) / 1024 }
}
