import Foundation
import Imaging
import XCTest

final class PreparationLimitTests: XCTestCase {
    static let noisyJPEG = try! ImageEncoder.encodeJPEG(
        pixels: PreparationImages.photo(width: 1200, height: 800),
        width: 1200, height: 800, channels: 3, quality: 95)

    static func base64Length(_ n: Int) -> Int { 4 * ((n + 2) / 3) }

    func testShrinksFurtherToFitTheByteLimit() throws {
        let cap = Self.base64Length(Self.noisyJPEG.count) / 3
        let prepared = try ImagePreparer.prepare(Self.noisyJPEG, options: PreparationOptions(maxSide: 1568, maxEncodedBytes: cap))
        XCTAssertLessThanOrEqual(Self.base64Length(prepared.data.count), cap)
        XCTAssertLessThan(prepared.width, 1200)
        XCTAssertEqual(Double(prepared.width) / Double(prepared.height), 1.5, accuracy: 0.01)
        XCTAssertTrue(prepared.notes.contains { $0.hasPrefix("shrunk further") }, "\(prepared.notes)")
        XCTAssertTrue(prepared.reencoded)
    }

    func testLowersQualityWhenShrinkingAloneDoesNotFit() throws {
        // At the smallest fitting size (256 px long side) quality 85 is over the cap but a lower quality fits.
        let small = try ImagePreparer.prepare(Self.noisyJPEG, options: PreparationOptions(maxSide: 256, jpegQuality: 85))
        let low = try ImagePreparer.prepare(Self.noisyJPEG, options: PreparationOptions(maxSide: 256, jpegQuality: 40))
        let cap = Self.base64Length(low.data.count) + 8
        XCTAssertGreaterThan(Self.base64Length(small.data.count), cap)
        let prepared = try ImagePreparer.prepare(Self.noisyJPEG, options: PreparationOptions(maxSide: 256, maxEncodedBytes: cap))
        XCTAssertLessThanOrEqual(Self.base64Length(prepared.data.count), cap)
        XCTAssertTrue(prepared.notes.contains { $0.contains("JPEG quality lowered to") }, "\(prepared.notes)")
    }

    func testThrowsTooLargeWhenNothingFits() {
        assertPrepareRejects(
            Self.noisyJPEG, PreparationOptions(maxSide: 1568, maxEncodedBytes: 200), .tooLarge,
            "over the limit of 200 B; it cannot be shrunk further")
    }

    func testNoResizeCannotShrink() {
        assertPrepareRejects(
            Self.noisyJPEG, PreparationOptions(resize: false, maxEncodedBytes: 1000), .tooLarge,
            "and resizing is off")
        assertPrepareRejects(
            FormatFixtures.webp(width: 300, height: 200), PreparationOptions(resize: false, maxEncodedBytes: 100),
            .tooLarge, "WebP image is")
    }

    func testDamagedFilesAreRejectedWithTheValidatorsMessages() {
        let jpeg = try! ImageEncoder.encodeJPEG(
            pixels: PreparationImages.photo(width: 800, height: 600), width: 800,
            height: 600, channels: 3)
        let progressive = try! ImageEncoder.encodeJPEG(
            pixels: PreparationImages.photo(width: 800, height: 600),
            width: 800, height: 600, channels: 3, progressive: true)
        let png = try! ImageEncoder.encodePNG(
            pixels: PreparationImages.photo(width: 400, height: 300), width: 400,
            height: 300, channels: 3)
        var markerInScan = jpeg
        markerInScan.replaceSubrange(jpeg.startIndex + jpeg.count / 2..<jpeg.startIndex + jpeg.count / 2 + 2, with: [0xFF, 0xD9])
        let cases: [(String, Data)] = [
            ("truncated jpeg", jpeg.prefix(jpeg.count / 2)),
            ("truncated progressive", progressive.prefix(progressive.count * 3 / 4)),
            ("marker in scan", markerInScan),
            ("truncated png", png.prefix(png.count / 2)),
            ("damaged IDAT", TestImages.pngWithDamagedIDAT(png, fixCRC: true)),
            ("bad IDAT CRC", TestImages.pngWithDamagedIDAT(png, fixCRC: false)),
            ("bomb", Data(TestImages.pngSignature + TestImages.ihdr(width: 100_000, height: 100_000))),
            ("text", Data("hello".utf8)),
            ("empty", Data()),
        ]
        for shrink in [PreparationOptions(maxSide: 200), PreparationOptions(maxSide: 2000), PreparationOptions(maxSide: 200, resize: false)] {
            for (label, data) in cases {
                let expected: ImageError
                do {
                    _ = try ImageValidator.validate(data)
                    XCTFail("\(label): the validator accepted it")
                    continue
                } catch {
                    expected = error
                }
                assertPrepareRejects(data, shrink, expected.kind, expected.message, "\(label), \(shrink)")
            }
        }
    }

    func testTooManyScansIsStillALimit() {
        let progressive = TestImages.jpeg(width: 400, height: 300, progressive: true)
        assertPrepareRejects(
            progressive, PreparationOptions(maxSide: 100, limits: ImageLimits(maxJPEGScans: 3)),
            .tooLarge, "JPEG has more than 3 scans")
    }
}

/// Asserts that preparing `data` throws an ImageError of `kind` whose message contains `message`.
func assertPrepareRejects(
    _ data: Data, _ options: PreparationOptions, _ kind: ImageError.Kind, _ message: String,
    _ label: String = "", file: StaticString = #filePath, line: UInt = #line
) {
    do {
        let prepared = try ImagePreparer.prepare(data, options: options)
        XCTFail("\(label): prepared as \(prepared.summary), expected \(kind) containing \"\(message)\"", file: file, line: line)
    } catch {
        XCTAssertEqual(error.kind, kind, "\(label): \(error.message)", file: file, line: line)
        XCTAssertTrue(
            error.message.contains(message), "\(label): \"\(error.message)\" lacks \"\(message)\"",
            file: file, line: line)
    }
}
