import XCTest
final class ImagingTestsPlaceholder: XCTestCase { func testBuilds() { XCTAssertTrue(true) } }
