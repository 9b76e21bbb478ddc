import XCTest

@testable import VQCLI

/// `vq compare`'s layouts: columns on a wide terminal, stacked when narrow or not a terminal, control characters
/// made visible only on a terminal.
final class CompareLayoutTests: XCTestCase {
    let panels = [
        CompareLayout.Panel(label: "gemini (gemini-2.5-flash)", text: "The meter reads 1234.5 kWh.", footer: "1.20 s · 300/12 tokens · $0.00012"),
        CompareLayout.Panel(
            label: "anthropic (claude-sonnet-4-5)", text: "About 1234 kWh, the last digit is blurred.", footer: "2.00 s · 1590/20 tokens · $0.00507"),
    ]

    func testWideTerminalShowsColumns() {
        let text = CompareLayout.render(panels, width: 100)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        XCTAssertTrue(lines[0].hasPrefix("gemini (gemini-2.5-flash)"), text)
        XCTAssertTrue(lines[0].contains(" │ anthropic (claude-sonnet-4-5)"), text)
        XCTAssertTrue(lines[1].contains("─┼─"), text)
        XCTAssertTrue(lines.contains { $0.hasPrefix("The meter reads 1234.5 kWh.") && $0.contains("│ About 1234 kWh") }, text)
        XCTAssertTrue(lines.allSatisfy { $0.count <= 100 }, text)
        XCTAssertTrue(lines.last!.contains("$0.00012") && lines.last!.contains("$0.00507"), text)
    }

    func testNarrowTerminalAndPipeAreStacked() {
        let narrow = CompareLayout.render(panels, width: 50)
        XCTAssertTrue(narrow.hasPrefix("=== gemini (gemini-2.5-flash) ===\nThe meter reads 1234.5 kWh.\n[1.20 s"), narrow)
        XCTAssertTrue(narrow.contains("\n\n=== anthropic (claude-sonnet-4-5) ===\n"), narrow)
        XCTAssertEqual(CompareLayout.render(panels, width: nil), narrow)
    }

    func testLongAnswersWrapInsideTheirColumn() {
        let long = [panels[0], CompareLayout.Panel(label: "b", text: String(repeating: "word ", count: 40), footer: "f")]
        let text = CompareLayout.render(long, width: 80)
        XCTAssertTrue(text.split(separator: "\n").allSatisfy { $0.count <= 80 }, text)
        XCTAssertGreaterThan(text.split(separator: "\n").count, 6)
    }

    func testControlCharactersAreVisibleOnATerminalOnly() {
        let hostile = [CompareLayout.Panel(label: "a", text: "red\u{1B}[2Jtext", footer: "f")]
        XCTAssertTrue(CompareLayout.render(hostile, width: 80).contains("red^[[2Jtext"))
        XCTAssertTrue(CompareLayout.render(hostile, width: nil).contains("red\u{1B}[2Jtext"))
    }
}
