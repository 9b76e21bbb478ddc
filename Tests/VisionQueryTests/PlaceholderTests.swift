import XCTest
final class VisionQueryTestsPlaceholder: XCTestCase { func testBuilds() { XCTAssertTrue(true) } }
