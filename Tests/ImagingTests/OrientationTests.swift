import Foundation
import Imaging
import XCTest

final class OrientationTests: XCTestCase {
    /// `stored` undoes `displayed` for every orientation (vq detect maps mask pixels back with it).
    func testStoredIsTheInverseOfDisplayed() {
        let size = PixelSize(width: 30, height: 20)
        for raw in 1...8 {
            let orientation = ExifOrientation(rawValue: raw)!
            for (x, y) in [(0.0, 0.0), (3.5, 7.25), (30, 20), (12, 1)] {
                let shown = orientation.displayed(x: x, y: y, stored: size)
                let back = orientation.stored(x: shown.x, y: shown.y, stored: size)
                XCTAssertEqual(back.x, x, accuracy: 1e-9, "orientation \(raw)")
                XCTAssertEqual(back.y, y, accuracy: 1e-9, "orientation \(raw)")
            }
        }
    }

    enum Side { case top, bottom, left, right }

    /// EXIF 2.3, tag 0x0112, in its own words: the side of the upright picture that the stored image's
    /// row 0 and column 0 show.
    static let exifTable: [Int: (row0: Side, column0: Side)] = [
        1: (.top, .left), 2: (.top, .right), 3: (.bottom, .right), 4: (.bottom, .left),
        5: (.left, .top), 6: (.right, .top), 7: (.right, .bottom), 8: (.left, .bottom),
    ]

    static func opposite(_ side: Side) -> Side {
        switch side {
        case .top: .bottom
        case .bottom: .top
        case .left: .right
        case .right: .left
        }
    }

    /// Colour of the upright picture's corner where two sides meet.
    static func cornerColour(_ a: Side, _ b: Side) -> [UInt8] {
        let sides = [a, b]
        let top = sides.contains(.top)
        let left = sides.contains(.left)
        switch (top, left) {
        case (true, true): return PreparationImages.red
        case (true, false): return PreparationImages.green
        case (false, true): return PreparationImages.blue
        case (false, false): return PreparationImages.yellow
        }
    }

    /// A stored JPEG that, turned per `orientation`, shows red/green/blue/yellow corners (TL, TR, BL, BR) at 320x200.
    static func storedJPEG(orientation: Int, bigEndian: Bool) -> Data {
        let (row0, column0) = exifTable[orientation]!
        let lastRow = opposite(row0)
        let lastColumn = opposite(column0)
        let colours = [
            cornerColour(row0, column0), cornerColour(row0, lastColumn),
            cornerColour(lastRow, column0), cornerColour(lastRow, lastColumn),
        ]
        let (w, h) = orientation >= 5 ? (200, 320) : (320, 200)
        let jpeg = try! ImageEncoder.encodeJPEG(
            pixels: PreparationImages.quadrants(width: w, height: h, colours),
            width: w, height: h, channels: 3, quality: 95)
        return PreparationImages.inserting(
            PreparationImages.exifSegment(orientation: orientation, bigEndian: bigEndian),
            into: jpeg)
    }

    func testEveryOrientationComesOutUprightInBothByteOrders() throws {
        let expected: [String?] = [
            nil, "flipped", "rotated 180", "flipped vertically", "rotated 90, flipped",
            "rotated 90", "rotated 270, flipped", "rotated 270",
        ]
        for orientation in 1...8 {
            for bigEndian in [false, true] {
                let label = "orientation \(orientation) \(bigEndian ? "MM" : "II")"
                let stored = Self.storedJPEG(orientation: orientation, bigEndian: bigEndian)
                let prepared = try ImagePreparer.prepare(stored, options: PreparationOptions(maxSide: 160))
                XCTAssertEqual(prepared.original.width, orientation >= 5 ? 200 : 320, label)
                XCTAssertEqual([prepared.width, prepared.height], [160, 100], label)
                XCTAssertEqual(prepared.format, .jpeg, label)
                XCTAssertEqual(prepared.rotation, expected[orientation - 1], label)
                XCTAssertFalse(PreparationImages.headerMarkers(prepared.data).contains(0xE1), "\(label): APP1 left in")
                let decoded = try ImageDecoder.decodeRGB(prepared.data)
                XCTAssertEqual([decoded.width, decoded.height], [160, 100], label)
                let corners: [(Int, Int, [UInt8], String)] = [
                    (15, 10, PreparationImages.red, "top-left"), (145, 10, PreparationImages.green, "top-right"),
                    (15, 90, PreparationImages.blue, "bottom-left"), (145, 90, PreparationImages.yellow, "bottom-right"),
                ]
                for (x, y, colour, corner) in corners {
                    assertClose(Array(decoded.pixel(x: x, y: y)), colour, tolerance: 24, "\(label) \(corner)")
                }
            }
        }
    }

    func testSmallRotatedJPEGIsReencodedUprightEvenWithoutShrinking() throws {
        let stored = Self.storedJPEG(orientation: 6, bigEndian: false)
        let prepared = try ImagePreparer.prepare(stored, options: PreparationOptions(maxSide: 1568))
        XCTAssertTrue(prepared.reencoded)
        XCTAssertEqual([prepared.width, prepared.height], [320, 200])
        XCTAssertEqual(prepared.summary.hasSuffix("(jpeg, rotated 90)"), true, prepared.summary)
        let decoded = try ImageDecoder.decodeRGB(prepared.data)
        assertClose(Array(decoded.pixel(x: 300, y: 190)), PreparationImages.yellow, tolerance: 24, "bottom-right")
    }

    func testNoResizeSendsRotatedJPEGUntouched() throws {
        let stored = Self.storedJPEG(orientation: 8, bigEndian: true)
        let prepared = try ImagePreparer.prepare(stored, options: PreparationOptions(maxSide: 100, resize: false))
        XCTAssertEqual(prepared.data, stored)
        XCTAssertFalse(prepared.reencoded)
        XCTAssertNil(prepared.rotation)
    }

    func testMalformedExifIsIgnoredNotTrusted() throws {
        let jpeg = TestImages.jpeg(width: 64, height: 48)
        var badOffset = PreparationImages.exifSegment(orientation: 6, bigEndian: false)
        badOffset.replaceSubrange(14..<18, with: [0xF0, 0xFF, 0xFF, 0xFF])  // IFD0 offset far past the segment
        var shortSegment = Array(PreparationImages.exifSegment(orientation: 6, bigEndian: true).prefix(24))
        shortSegment[3] = 22  // the segment ends inside IFD0's first entry
        var wrongType = PreparationImages.exifSegment(orientation: 6, bigEndian: false)
        wrongType[10 + 8 + 2 + 12 + 2] = 4  // Orientation declared LONG instead of SHORT
        for (label, segment) in [("offset", badOffset), ("short", shortSegment), ("type", wrongType)] {
            let data = PreparationImages.inserting(segment, into: jpeg)
            let prepared = try ImagePreparer.prepare(data, options: PreparationOptions(maxSide: 1568))
            XCTAssertEqual(prepared.data, data, label)
            XCTAssertNil(prepared.rotation, label)
        }
    }
}

/// Asserts that every sample of `actual` is within `tolerance` of `expected`.
func assertClose(
    _ actual: [UInt8], _ expected: [UInt8], tolerance: Int, _ label: String,
    file: StaticString = #filePath, line: UInt = #line
) {
    XCTAssertEqual(actual.count, expected.count, label, file: file, line: line)
    let worst = zip(actual, expected).map { abs(Int($0) - Int($1)) }.max() ?? 0
    XCTAssertLessThanOrEqual(worst, tolerance, "\(label): \(actual) vs \(expected)", file: file, line: line)
}
