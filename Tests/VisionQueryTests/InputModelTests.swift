import Foundation
import Imaging
import XCTest

@testable import VisionQuery

/// The input model: parts and their limits (checked in one place), the output policy, the XDG paths.
final class InputModelTests: XCTestCase {
    private func imagePart(_ source: String, page: Int? = nil) -> InputPart {
        InputPart(source: source, content: .image(data: Data([1, 2, 3]), info: ImageInfo(format: .png, width: 4, height: 3)), page: page)
    }

    func testTheCountIsCheckedFromTheArgumentsBeforeLoadingAndOnThePartsAfter() throws {
        var profile = Profile(name: "p")
        profile.maxImages = 2
        let limits = InputLimits(profile: profile)
        XCTAssertNoThrow(try limits.check(arguments: ["a", "b"]))
        XCTAssertThrowsError(try limits.check(arguments: ["a", "b", "c"])) { error in
            XCTAssertEqual((error as? VQError)?.message, "too many images: 3 given, profile 'p' accepts at most 2 per request")
        }
        let pages = (1...3).map { imagePart("r.pdf", page: $0) }
        XCTAssertThrowsError(try limits.check(parts: pages)) { error in
            XCTAssertEqual(
                (error as? VQError)?.message,
                "too many images: 3 given (3 of them rendered PDF pages; --pages sends fewer), profile 'p' accepts at most 2 per request")
        }
        let document = InputPart(source: "r.pdf", content: .document(data: Data(), info: DocumentInfo(fileName: "r.pdf", pageCount: 9)))
        XCTAssertNoThrow(try limits.check(parts: [document, imagePart("a.png")]), "a whole document is not an image")
        XCTAssertThrowsError(try limits.check(perRequest: 3))
    }

    func testAPageIsNamedByItsDocumentAndNumber() {
        XCTAssertEqual(imagePart("report.pdf", page: 3).name, "report.pdf#p3")
        XCTAssertEqual(imagePart("-").name, "stdin")
        XCTAssertEqual(Input(imagePart("a.png")).medium, .image)
    }

    func testThePolicyStreamsTextOnlyWithoutJSONOrSchema() {
        var options = QueryOptions()
        XCTAssertTrue(OutputPolicy(options: options, showsProgress: false).streamsText)
        options.json = true
        XCTAssertFalse(OutputPolicy(options: options, showsProgress: false).streamsText)
        options.json = false
        options.schema = "a int"
        XCTAssertTrue(OutputPolicy(options: options, showsProgress: true).printsStructured)
    }

    func testXDGPathsAreDecidedInOnePlace() {
        let unset = XDGPaths(environment: ["HOME": "/h", "XDG_CONFIG_HOME": ""])
        XCTAssertEqual(unset.config("keys.toml"), "/h/.config/vq/keys.toml")
        XCTAssertEqual(unset.data("logs.db"), "/h/.local/share/vq/logs.db")
        let set = XDGPaths(environment: ["HOME": "/h", "XDG_CONFIG_HOME": "/c", "XDG_DATA_HOME": "/d"])
        XCTAssertEqual(ConfigLocator.locate(flag: nil, environment: set.environment).path, "/c/vq/config.toml")
        XCTAssertEqual(KeysFile.locate(environment: set.environment), "/c/vq/keys.toml")
        XCTAssertEqual(LogLocator.path(environment: set.environment), "/d/vq/logs.db")
    }
}
