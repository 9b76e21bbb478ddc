import XCTest
@testable import VQCLI
import VisionQuery

/// The rule that decides whether the prompt comes from the first argument or from standard input.
final class PromptSourceTests: XCTestCase {
    let files: Set<String> = ["car.jpg", "b.png"]

    func split(_ args: [String], terminal: Bool, stdin: String = "") throws -> (String, [String]) {
        var reads = 0
        let result = try PromptSource.split(args, stdinIsTerminal: terminal, readStdin: { reads += 1; return Data(stdin.utf8) },
                                            fileExists: { self.files.contains($0) })
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
}
