import Foundation
import Platform
import XCTest

/// PathText computes what NSString's path methods computed, checked against them.
final class PathTextTests: XCTestCase {
    private let paths = [
        "", "/", "//", "a", "a/", "/a", "/a/", "/a/b", "/a/b/", "a/b/c.jpg", "/x/photo.JPG", "dir.d/file", ".hidden", "/tmp/.hidden",
        "name.", "a.b.c", "/a//b", "./a", "../a", "~", "~/x", "/a/./b/../c", "/../a", "a/../b",
    ]

    func testComponentsMatchNSString() {
        for path in paths {
            let ns = path as NSString
            XCTAssertEqual(PathText.lastComponent(path), ns.lastPathComponent, "lastPathComponent of \(path.debugDescription)")
            XCTAssertEqual(PathText.fileExtension(path), ns.pathExtension, "pathExtension of \(path.debugDescription)")
            // Foundation 6.3 traps on a relative path of one component ("a", "a/"): compare where it answers.
            if path.dropLast().contains("/") && !path.contains("//") {
                XCTAssertEqual(PathText.deletingLastComponent(path), ns.deletingLastPathComponent, "deletingLastPathComponent of \(path.debugDescription)")
                XCTAssertEqual(PathText.deletingExtension(path), ns.deletingPathExtension, "deletingPathExtension of \(path.debugDescription)")
            }
        }
        XCTAssertEqual(PathText.deletingLastComponent("cases.jsonl"), "", "NSString's documented answer")
        XCTAssertEqual(PathText.deletingLastComponent("a/"), "")
        XCTAssertEqual(PathText.deletingExtension("photo.jpg"), "photo")
    }

    func testAppendingMatchesNSString() {
        for base in ["", "/", "a", "a/", "/tmp", "/tmp/"] {
            for component in ["b", "b/", "inline-1", ".vq-x.tmp"] {
                XCTAssertEqual(PathText.appending(base, component), (base as NSString).appendingPathComponent(component), "\(base) + \(component)")
            }
        }
    }

    func testTildeAndStandardizingMatchNSString() {
        for path in ["~", "~/x", "~/x/", "/abs", "rel", "~user/x"] {
            XCTAssertEqual(PathText.expandingTilde(path), (path as NSString).expandingTildeInPath, path)
        }
        for path in ["/a/./b/../c", "/../a", "/a//b/", "/a/b/..", "~/x/./y"] {
            XCTAssertEqual(PathText.standardizing(path), (path as NSString).standardizingPath, path)
        }
    }

    func testSystemDirectoriesMatchFoundation() {
        XCTAssertEqual(SystemDirectories.home, NSHomeDirectory())
        XCTAssertEqual(SystemDirectories.temporary, NSTemporaryDirectory())
    }
}
