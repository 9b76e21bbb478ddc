import XCTest

@testable import VQCLI

/// Control characters shown the way `cat -v` shows them; ordinary text (and its line feeds and tabs) untouched.
final class VisibleControlCharactersTests: XCTestCase {
    func testEscapesC0C1AndDELButNotLineFeedsTabsOrUnicodeText() {
        XCTAssertEqual(VisibleControlCharacters.visible("\u{1B}]0;title\u{07}"), "^[]0;title^G")
        XCTAssertEqual(VisibleControlCharacters.visible("a\rb\u{7F}\u{00}"), "a^Mb^?^@")
        XCTAssertEqual(VisibleControlCharacters.visible("\u{9B}2J\u{85}"), "M-^[2JM-^E")
        XCTAssertEqual(VisibleControlCharacters.visible("line 1\n\tcafé ✓ 日本"), "line 1\n\tcafé ✓ 日本")
    }
}
