import Foundation
import XCTest

@testable import VisionQuery

/// Key, schema check and sidecar of a batch result happen in VisionQuery, the same for every batch route.
final class BatchResultFinisherTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("vq-finisher-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    private func result(_ image: String, output: String) -> BatchResult {
        var result = BatchResult(image: image)
        result.output = output
        return result
    }

    func testTheKeyComesFromTheSelection() throws {
        let image = directory.appendingPathComponent("a.jpg").path
        let finisher = BatchResultFinisher(selection: BatchSelection([BatchItem(path: image, key: "a.jpg", identity: image)]), schema: nil, sidecars: nil)
        XCTAssertEqual(finisher.finish(result(image, output: "x")).key, "a.jpg")
    }

    func testAnAnswerBreakingTheSchemaBecomesTheResultsError() throws {
        let schema = try AnswerSchema.load("count int", origin: "--schema")
        let finisher = BatchResultFinisher(selection: BatchSelection([]), schema: schema, sidecars: nil)
        let good = finisher.finish(result("a.jpg", output: #"{"count": 2}"#))
        XCTAssertNil(good.error)
        XCTAssertEqual(good.output, #"{"count":2}"#)
        let bad = finisher.finish(result("b.jpg", output: "two"))
        XCTAssertEqual(bad.error?.category, .nonConforming)
    }

    func testTheSidecarIsWrittenAndAFileInTheWayFailsTheResult() throws {
        let image = directory.appendingPathComponent("photo.jpg").path
        let finisher = BatchResultFinisher(
            selection: BatchSelection([]), schema: nil, sidecars: SidecarWriter(fileExtension: "txt", overwrite: false))
        XCTAssertNil(finisher.finish(result(image, output: "A cat")).error)
        XCTAssertEqual(try String(contentsOfFile: directory.appendingPathComponent("photo.txt").path, encoding: .utf8), "A cat\n")
        let again = finisher.finish(result(image, output: "A dog"))
        XCTAssertEqual(again.error?.category, .cannotCreate, "an existing sidecar is never overwritten silently")
        XCTAssertEqual(try String(contentsOfFile: directory.appendingPathComponent("photo.txt").path, encoding: .utf8), "A cat\n")
    }
}
