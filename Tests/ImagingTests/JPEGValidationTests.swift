import Foundation
import Imaging
import XCTest

final class JPEGValidationTests: XCTestCase {
    func testAcceptsBaselineProgressiveGrayCMYKAndArithmetic() {
        let (w, h) = (67, 45)
        let cases: [(String, Data)] = [
            ("baseline", TestImages.jpeg(width: w, height: h)),
            ("progressive", TestImages.jpeg(width: w, height: h, progressive: true)),
            ("gray", TestImages.jpeg(width: w, height: h, channels: 1)),
            ("gray progressive", TestImages.jpeg(width: w, height: h, channels: 1, progressive: true)),
            ("cmyk", TestImages.jpeg(width: w, height: h, channels: 4)),
            ("arithmetic", TestImages.jpeg(width: w, height: h, arithmetic: true)),
            ("arithmetic progressive", TestImages.jpeg(width: w, height: h, progressive: true, arithmetic: true)),
        ]
        for (label, jpeg) in cases { assertAccepts(jpeg, .jpeg, width: w, height: h, label) }
    }

    func testRejectsTruncationWithTheLibraryMessage() {
        for progressive in [false, true] {
            let jpeg = TestImages.jpeg(width: 128, height: 96, progressive: progressive)
            for cut in [jpeg.count / 2, jpeg.count * 3 / 4, jpeg.count - 2] {
                assertRejects(
                    jpeg.prefix(cut), .corrupt, "corrupt JPEG: Premature end of JPEG file",
                    "progressive \(progressive) cut at \(cut) of \(jpeg.count)")
            }
        }
    }

    func testRejectsTruncatedHeader() {
        let jpeg = TestImages.jpeg()
        for cut in [3, 20, 100] { assertRejects(jpeg.prefix(cut), .corrupt, "corrupt JPEG: ", "cut at \(cut)") }
    }

    func testRejectsCorruptEntropyData() {
        // A marker in the middle of the scan data ends the segment early: libjpeg warns, which counts as an error.
        var jpeg = TestImages.jpeg(width: 128, height: 96)
        let middle = jpeg.startIndex + jpeg.count / 2
        jpeg.replaceSubrange(middle..<middle + 2, with: [0xFF, 0xD9])
        assertRejects(jpeg, .corrupt, "corrupt JPEG: premature end of data segment")
    }

    func testUnsupportedVariantsAreNamedNotCalledCorrupt() {
        let jpeg = [UInt8](TestImages.jpeg())
        let sof = jpeg.indices.first { i in jpeg[i] == 0xFF && jpeg[i + 1] == 0xC0 }!
        var twelveBit = jpeg
        twelveBit[sof + 4] = 12
        assertRejects(
            Data(twelveBit), .unsupported,
            "unsupported JPEG variant (Unsupported JPEG data precision 12); convert it first")
        var lossless = jpeg
        lossless[sof + 1] = 0xC3
        assertRejects(Data(lossless), .unsupported, "(Unsupported JPEG process: SOF type 0xc3)")
    }

    func testAcceptsTrailingBytesAfterEOI() {
        assertAccepts(TestImages.jpeg() + Data("appended".utf8), .jpeg, width: 64, height: 48)
    }

    func testRejectsGarbageAfterAValidHeader() {
        let jpeg = TestImages.jpeg(width: 128, height: 96)
        let sos = [UInt8](jpeg).indices.first { i in jpeg[i] == 0xFF && jpeg[i + 1] == 0xDA }!
        let garbage = Data((0..<2000).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) })
        assertRejects(jpeg.prefix(sos + 14) + garbage, .corrupt, "corrupt JPEG: ")
    }

    func testRejectsTooManyProgressiveScans() {
        let progressive = TestImages.jpeg(progressive: true)  // libjpeg's simple progression: 10 scans
        let limits = ImageLimits(maxJPEGScans: 3)
        assertRejects(progressive, limits: limits, .tooLarge, "JPEG has more than 3 scans")
        assertAccepts(progressive, .jpeg, width: 64, height: 48, limits: ImageLimits(maxJPEGScans: 10))
        assertAccepts(TestImages.jpeg(), .jpeg, width: 64, height: 48, limits: limits, "baseline has one scan")
    }

    func testRejectsOversizedFromTheHeader() {
        let jpeg = TestImages.jpeg(width: 64, height: 48)
        assertRejects(
            jpeg, limits: ImageLimits(maxPixels: 1000), .tooLarge,
            "JPEG declares 64x48 pixels, over the limit of 1000 pixels")
        // The scan data no longer fits the declared size, so tooLarge proves the check ran before decoding.
        let sof = [UInt8](jpeg).indices.first { i in jpeg[i] == 0xFF && jpeg[i + 1] == 0xC0 }!
        var bytes = [UInt8](jpeg)
        bytes.replaceSubrange(sof + 5..<sof + 9, with: [0xEA, 0x60, 0xEA, 0x60])  // 60000x60000
        assertRejects(Data(bytes), .tooLarge, "JPEG declares 60000x60000 pixels, over the limit of 100000000 pixels")
    }

    func testExtraneousBytesBeforeAMarkerAreAccepted() throws {
        // Photoshop and some cameras leave stray bytes between segments; libjpeg warns and decodes the same pixels.
        let jpeg = TestImages.jpeg(width: 64, height: 48)
        let bytes = [UInt8](jpeg)
        let afterAPP0 = 4 + (Int(bytes[4]) << 8 | Int(bytes[5]))
        let padded = Data(bytes[..<afterAPP0] + [0x00, 0x11, 0x22] + bytes[afterAPP0...])
        assertAccepts(padded, .jpeg, width: 64, height: 48)
        XCTAssertEqual(try ImageDecoder.decodeRGB(padded), try ImageDecoder.decodeRGB(jpeg))
        let prepared = try ImagePreparer.prepare(padded, options: PreparationOptions(maxSide: 1024))
        XCTAssertEqual(prepared.data, padded)
        // Truncation is still refused.
        assertRejects(padded.prefix(padded.count - 40), .corrupt, "corrupt JPEG: Premature end of JPEG file")
    }
}
