import Foundation
import XCTest

@testable import Imaging

/// The drawing `vq detect --annotate` uses: strokes inside the box's edges, clipping, lettering in the 5x7 font with
/// anything but printable ASCII drawn as '?', and an upright decode of an EXIF-rotated JPEG.
final class ImageCanvasTests: XCTestCase {
    private func blank(_ width: Int, _ height: Int) -> ImageCanvas {
        ImageCanvas(DecodedImage(pixels: [UInt8](repeating: 255, count: width * height * 3), width: width, height: height, channels: 3))
    }

    func testAStrokeLiesInsideTheBoxAndClipsAtTheBorder() {
        var canvas = blank(20, 10)
        let red = ImageCanvas.Color(200, 0, 0)
        canvas.stroke(left: 2, top: 1, right: 30, bottom: 8, thickness: 2, color: red)
        XCTAssertEqual(canvas.color(x: 2, y: 4), red)
        XCTAssertEqual(canvas.color(x: 3, y: 4), red)
        XCTAssertEqual(canvas.color(x: 4, y: 4), .white, "two pixels wide")
        XCTAssertEqual(canvas.color(x: 1, y: 4), .white, "nothing outside the box")
        XCTAssertEqual(canvas.color(x: 10, y: 7), red, "bottom edge ends at the box's bottom")
        XCTAssertEqual(canvas.color(x: 10, y: 8), .white)
        XCTAssertEqual(canvas.color(x: 19, y: 1), red, "the right part is clipped, the top edge still drawn")
    }

    func testLetteringFollowsTheGlyphsAndNonASCIIIsAQuestionMark() {
        XCTAssertEqual(BitmapFont.drawable("Café ✓ ok"), "Caf? ? ok")
        XCTAssertEqual(BitmapFont.width(of: "ab", scale: 3), (2 * 6 - 1) * 3)
        var accented = blank(20, 10)
        var question = blank(20, 10)
        accented.text("é", x: 1, y: 1, scale: 2, color: .black)
        question.text("?", x: 1, y: 1, scale: 2, color: .black)
        XCTAssertEqual(accented.pixels, question.pixels)
        // 'T' at scale 2: the top bar across all five columns, the stem in the middle one only.
        var canvas = blank(12, 16)
        canvas.text("T", x: 0, y: 0, scale: 2, color: .black)
        XCTAssertEqual((0..<10).map { canvas.color(x: $0, y: 0) == .black }, [Bool](repeating: true, count: 10))
        XCTAssertEqual((0..<10).map { canvas.color(x: $0, y: 6) == .black }, [false, false, false, false, true, true, false, false, false, false])
        XCTAssertEqual(canvas.color(x: 4, y: 13), .black)
        XCTAssertEqual(canvas.color(x: 4, y: 14), .white, "seven rows of two pixels")
    }

    func testATranslucentTintMixesTheColourIn() {
        var canvas = blank(4, 4)
        canvas.tint(mask: [0, 255, 0, 0], maskWidth: 2, maskHeight: 2, left: 1, top: 1, color: .black, opacity: 0.5)
        XCTAssertEqual(canvas.color(x: 2, y: 1), ImageCanvas.Color(128, 128, 128))
        XCTAssertEqual(canvas.color(x: 1, y: 1), .white)
    }

    func testDecodeUprightTurnsAnEXIFRotatedJPEG() throws {
        // Stored 4x2: left half black, right half white; EXIF 6 (turn 90 clockwise) shows it 2x4, black on top.
        var pixels = [UInt8]()
        for _ in 0..<2 { for x in 0..<4 { pixels += x < 2 ? [0, 0, 0] : [255, 255, 255] } }
        let jpeg = try ImageEncoder.encodeJPEG(pixels: pixels, width: 4, height: 2, channels: 3, quality: 100)
        let exif: [UInt8] = [
            0xFF, 0xE1, 0x00, 0x22, 0x45, 0x78, 0x69, 0x66, 0x00, 0x00, 0x4D, 0x4D, 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08, 0x00, 0x01, 0x01, 0x12,
            0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        ]
        let image = try ImageDecoder.decodeUpright(Data([0xFF, 0xD8] + exif + [UInt8](jpeg.dropFirst(2))))
        XCTAssertEqual([image.width, image.height], [2, 4])
        XCTAssertLessThan(Int(image.pixel(x: 0, y: 0).first!), 40)
        XCTAssertGreaterThan(Int(image.pixel(x: 1, y: 3).first!), 215)
    }
}
