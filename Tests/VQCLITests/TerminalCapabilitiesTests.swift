import XCTest

@testable import VQCLI

final class TerminalCapabilitiesTests: XCTestCase {
    private let terminal = TerminalCapabilities(stdoutIsTerminal: true, stderrIsTerminal: true, termIsDumb: false, noColor: false)

    func testATerminalShowsProgressAndColour() {
        XCTAssertTrue(terminal.showsProgress)
        XCTAssertTrue(terminal.colorsStderr)
        XCTAssertTrue(terminal.colorsStdout)
    }

    func testDumbTerminalShowsNeitherProgressNorColour() {
        var dumb = terminal
        dumb.termIsDumb = true
        XCTAssertFalse(dumb.showsProgress)
        XCTAssertFalse(dumb.colorsStderr)
    }

    func testNoColorKeepsProgressButDropsColour() {
        var plain = terminal
        plain.noColor = true
        XCTAssertTrue(plain.showsProgress)
        XCTAssertFalse(plain.colorsStderr)
        XCTAssertFalse(plain.colorsStdout)
    }

    func testColorAlwaysAndNeverOverrideTheTerminalAndNoColor() {
        var forced = TerminalCapabilities(stdoutIsTerminal: false, stderrIsTerminal: false, termIsDumb: true, noColor: true, colorMode: .always)
        XCTAssertTrue(forced.colorsStderr)
        XCTAssertTrue(forced.colorsStdout)
        XCTAssertFalse(forced.showsProgress, "--color says nothing about progress")
        forced.colorMode = .never
        XCTAssertFalse(forced.colorsStdout)
        var never = terminal
        never.colorMode = .never
        XCTAssertFalse(never.colorsStderr)
        XCTAssertTrue(terminal.editsLines)
    }

    func testAPipeShowsNothing() {
        let piped = TerminalCapabilities(stdoutIsTerminal: false, stderrIsTerminal: false, termIsDumb: false, noColor: false)
        XCTAssertFalse(piped.showsProgress)
        XCTAssertFalse(piped.colorsStderr)
        XCTAssertFalse(piped.colorsStdout)
    }

    func testEnvironmentIsReadOnce() {
        let pipe = Pipe()
        let fd = pipe.fileHandleForWriting.fileDescriptor
        let read = TerminalCapabilities(environment: ["TERM": "dumb", "NO_COLOR": "1"], outFD: fd, errFD: fd)
        XCTAssertEqual(read, TerminalCapabilities(stdoutIsTerminal: false, stderrIsTerminal: false, termIsDumb: true, noColor: true))
        XCTAssertFalse(TerminalCapabilities(environment: ["NO_COLOR": ""], outFD: fd, errFD: fd).noColor, "an empty NO_COLOR does not count")
    }

    func testControlCharactersAreEscapedOnlyOnTerminalsWhateverTERMAndNOCOLOR() {
        var plain = terminal
        plain.termIsDumb = true
        plain.noColor = true
        XCTAssertTrue(plain.escapesStdoutControls && plain.escapesStderrControls, "a dumb terminal still runs escape sequences")
        let piped = TerminalCapabilities(stdoutIsTerminal: false, stderrIsTerminal: false, termIsDumb: false, noColor: false)
        XCTAssertFalse(piped.escapesStdoutControls || piped.escapesStderrControls, "pipes and files get the text untouched")
    }
}
