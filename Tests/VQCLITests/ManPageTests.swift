import Foundation
import VisionQuery
import XCTest

@testable import VQCLI

/// man/vq.1 is lint-clean, its examples are what DocText says (quotes included) and each one parses.
final class ManPageTests: XCTestCase {
    let page = ManPage.render()

    func testMandocLintFindsNothing() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("vq-\(UUID().uuidString).1")
        try page.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/mandoc") else { return XCTFail("mandoc is not installed; run 'make deps'") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/mandoc")
        process.arguments = ["-Tlint", "-W", "style", file.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let report = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(report, "", "mandoc -Tlint")
        XCTAssertEqual(process.terminationStatus, 0)
    }

    /// The example command lines as a reader of the page sees them: continuation lines joined, fonts and escapes gone.
    func examplesInThePage() -> [String] {
        let section = page.components(separatedBy: ".SH EXAMPLES\n")[1].components(separatedBy: "\n.SH ")[0]
        let joined = section.replacingOccurrences(of: " \\\n", with: " ")
        let lines = joined.split(separator: "\n").map(String.init)
        return lines.indices.filter { lines[$0] == ".TP" }.map { index in
            lines[index + 1].replacingOccurrences(of: "\\fB", with: "").replacingOccurrences(of: "\\fR", with: "")
                .replacingOccurrences(of: "\\-", with: "-").replacingOccurrences(of: "\\&", with: "")
                .replacingOccurrences(of: "\\e", with: "\\")
        }
    }

    func testExamplesKeepTheirQuotesAndEveryOneParses() throws {
        let examples = examplesInThePage()
        XCTAssertEqual(examples, DocText.examples.map(\.0))
        XCTAssertTrue(examples.contains("vq \"What is in this picture?\" photo.jpg"))
        XCTAssertTrue(examples.contains { $0.hasPrefix("vq batch ") }, "a batch example")
        for example in examples {
            let words = try XCTUnwrap(Self.shellWords(example), example)
            // The vq command of a pipeline: `curl … | vq "Describe" -`.
            let pipeline = words.split(separator: "|").map(Array.init)
            let command = try XCTUnwrap(pipeline.first { $0.first == "vq" }, example)
            XCTAssertNoThrow(try Invocation.from(Array(command.dropFirst())), example)
        }
    }

    func testBatchOutputKeysAreTheKeysOfARealLine() throws {
        let line = String(decoding: BatchResult(image: "a.jpg").jsonLine(), as: UTF8.self)
        let keys = try NSRegularExpression(pattern: "\"([a-z_]+)\":").matches(in: line, range: NSRange(line.startIndex..., in: line))
            .map { String(line[Range($0.range(at: 1), in: line)!]) }
        XCTAssertEqual(keys, DocText.batchLineFields.map(\.name))
        for key in keys { XCTAssertTrue(page.contains(".B \(key)\n"), "man page lacks batch key \(key)") }
    }

    func testEveryBuiltInKeyVariableIsListedAndExitCodesAreInOrder() {
        for profile in BuiltinProfiles.all {
            guard let variable = profile.keyEnv else { continue }
            XCTAssertTrue(page.contains(variable), "\(variable) (profile \(profile.name)) is not in the page")
        }
        XCTAssertTrue(page.contains("ANTHROPIC_API_KEY"))
        let section = page.components(separatedBy: ".SH EXIT STATUS\n")[1].components(separatedBy: ".SH ")[0]
        let codes = section.split(separator: "\n").filter { $0.hasPrefix(".B ") }.compactMap { Int($0.dropFirst(3)) }
        XCTAssertEqual(codes, codes.sorted())
        XCTAssertEqual(codes.count, ExitCode.allCases.count)
    }

    func testFilesSectionAndSignalStatuses() {
        XCTAssertTrue(page.contains(".SH FILES\n"))
        XCTAssertTrue(page.contains("config.toml"))
        for code in [130, 141, 143] { XCTAssertTrue(page.contains(".B \(code)\n"), "exit status \(code)") }
    }

    /// Splits a shell command line into words: blanks separate, single and double quotes group; nil when unbalanced.
    static func shellWords(_ line: String) -> [String]? {
        var words: [String] = []
        var word = ""
        var inWord = false
        var quote: Character?
        for character in line {
            if let open = quote {
                if character == open { quote = nil } else { word.append(character) }
            } else if character == "\"" || character == "'" {
                quote = character
                inWord = true
            } else if character == " " {
                if inWord { words.append(word) }
                word = ""
                inWord = false
            } else {
                word.append(character)
                inWord = true
            }
        }
        guard quote == nil else { return nil }
        if inWord { words.append(word) }
        return words
    }
}
