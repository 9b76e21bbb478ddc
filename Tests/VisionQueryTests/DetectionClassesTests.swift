import Foundation
import XCTest

@testable import VisionQuery

/// The classes file of a labelled dataset: ids are line numbers, only ever appended, shared by two writers (two
/// shards into one folder) without either changing an id the other wrote.
final class DetectionClassesTests: XCTestCase {
    private var path: String!

    override func setUpWithError() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("vq-classes-\(UUID().uuidString).txt").path
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: path) }

    func testIdsAreLineNumbersAndNewLabelsAreAppended() throws {
        try "person\nbicycle".write(toFile: path, atomically: true, encoding: .utf8)  // no final line break
        let classes = try DetectionClasses(path: path)
        XCTAssertEqual(try classes.id(for: "bicycle"), 1)
        XCTAssertEqual(try classes.id(for: "dog"), 2)
        XCTAssertEqual(try classes.id(for: " person "), 0)
        XCTAssertEqual(try classes.id(for: "two\nlines"), 3)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "person\nbicycle\ndog\ntwo lines\n")
    }

    func testTwoWritersShareOneListAndNeitherChangesAnId() throws {
        let first = try DetectionClasses(path: path)
        let second = try DetectionClasses(path: path)
        XCTAssertEqual(try first.id(for: "cat"), 0)
        XCTAssertEqual(try second.id(for: "dog"), 1, "the second sees 'cat' taken first")
        XCTAssertEqual(try first.id(for: "dog"), 1)
        XCTAssertEqual(try second.id(for: "cat"), 0)
        XCTAssertEqual(first.all, ["cat", "dog"])
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "cat\ndog\n")
    }

    func testABlankLineIsRefused() throws {
        try "cat\n\ndog\n".write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try DetectionClasses(path: path)) { error in
            XCTAssertTrue((error as? VQError)?.message.contains("line 2 of the classes file is empty") == true, "\(error)")
        }
    }

    func testInMemoryIdsFollowFirstAppearance() throws {
        let classes = DetectionClasses()
        XCTAssertEqual(try classes.id(for: "b"), 0)
        XCTAssertEqual(try classes.id(for: "a"), 1)
        XCTAssertEqual(try classes.id(for: "b"), 0)
    }
}
