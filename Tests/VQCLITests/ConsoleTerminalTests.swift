import Foundation
import TestSupport
import VisionQuery
import XCTest

@testable import VQCLI

/// Console on a real (pseudo) terminal shared by stdout and stderr, as a user at a shell has it.
final class ConsoleTerminalTests: XCTestCase {
    func written(_ body: (Console) -> Void) throws -> String {
        let terminal = try PseudoTerminal()
        let fd = terminal.terminal.fileDescriptor
        let console = Console(outFD: fd, errFD: fd)
        console.showsProgress = true
        body(console)
        terminal.closeTerminalSide()
        return terminal.readAll()
    }

    func testProgressLineIsClearedBeforeEachStdoutLine() throws {
        let text = try written { console in
            console.progress("batch: 1/3, ETA 4.5 s")
            console.out("{\"image\":\"a.jpg\"}\n")
            console.progress("batch: 2/3, ETA 2.0 s")
            console.out("{\"image\":\"b.jpg\"}\n")
        }
        XCTAssertEqual(
            text,
            "\r\u{1B}[Kvq: batch: 1/3, ETA 4.5 s\r\r\u{1B}[K{\"image\":\"a.jpg\"}\n"
                + "\r\u{1B}[Kvq: batch: 2/3, ETA 2.0 s\r\r\u{1B}[K{\"image\":\"b.jpg\"}\n")
        XCTAssertFalse(text.contains("s{"), "the progress text ran into a result")
    }

    func testErrorAfterAPartialAnswerStartsOnANewLine() throws {
        let text = try written { console in
            console.out("word25 word26")
            console.error("the answer was cut off")
        }
        XCTAssertEqual(text, "word25 word26\nvq: error: the answer was cut off\n")
        let whole = try written { console in
            console.out("a whole line\n")
            console.error("x")
        }
        XCTAssertEqual(whole, "a whole line\nvq: error: x\n", "no blank line after a finished line")
    }

    func testNothingIsAddedWhenStdoutIsNotTheTerminal() throws {
        let terminal = try PseudoTerminal()
        let pipe = Pipe()
        let console = Console(outFD: pipe.fileHandleForWriting.fileDescriptor, errFD: terminal.terminal.fileDescriptor)
        console.showsProgress = true
        console.progress("1/2")
        console.out("partial")
        console.error("x")
        terminal.closeTerminalSide()
        try pipe.fileHandleForWriting.close()
        // The progress line is erased before the piped text too: its reader may print to this terminal (`| jq`).
        XCTAssertEqual(terminal.readAll(), "\r\u{1B}[Kvq: 1/2\r\r\u{1B}[Kvq: error: x\n")
        XCTAssertEqual(String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self), "partial")
    }

    func testStyledTextIsColouredAroundRunsWhoseOwnControlsAreShown() throws {
        var styled = StyledText("#1 \u{1B}[31mred", .heading)
        styled.append("\nAnswer:", .label)
        styled.append(" \u{1B}]0;title\u{07}\n")
        let coloured = try written { console in
            console.colorsStdout = true
            console.out(styled)
        }
        XCTAssertEqual(coloured, "\u{1B}[1m\u{1B}[36m#1 ^[[31mred\u{1B}[0m\u{1B}[1m\nAnswer:\u{1B}[0m ^[]0;title^G\n")
        let plain = try written { console in console.out(styled) }
        XCTAssertEqual(plain, "#1 ^[[31mred\nAnswer: ^[]0;title^G\n", "no colour: the text alone, still made visible")
    }
}
