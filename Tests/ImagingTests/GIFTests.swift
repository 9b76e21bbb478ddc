import Foundation
import Imaging
import XCTest

final class GIFTests: XCTestCase {
    static let palette = [PreparationImages.red, PreparationImages.green, PreparationImages.blue, PreparationImages.yellow]

    static func solidFrame(_ index: UInt8, width: Int, height: Int) -> FormatFixtures.GIFFrame {
        FormatFixtures.GIFFrame(indices: Array(repeating: index, count: width * height), width: width, height: height)
    }

    func testStillGIFIsValidatedAndSentUnchanged() throws {
        let gif = FormatFixtures.quadrantGIF(width: 64, height: 48)
        assertAccepts(gif, .gif, width: 64, height: 48)
        let prepared = try ImagePreparer.prepare(gif, options: PreparationOptions(maxSide: 1024))
        XCTAssertFalse(prepared.reencoded)
        XCTAssertEqual(prepared.data, gif)
    }

    func testLargeGIFIsShrunkWithItsColours() throws {
        let gif = FormatFixtures.quadrantGIF(width: 320, height: 200)
        let prepared = try ImagePreparer.prepare(gif, options: PreparationOptions(maxSide: 160))
        XCTAssertTrue(prepared.reencoded)
        XCTAssertEqual([prepared.width, prepared.height], [160, 100])
        let decoded = try ImageDecoder.decodeRGB(prepared.data)
        assertClose(Array(decoded.pixel(x: 10, y: 10)), PreparationImages.red, tolerance: 24, "top-left")
        assertClose(Array(decoded.pixel(x: 150, y: 90)), PreparationImages.yellow, tolerance: 24, "bottom-right")
    }

    func testInterlacedRowsComeOutInPictureOrder() throws {
        let (w, h) = (8, 21)
        let indices = (0..<h).flatMap { y in Array(repeating: UInt8(y % 4), count: w) }
        let gif = FormatFixtures.gif(
            width: w, height: h, palette: Self.palette,
            frames: [.init(indices: indices, width: w, height: h, interlaced: true)])
        let decoded = try ImageDecoder.decodeRGB(gif)
        for y in 0..<h { XCTAssertEqual(Array(decoded.pixel(x: 3, y: y)), Self.palette[y % 4], "row \(y)") }
    }

    func testAnimatedGIFBecomesItsFirstFrameAndSaysSo() throws {
        let frames = [
            Self.solidFrame(2, width: 30, height: 20), Self.solidFrame(0, width: 30, height: 20),
            Self.solidFrame(1, width: 30, height: 20),
        ]
        let gif = FormatFixtures.gif(width: 30, height: 20, palette: Self.palette, frames: frames)
        assertAccepts(gif, .gif, width: 30, height: 20)
        let prepared = try ImagePreparer.prepare(gif, options: PreparationOptions(maxSide: 1024))
        XCTAssertTrue(prepared.reencoded)
        XCTAssertNotEqual(prepared.format, .gif)
        XCTAssertTrue(prepared.notes.contains("animated GIF (3 frames): first frame sent"), "\(prepared.notes)")
        let decoded = try ImageDecoder.decodeRGB(prepared.data)
        XCTAssertEqual([decoded.width, decoded.height], [30, 20])
        assertClose(Array(decoded.pixel(x: 15, y: 10)), PreparationImages.blue, tolerance: 12, "first frame")
    }

    func testTransparencyAndUncoveredScreenBecomeAlpha() throws {
        var frame = Self.solidFrame(1, width: 20, height: 10)
        frame.indices[0] = 3
        frame.transparentIndex = 3
        let gif = FormatFixtures.gif(width: 20, height: 20, palette: Self.palette, frames: [frame])  // bottom half uncovered
        let prepared = try ImagePreparer.prepare(gif, options: PreparationOptions(maxSide: 1024, strip: true))
        XCTAssertEqual(prepared.format, .png)
        let decoded = try ImageDecoder.decodeRGB(prepared.data)
        XCTAssertEqual(decoded.channels, 4)
        XCTAssertEqual(decoded.pixel(x: 0, y: 0).last, 0, "transparent index")
        XCTAssertEqual(Array(decoded.pixel(x: 5, y: 5)), PreparationImages.green + [255])
        XCTAssertEqual(decoded.pixel(x: 5, y: 15).last, 0, "outside the frame")
    }

    func testBombFramesAreRefusedFromTheirDeclaredSize() {
        // A 10x10 screen whose one frame declares 65535x65535 (4.3 gigapixels) with almost no data.
        var bytes = [UInt8](
            FormatFixtures.gif(
                width: 10, height: 10, palette: Self.palette,
                frames: [Self.solidFrame(0, width: 1, height: 1)]))
        let descriptor = bytes.firstIndex(of: 0x2C)!
        bytes.replaceSubrange((descriptor + 5)..<(descriptor + 9), with: [0xFF, 0xFF, 0xFF, 0xFF])
        assertRejects(Data(bytes), .tooLarge, "GIF declares 65535x65535 pixels, over the limit of 100000000 pixels")
        // Found by fuzzing: a frame of zero width but too many rows is too large, not a crash.
        bytes.replaceSubrange((descriptor + 5)..<(descriptor + 9), with: [0, 0, 0x40, 0x9C])
        assertRejects(Data(bytes), .tooLarge, "GIF declares 0x40000 pixels, over the limit of 30000 pixels per side")
        assertRejects(
            FormatFixtures.gif(width: 40_000, height: 2, palette: Self.palette, frames: []), .tooLarge,
            "GIF declares 40000x2 pixels, over the limit of 30000 pixels per side")
        // A later frame is checked too, though only the first is decoded.
        let later = FormatFixtures.gif(
            width: 10, height: 10, palette: Self.palette,
            frames: [Self.solidFrame(1, width: 10, height: 10), Self.solidFrame(1, width: 10, height: 10)])
        var laterBytes = [UInt8](later)
        let second = laterBytes.lastIndex(of: 0x2C)!
        laterBytes.replaceSubrange((second + 5)..<(second + 9), with: [0xFF, 0xFF, 0xFF, 0xFF])
        assertRejects(Data(laterBytes), .tooLarge, "GIF declares 65535x65535 pixels")
    }

    func testTruncatedCopiesAreRefusedButAMissingTrailerIsNot() {
        let frames = [Self.solidFrame(2, width: 60, height: 40), Self.solidFrame(0, width: 60, height: 40)]
        let animated = FormatFixtures.gif(width: 60, height: 40, palette: Self.palette, frames: frames)
        for gif in [animated, FormatFixtures.quadrantGIF(width: 60, height: 40, interlaced: true)] {
            for cut in [gif.count / 4, gif.count / 2, gif.count - 10, gif.count - 2] {
                assertRejects(gif.prefix(cut), .corrupt, "corrupt GIF: ", "cut at \(cut) of \(gif.count)")
            }
            assertAccepts(gif.prefix(gif.count - 1), .gif, width: 60, height: 40, "only the trailer byte missing")
        }
        assertRejects(
            FormatFixtures.gif(width: 0, height: 5, palette: Self.palette, frames: []), .corrupt,
            "invalid GIF: zero width or height")
        assertRejects(FormatFixtures.gif(width: 5, height: 5, palette: Self.palette, frames: []).prefix(8), .corrupt, "corrupt GIF: ")
    }
}
