import VisionQuery
import XCTest

@testable import VQCLI

/// The checked-in man page and completion scripts must be what the option table generates.
final class GeneratedDocsTests: XCTestCase {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func checkedIn(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    func testManPageIsCurrent() throws {
        XCTAssertEqual(try checkedIn("man/vq.1"), ManPage.render(), "man/vq.1 is stale: run 'make docs'")
    }

    func testCompletionsAreCurrent() throws {
        XCTAssertEqual(try checkedIn("completions/vq.bash"), Completions.render(.bash), "run 'make docs'")
        XCTAssertEqual(try checkedIn("completions/_vq"), Completions.render(.zsh), "run 'make docs'")
        XCTAssertEqual(try checkedIn("completions/vq.fish"), Completions.render(.fish), "run 'make docs'")
    }

    func testEveryOptionIsDocumentedEverywhere() {
        let man = ManPage.render()
        for option in OptionTable.options {
            let help = option.commands.map { HelpText.render(for: $0) }.joined()
            XCTAssertTrue(man.contains("\\-\\-\(ManPage.escape(option.long))"), "man page lacks --\(option.long)")
            XCTAssertTrue(help.contains("--\(option.long)"), "help lacks --\(option.long)")
            for shell in Invocation.Shell.allCases {
                XCTAssertTrue(Completions.render(shell).contains(option.long), "\(shell) completion lacks --\(option.long)")
            }
        }
        for code in ExitCode.allCases { XCTAssertTrue(man.contains(".B \(code.rawValue)\n"), "man page lacks exit code \(code.rawValue)") }
    }

    func testBashCompletionIsValidShell() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-n", root.appendingPathComponent("completions/vq.bash").path]
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
    }
}
