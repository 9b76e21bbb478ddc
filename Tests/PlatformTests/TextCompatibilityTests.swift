import Foundation
import TextFormatting
import XCTest

/// The text helpers that replace Foundation's (trimming, padding, fixed decimals, hex, grouping, percent-encoding,
/// case-insensitive search) give what Foundation gave, checked against it.
final class TextCompatibilityTests: XCTestCase {
    private let samples = [
        "", " ", "plain", "  two sides \t", "\t\ttabs\t", "\n\r\nlines\n", " \u{00A0}nbsp\u{2003}\u{3000}", "\u{85}nel\u{2028}\u{2029}",
        "\u{0B}\u{0C}vt ff", "é\u{301} accents ", "🙂 emoji 🙂\n", "\u{200B}zero width\u{200B}", "  \n  ",
    ]

    func testTrimmingMatchesCharacterSets() {
        for text in samples {
            XCTAssertEqual(text.trimmingWhitespace(), text.trimmingCharacters(in: .whitespaces), text.debugDescription)
            XCTAssertEqual(text.trimmingWhitespaceAndNewlines(), text.trimmingCharacters(in: .whitespacesAndNewlines), text.debugDescription)
            XCTAssertEqual(text.trimmingNewlines(), text.trimmingCharacters(in: .newlines), text.debugDescription)
            XCTAssertEqual(text.trimming(scalarsIn: " \te"), text.trimmingCharacters(in: CharacterSet(charactersIn: " \te")), text.debugDescription)
        }
    }

    func testTrailingTrimsMatchTheRegularExpressionsTheyReplace() {
        for text in samples + ["a  b  ", "/v1/", "/v1//", "/"] {
            XCTAssertEqual(
                text.trimmingTrailingWhitespace(), text.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression), text.debugDescription)
            XCTAssertEqual(text.trimmingSuffix("/"), text.replacingOccurrences(of: "/$", with: "", options: .regularExpression), text.debugDescription)
        }
    }

    /// Escaping and header checks find what Foundation found, even where the standard library's character
    /// comparison would not (the LF of a CRLF); a quote or slash followed by a combining mark, which Foundation
    /// skipped, is found too, so escaping never leaves one out.
    func testScalarSearchAndReplaceMatchFoundation() {
        let texts = ["key\r\nInjected: 1", "line\r\n", "no match", "\0nul", "\"\"", "/x/y", "a\rb\nc", ""]
        for text in texts {
            for needle in ["\r", "\n", "\"", "\0", "/", "\r\n", "x"] {
                XCTAssertEqual(text.containsScalars(needle), text.contains(needle) as Bool, "\(text.debugDescription) contains \(needle.debugDescription)")
                XCTAssertEqual(
                    text.replacingScalars(needle, with: "<>"), text.replacingOccurrences(of: needle, with: "<>"),
                    "\(text.debugDescription) replacing \(needle.debugDescription)")
            }
        }
        XCTAssertFalse("key\r\nInjected: 1".contains("\n" as Character), "the standard library sees one CRLF character")
        XCTAssertEqual("a\"\u{301}b".replacingScalars("\"", with: "\"\""), "a\"\"\u{301}b")
        XCTAssertTrue("/x/\u{308}y".containsScalars("x/"))
    }

    func testPaddingMatchesFoundation() {
        for text in samples + ["a much longer cell than the width"] {
            for width in [0, 3, 14, 20] {
                XCTAssertEqual(text.padded(toLength: width), text.padding(toLength: width, withPad: " ", startingAt: 0), "\(text.debugDescription) \(width)")
            }
        }
    }

    func testFixedDecimalsMatchPrintf() {
        let values = [0, 0.5, 1.5, 2.5, 0.125, 2.675, -1.005, 1234.5678, 99.95, 1e-9, 123_456_789.987, -0.0, 1e20]
        for value in values {
            for places in 0...3 {
                XCTAssertEqual(DecimalText.fixed(value, places: places), String(format: "%.\(places)f", value), "\(value) \(places)")
            }
        }
    }

    func testIntegersMatchFormatters() {
        let formatter = NumberFormatter()
        formatter.numberStyle = .decimal
        formatter.locale = Locale(identifier: "en_US")
        for value in [0, 7, 999, 1000, 1204, -1204, 1_000_000, 987_654_321, Int(Int32.max)] {
            XCTAssertEqual(DecimalText.grouped(value), formatter.string(from: NSNumber(value: value)), "\(value)")
            XCTAssertEqual(DecimalText.zeroPadded(value % 100_000, width: 4), String(format: "%04d", value % 100_000), "\(value)")
        }
        for value: UInt32 in [0, 0x1F, 0xAB, 0x7F, 0x2028, 0x1F642] {
            XCTAssertEqual(HexText.padded(value, width: 4), String(format: "%04x", value))
            XCTAssertEqual(HexText.padded(value, width: 2, uppercase: true), String(format: "%02X", value))
        }
    }

    func testPercentEncodingMatchesFoundation() {
        var segment = CharacterSet.urlPathAllowed
        segment.remove(charactersIn: "/")
        for text in ["plain", "a b&c=d/e?f#g", "é🙂", "100%", "req_01:ab;cd@x", "~._-!$'()*+,"] {
            XCTAssertEqual(
                PercentEncoding.encode(text, allowing: PercentEncoding.queryAllowed), text.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed))
            XCTAssertEqual(PercentEncoding.encode(text, allowing: PercentEncoding.segmentAllowed), text.addingPercentEncoding(withAllowedCharacters: segment))
        }
    }

    func testCaseInsensitiveSearchMatchesFoundation() {
        let haystack = "<HTML><head><TiTle>Bad Gateway</title></head></HTML>"
        for needle in ["<html", "<title>", "</TITLE>", "gateway", "missing", "L>"] {
            let ours = haystack.range(ofCaseInsensitive: needle)
            let theirs = haystack.range(of: needle, options: .caseInsensitive)
            XCTAssertEqual(ours, theirs, needle)
        }
        let start = haystack.range(ofCaseInsensitive: "<title>")!
        XCTAssertEqual(
            haystack.range(ofCaseInsensitive: "</title>", in: start.upperBound..<haystack.endIndex)?.lowerBound,
            haystack.range(of: "</title>", options: .caseInsensitive, range: start.upperBound..<haystack.endIndex)?.lowerBound)
        XCTAssertTrue("Straße".equalsIgnoringCase("STRAßE"))
        XCTAssertFalse("abc".equalsIgnoringCase("abd"))
    }
}
