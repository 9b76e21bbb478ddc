import XCTest
final class VQCLITestsPlaceholder: XCTestCase { func testBuilds() { XCTAssertTrue(true) } }
