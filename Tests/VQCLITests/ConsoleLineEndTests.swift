import XCTest

@testable import VQCLI

/// Console's byte test for "the text ended a line" agrees with `hasSuffix("\n")`, CR LF and combining marks included.
final class ConsoleLineEndTests: XCTestCase {
    func testEndsInLineFeedAgreesWithHasSuffix() {
        let texts = ["", "\n", "a\n", "a", "\r\n", "a\r\n", "\r", "\n\r", "\n\n", "\r\r\n", "\n\u{301}", "é\n", "😀\n", "a\n ", "\u{85}", "\u{2028}"]
        for text in texts {
            XCTAssertEqual(Console.endsInLineFeed(text), text.hasSuffix("\n"), text.debugDescription)
        }
    }
}
