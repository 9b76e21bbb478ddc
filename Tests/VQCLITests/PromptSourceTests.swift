import VisionQuery
import XCTest

@testable import VQCLI

/// The rule that decides whether the prompt comes from the first argument or from standard input.
final class PromptSourceTests: XCTestCase {
    let files: Set<String> = ["car.jpg", "b.png"]

    func split(_ args: [String], terminal: Bool, stdin: String = "") throws -> (String, [String]) {
        var reads = 0
        let result = try PromptSource.split(
            args, stdinIsTerminal: terminal,
            readStdin: {
                reads += 1
                return Data(stdin.utf8)
            },
            fileExists: { self.files.contains($0) }, isImageFile: { self.files.contains($0) })
        if terminal { XCTAssertEqual(reads, 0, "stdin must not be read from a terminal") }
        return result
    }

    func testFirstArgumentIsThePromptByDefault() throws {
        let (prompt, images) = try split(["Describe", "car.jpg"], terminal: true)
        XCTAssertEqual(prompt, "Describe")
        XCTAssertEqual(images, ["car.jpg"])
    }

    func testPromptFromPipeWhenFirstArgumentIsAnImage() throws {
        let (prompt, images) = try split(["car.jpg", "b.png"], terminal: false, stdin: "What colour is the car?\n")
        XCTAssertEqual(prompt, "What colour is the car?")
        XCTAssertEqual(images, ["car.jpg", "b.png"])
        let (urlPrompt, urlImages) = try split(["https://example.org/c.jpg"], terminal: false, stdin: "Q")
        XCTAssertEqual(urlPrompt, "Q")
        XCTAssertEqual(urlImages, ["https://example.org/c.jpg"])
    }

    func testPipedStdinIsLeftAloneWhenThePromptIsGiven() throws {
        // A script looping over files with stdin redirected must not lose its stdin to vq.
        let (prompt, images) = try split(["Describe", "car.jpg"], terminal: false, stdin: "other data")
        XCTAssertEqual(prompt, "Describe")
        XCTAssertEqual(images, ["car.jpg"])
    }

    func testDashMeansStdinCarriesTheImage() throws {
        let (prompt, images) = try split(["car.jpg", "-"], terminal: false, stdin: "bytes")
        XCTAssertEqual(prompt, "car.jpg")
        XCTAssertEqual(images, ["-"])
    }

    func testErrors() {
        XCTAssertThrowsError(try split([], terminal: true)) { XCTAssertTrue(($0 as! VQError).message.hasPrefix("missing PROMPT")) }
        XCTAssertThrowsError(try split(["car.jpg"], terminal: false, stdin: " \n")) {
            XCTAssertEqual(($0 as! VQError).category, .usage)
            XCTAssertTrue(($0 as! VQError).message.contains("standard input was empty"))
        }
        XCTAssertThrowsError(try split(["  ", "car.jpg"], terminal: true)) { XCTAssertEqual(($0 as! VQError).message, "the PROMPT is empty") }
    }

    func testForgottenPromptOnATerminalIsAnErrorNotAPrompt() {
        for arguments in [["car.jpg"], ["car.jpg", "b.png"], ["car.jpg", "https://example.org/c.jpg"]] {
            XCTAssertThrowsError(try split(arguments, terminal: true), "\(arguments)") { error in
                XCTAssertEqual((error as! VQError).category, .usage)
                XCTAssertTrue((error as! VQError).message.hasPrefix("missing PROMPT: every argument is an image"), "\(error)")
            }
        }
        // A prompt that is not an image file stays a prompt.
        XCTAssertEqual(try? split(["notes.md", "car.jpg"], terminal: true).0, "notes.md")
    }

    func testSniffingTellsImagesFromOtherFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vq-sniff-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let png = directory.appendingPathComponent("a.png").path
        let text = directory.appendingPathComponent("fake.jpg").path
        try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + [UInt8](repeating: 0, count: 24)).write(to: URL(fileURLWithPath: png))
        try Data("hello".utf8).write(to: URL(fileURLWithPath: text))
        XCTAssertEqual(InputLoader.sniffFile(png), true)
        XCTAssertEqual(InputLoader.sniffFile(text), false)
        XCTAssertEqual(InputLoader.sniffFile(directory.path), false)
        XCTAssertEqual(InputLoader.sniffFile(directory.appendingPathComponent("none").path), false)
    }
}
