import Imaging
import XCTest

@testable import VisionQuery

/// Names, numbering, no-clobber, atomic writes with the user's umask, and validation before saving.
final class ImageSaverTests: XCTestCase {
    var directory: String!
    let png = try! ImageEncoder.encodePNG(pixels: [UInt8](repeating: 200, count: 4 * 3 * 3), width: 4, height: 3, channels: 3)
    let noon = Date(timeIntervalSince1970: 1_795_257_000)  // 2026-11-21 10:30:00 UTC

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "vq-saver-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: directory) }

    func saver(_ single: String? = nil) -> ImageSaver {
        ImageSaver(directory: directory, singleFile: single, now: noon, timeZone: TimeZone(identifier: "UTC")!)
    }

    func testNamesAreNumberedAndNeverOverwrite() throws {
        try Data("mine".utf8).write(to: URL(fileURLWithPath: directory + "/vq-20261121-103000-1.png"))
        let saver = saver()
        let first = try saver.save(png)
        let second = try saver.save(png)
        XCTAssertEqual(first.path, directory + "/vq-20261121-103000-2.png")
        XCTAssertEqual(second.path, directory + "/vq-20261121-103000-3.png")
        XCTAssertEqual(first.info, ImageInfo(format: .png, width: 4, height: 3))
        XCTAssertEqual(first.bytes, png.count)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: directory + "/vq-20261121-103000-1.png")), Data("mine".utf8))
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: first.path)), png)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix(".vq-") }, [], "no temp files left")
    }

    func testFilesGetTheUsersUmask() throws {
        let old = umask(0o027)
        defer { umask(old) }
        let saved = try saver().save(png)
        let mode = try FileManager.default.attributesOfItem(atPath: saved.path)[.posixPermissions] as! Int
        XCTAssertEqual(mode, 0o640)
    }

    func testSingleFileIsUsedExactlyAndRefusedWhenItExists() throws {
        let target = directory + "/out.png"
        let saver = saver(target)
        XCTAssertNoThrow(try saver.checkBeforeSending())
        XCTAssertEqual(try saver.save(png).path, target)
        XCTAssertEqual(try saver.save(png).path, directory + "/out-2.png")
        XCTAssertThrowsError(try self.saver(target).checkBeforeSending()) { XCTAssertEqual(($0 as! VQError).category, .cannotCreate) }
        XCTAssertThrowsError(try self.saver(target).save(png)) { XCTAssertEqual(($0 as! VQError).category, .cannotCreate) }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: target)), png)
    }

    func testNotAnImageIsRefused() {
        XCTAssertThrowsError(try saver().save(Data("hello".utf8))) { error in
            XCTAssertEqual((error as! VQError).category, .badInput)
            XCTAssertTrue((error as! VQError).message.contains("not saved"))
        }
    }

    func testMissingDirectoryIsCreated() throws {
        let nested = ImageSaver(directory: directory + "/a/b", now: noon, timeZone: TimeZone(identifier: "UTC")!)
        XCTAssertEqual(try nested.save(png).path, directory + "/a/b/vq-20261121-103000-1.png")
    }

    func testAtMostMaxImagesAreSavedPerAnswerAndTheRestCounted() throws {
        let saver = ImageSaver(directory: directory, maxImages: 2, now: noon, timeZone: TimeZone(identifier: "UTC")!)
        _ = try saver.save(png)
        _ = try saver.save(png)
        XCTAssertTrue(saver.isFull)
        for _ in 0..<3 { XCTAssertThrowsError(try saver.save(png)) }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory).count, 2)
        XCTAssertEqual(
            saver.skippedReport, "3 more image(s) in the answer were not saved: at most 2 are saved per answer (max_saved_images in the profile)")
        saver.startAnswer()
        XCTAssertNil(saver.skippedReport)
        _ = try saver.save(png)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory).count, 3, "the next chat answer gets its own allowance")
    }
}
