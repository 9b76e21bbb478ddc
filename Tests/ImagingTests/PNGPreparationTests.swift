import Foundation
import Imaging
import XCTest

final class PNGPreparationTests: XCTestCase {
    static let quadrantColours = [
        PreparationImages.red, PreparationImages.green, PreparationImages.blue,
        PreparationImages.yellow,
    ]

    func testTransparentPNGStaysPNGWithItsAlpha() throws {
        var pixels = [UInt8]()
        for y in 0..<300 { for x in 0..<400 { pixels += x < 200 ? [200, 30, 30, 255] : [10, 10, 200, y < 150 ? 0 : 128] } }
        let png = try ImageEncoder.encodePNG(pixels: pixels, width: 400, height: 300, channels: 4)
        let prepared = try ImagePreparer.prepare(png, options: PreparationOptions(maxSide: 100))
        XCTAssertEqual(prepared.format, .png)
        XCTAssertEqual([prepared.width, prepared.height], [100, 75])
        XCTAssertEqual(PreparationImages.pngColourType(prepared.data), 6)
        let decoded = try ImageDecoder.decodeRGB(prepared.data)
        XCTAssertEqual(decoded.channels, 4)
        XCTAssertEqual(Array(decoded.pixel(x: 10, y: 10)), [200, 30, 30, 255])
        XCTAssertEqual(decoded.pixel(x: 90, y: 10).last, 0)
        // Half-transparent blue keeps its colour: averaging is premultiplied, so the transparent half adds no black.
        assertClose(Array(decoded.pixel(x: 90, y: 70)), [10, 10, 200, 128], tolerance: 1, "translucent")
    }

    func testOpaquePhotoPNGBecomesJPEGAndSaysSo() throws {
        let photo = try ImageEncoder.encodePNG(
            pixels: PreparationImages.photo(width: 600, height: 400), width: 600,
            height: 400, channels: 3)
        let shrunk = try ImagePreparer.prepare(photo, options: PreparationOptions(maxSide: 300))
        XCTAssertEqual(shrunk.format, .jpeg)
        XCTAssertEqual([shrunk.width, shrunk.height], [300, 200])
        XCTAssertEqual(shrunk.notes.count, 1)
        XCTAssertTrue(shrunk.notes[0].hasPrefix("PNG sent as JPEG ("), shrunk.notes[0])
        let unshrunk = try ImagePreparer.prepare(photo, options: PreparationOptions(maxSide: 1568))
        XCTAssertEqual(unshrunk.format, .jpeg)
        XCTAssertEqual([unshrunk.width, unshrunk.height], [600, 400])
        XCTAssertLessThan(unshrunk.data.count * 2, photo.count)
        XCTAssertEqual(unshrunk.notes, ["PNG sent as JPEG (\(byteText(photo.count - unshrunk.data.count)) smaller)"])
    }

    func testFlatGraphicPNGStaysPNG() throws {
        let png = try ImageEncoder.encodePNG(
            pixels: PreparationImages.quadrants(width: 800, height: 600, Self.quadrantColours),
            width: 800, height: 600, channels: 3)
        let prepared = try ImagePreparer.prepare(png, options: PreparationOptions(maxSide: 400))
        XCTAssertEqual(prepared.format, .png)
        XCTAssertEqual(PreparationImages.pngColourType(prepared.data), 2)
        XCTAssertEqual([prepared.width, prepared.height], [400, 300])
        XCTAssertEqual(prepared.notes, [])
        let decoded = try ImageDecoder.decodeRGB(prepared.data)
        XCTAssertEqual(Array(decoded.pixel(x: 399, y: 0)), PreparationImages.green)
        XCTAssertEqual(Array(decoded.pixel(x: 0, y: 299)), PreparationImages.blue)
    }

