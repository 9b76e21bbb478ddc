import Imaging
import XCTest

final class ImageFormatTests: XCTestCase {
    func testMimeTypesAndExtensions() {
        let expected: [(ImageFormat, String, String)] = [
            (.png, "image/png", "png"), (.jpeg, "image/jpeg", "jpg"),
            (.webp, "image/webp", "webp"), (.gif, "image/gif", "gif"),
            (.heic, "image/heic", "heic"), (.avif, "image/avif", "avif"),
        ]
        for (format, mime, ext) in expected {
            XCTAssertEqual(format.mimeType, mime)
            XCTAssertEqual(format.fileExtension, ext)
        }
    }

    func testErrorDescriptionIsTheMessage() {
        let error = ImageError(.corrupt, "corrupt PNG: IDAT: CRC error")
        XCTAssertEqual(error.description, "corrupt PNG: IDAT: CRC error")
        XCTAssertEqual("\(error)", "corrupt PNG: IDAT: CRC error")
    }
}
