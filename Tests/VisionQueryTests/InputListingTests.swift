import XCTest

@testable import VisionQuery

/// The listing digest shards compare, and the canonical paths `--inputs-from` keys on.
final class InputListingTests: XCTestCase {
    func testTheDigestIgnoresOrderButNotContent() throws {
        var forward = InputListing()
        var backward = InputListing()
        let keys = (0..<500).map { "cats/\($0).jpg" }
        for key in keys { forward.add(key: key) }
        for key in keys.reversed() { backward.add(key: key) }
        XCTAssertEqual(forward, backward)
        var missingOne = InputListing()
        for key in keys.dropLast() { missingOne.add(key: key) }
        missingOne.add(key: "cats/x.jpg")
        XCTAssertEqual(missingOne.count, forward.count)
        XCTAssertNotEqual(missingOne.digest, forward.digest)
        let decoded = try JSONDecoder().decode(InputListing.self, from: JSONEncoder().encode(forward))
        XCTAssertEqual(decoded, forward)
    }

    func testTheFastPathForCanonicalPathsAgreesWithTheFullNormalisation() {
        let cases = [
            "/data/a.png", "/data/.hidden/a.png", "/data/..x/a", "/data/a.", "/a/b/c", "/", "//a", "/a//b", "/a/./b", "/a/../b",
            "/a/.", "/a/..", "/a/", "a/b", "/...", "/a/.../b",
        ]
        for path in cases {
            let full = CanonicalInput.path(path, relativeTo: "/work")
            if CanonicalInput.isNormalAbsolute(path) { XCTAssertEqual(full, path, path) }
        }
        XCTAssertTrue(CanonicalInput.isNormalAbsolute("/data/images/cat 1.jpg"))
        XCTAssertFalse(CanonicalInput.isNormalAbsolute("/a//b"))
        XCTAssertFalse(CanonicalInput.isNormalAbsolute("/a/../b"))
        XCTAssertEqual(CanonicalInput.path("/a/../b", relativeTo: "/w"), "/b")
    }
}