    func testShrunkPalettePhotoBecomesJPEGFromASampledSizeEstimate() throws {
        // A noisy photo quantized to a 3-3-2 palette: its palette PNG is small, so scaling the file size predicts
        // a small PNG, but the shrunk image is RGB with new colours. The sampled estimate sees that, and JPEG wins
        // without a full PNG being encoded (the note says "about" for an estimate).
        let (w, h) = (1200, 1400)
        var palette = [UInt8]()
        for i in 0..<256 { palette += [UInt8((i >> 5) << 5), UInt8((i >> 2) & 7) << 5, UInt8(i & 3) << 6] }
        let rgb = PreparationImages.photo(width: w, height: h)
        var indices = [UInt8](repeating: 0, count: w * h)
        for i in 0..<(w * h) {
            let r = (rgb[3 * i] >> 5) << 5
            let g = (rgb[3 * i + 1] >> 5) << 2
            indices[i] = r | g | rgb[3 * i + 2] >> 6
        }
        let png = try ImageEncoder.encodePNG(pixels: indices, width: w, height: h, channels: 1, palette: palette)
        let prepared = try ImagePreparer.prepare(png, options: PreparationOptions(maxSide: 700))
        XCTAssertEqual(prepared.format, .jpeg)
        XCTAssertEqual([prepared.width, prepared.height], [600, 700])
        XCTAssertTrue(prepared.notes.first?.hasPrefix("PNG sent as JPEG (about ") ?? false, "\(prepared.notes) \(png.count) \(prepared.data.count)")
        // A flat graphic as large keeps PNG: the sample shows it compresses well.
        let flat = try ImageEncoder.encodePNG(
            pixels: PreparationImages.quadrants(width: w, height: h, Self.quadrantColours),
            width: w, height: h, channels: 3)
        XCTAssertEqual(try ImagePreparer.prepare(flat, options: PreparationOptions(maxSide: 700)).format, .png)
    }

    func testOpaqueAlphaChannelIsDropped() throws {
        let rgba = PreparationImages.quadrants(width: 200, height: 100, Self.quadrantColours)
            .enumerated().flatMap { (index, sample) -> [UInt8] in index % 3 == 2 ? [sample, 255] : [sample] }
        let png = try ImageEncoder.encodePNG(pixels: rgba, width: 200, height: 100, channels: 4)
        let prepared = try ImagePreparer.prepare(png, options: PreparationOptions(maxSide: 100))
        XCTAssertEqual(PreparationImages.pngColourType(prepared.data), 2, "RGB, alpha dropped")
    }

    func testSixteenBitPaletteGrayAndInterlacedPNGsShrink() throws {
        let (w, h) = (240, 160)
        let gray = TestImages.gradient(width: w, height: h, channels: 1)
        let quadrants = PreparationImages.quadrants(width: w, height: h, Self.quadrantColours)
        let palette = Self.quadrantColours.flatMap { $0 }
        let indices = stride(from: 0, to: quadrants.count, by: 3).map { i in
            UInt8(Self.quadrantColours.firstIndex(of: Array(quadrants[i..<i + 3]))!)
        }
        let sixteen = quadrants.flatMap { sample -> [UInt8] in [sample, 0x80] }
        let cases: [(String, Data, [UInt8]?)] = [
            ("16-bit", try ImageEncoder.encodePNG(pixels: sixteen, width: w, height: h, channels: 3, bitDepth: 16), PreparationImages.red),
            ("palette", try ImageEncoder.encodePNG(pixels: indices, width: w, height: h, channels: 1, palette: palette), PreparationImages.red),
            ("interlaced", try ImageEncoder.encodePNG(pixels: quadrants, width: w, height: h, channels: 3, interlaced: true), PreparationImages.red),
            ("gray", try ImageEncoder.encodePNG(pixels: gray, width: w, height: h, channels: 1), nil),
            (
                "gray 16-bit",
                try ImageEncoder.encodePNG(pixels: gray.flatMap { sample -> [UInt8] in [sample, 0] }, width: w, height: h, channels: 1, bitDepth: 16), nil
            ),
        ]
        for (label, png, topLeft) in cases {
            let prepared = try ImagePreparer.prepare(png, options: PreparationOptions(maxSide: 120))
            XCTAssertEqual([prepared.width, prepared.height], [120, 80], label)
            let decoded = try ImageDecoder.decodeRGB(prepared.data)
            XCTAssertEqual([decoded.width, decoded.height, decoded.channels], [120, 80, 3], label)
            if let topLeft {
                assertClose(Array(decoded.pixel(x: 5, y: 5)), topLeft, tolerance: 2, label)
                assertClose(Array(decoded.pixel(x: 115, y: 75)), PreparationImages.yellow, tolerance: 2, label)
            } else {
                XCTAssertEqual(prepared.format, .png, label)
                XCTAssertEqual(PreparationImages.pngColourType(prepared.data), 0, "\(label) stays gray")
                let pixel = decoded.pixel(x: 60, y: 0)  // source columns 120-121 of the ramp: ~128
                assertClose(Array(pixel), [128, 128, 128], tolerance: 3, label)
            }
        }
    }

    private func byteText(_ bytes: Int) -> String {
        if bytes < 1024 * 1024 { return "\((bytes + 512) / 1024) KB" }
        let tenths = (bytes * 10 + 512 * 1024) / (1024 * 1024)
        return "\(tenths / 10).\(tenths % 10) MB"
    }
}
