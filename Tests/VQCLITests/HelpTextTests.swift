import Foundation
import XCTest

@testable import VQCLI

/// `--help` wraps to the terminal's width and never cuts an option's name or value placeholder.
final class HelpTextTests: XCTestCase {
    let widths = [40, 60, 80, 140, 200]

    func testEveryOptionSynopsisAppearsWholeAtEveryWidth() {
        for command in CommandName.allCases {
            for width in widths {
                let help = HelpText.render(for: command, width: width)
                for option in OptionTable.options where option.commands.contains(command) {
                    XCTAssertTrue(
                        help.contains(option.synopsis + " ") || help.contains(option.synopsis + "\n"),
                        "'\(option.synopsis)' cut in 'vq \(command.rawValue) --help' at \(width) columns")
                }
            }
        }
    }

    func testNoLineIsWiderThanTheTerminalExceptExampleCommandsBelowEighty() {
        let examples = Set(DocText.examples.map { "  \($0.0)" })
        for command in CommandName.allCases {
            for width in [60, 80, 140] {
                // An example command is never wrapped (it is typed as it is), so it must fit 80 columns, the width
                // --help uses when stdout is not a terminal.
                for line in HelpText.render(for: command, width: width).split(separator: "\n") where width >= 80 || !examples.contains(String(line)) {
                    XCTAssertLessThanOrEqual(line.count, width, "'vq \(command.rawValue) --help' at \(width): \(line)")
                }
            }
        }
    }

    func testWideTerminalsGetLongerLines() {
        let narrow = HelpText.render(for: .batch, width: 80)
        let wide = HelpText.render(for: .batch, width: 200)
        XCTAssertLessThan(wide.split(separator: "\n").count, narrow.split(separator: "\n").count)
        let profile = OptionTable.option(long: "profile")!
        XCTAssertTrue(wide.contains("\(profile.synopsis)  ") && wide.contains(profile.help), "one line at 200 columns")
        XCTAssertFalse(narrow.contains(profile.help), "wrapped at 80 columns")
    }

    func testWidthComesFromColumnsElseEightyWhenNotATerminal() throws {
        XCTAssertEqual(TerminalWidth.columns(environment: ["COLUMNS": "132"]), 132)
        let pipe = Pipe()
        XCTAssertEqual(TerminalWidth.columns(environment: [:], fd: pipe.fileHandleForWriting.fileDescriptor), 80)
        XCTAssertEqual(TerminalWidth.columns(environment: ["COLUMNS": "wide"], fd: pipe.fileHandleForWriting.fileDescriptor), 80)
    }

    func testWrapperKeepsWordsLongerThanTheWidthWhole() {
        XCTAssertEqual(
            TextWrapper.wrap("a https://example.org/a/very/long/path b", width: 10),
            ["a", "https://example.org/a/very/long/path", "b"])
        XCTAssertEqual(TextWrapper.wrap("one two three", width: 7), ["one two", "three"])
    }
}
