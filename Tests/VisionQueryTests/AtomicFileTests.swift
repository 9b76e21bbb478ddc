import Foundation
import VisionQuery
import XCTest

/// The one atomic writer: never clobbers with `create`, replaces whole with `replace`, leaves no temporary file.
final class AtomicFileTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("vq-atomic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    func contents(_ name: String) throws -> String { try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8) }

    func testCreateNeverReplacesAndReplaceDoes() throws {
        let path = directory.appendingPathComponent("a.txt").path
        XCTAssertTrue(try AtomicFile.create(path, with: Data("first".utf8)))
        XCTAssertFalse(try AtomicFile.create(path, with: Data("second".utf8)), "the name is taken")
        XCTAssertEqual(try contents("a.txt"), "first")
        try AtomicFile.replace(path, with: Data("third".utf8))
        XCTAssertEqual(try contents("a.txt"), "third")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["a.txt"], "no temporary file left")
    }

    func testFilesGetTheUsersUmaskNotPrivateTemporaryModes() throws {
        let mask = umask(0o022)
        defer { umask(mask) }
        let created = directory.appendingPathComponent("created.txt").path
        let replaced = directory.appendingPathComponent("replaced.txt").path
        XCTAssertTrue(try AtomicFile.create(created, with: Data("x".utf8)))
        try AtomicFile.replace(replaced, with: Data("y".utf8))
        for path in [created, replaced] {
            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            XCTAssertEqual(mode, 0o644, path)
        }
    }

    func testErrorsNameTheFile() {
        let path = directory.appendingPathComponent("missing-dir/a.txt").path
        XCTAssertThrowsError(try AtomicFile.create(path, with: Data(), noun: " image")) { error in
            XCTAssertEqual((error as? VQError)?.category, .cannotCreate)
            XCTAssertTrue((error as? VQError)?.message.hasPrefix(path + ": cannot create a temporary file") == true, "\(error)")
        }
    }
}
