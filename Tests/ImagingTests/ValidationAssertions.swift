import Foundation
import Imaging
import XCTest

/// Asserts that validation throws an ImageError of `kind` whose message contains `message`.
func assertRejects(
    _ data: Data, limits: ImageLimits = .default, _ kind: ImageError.Kind, _ message: String,
    _ label: String = "", file: StaticString = #filePath, line: UInt = #line
) {
    do {
        let info = try ImageValidator.validate(data, limits: limits)
        XCTFail("\(label): accepted as \(info), expected \(kind) containing \"\(message)\"", file: file, line: line)
    } catch {
        XCTAssertEqual(error.kind, kind, "\(label): \(error.message)", file: file, line: line)
        XCTAssertTrue(
            error.message.contains(message), "\(label): \"\(error.message)\" lacks \"\(message)\"",
            file: file, line: line)
        XCTAssertFalse(error.message.contains("\n"), "\(label): message must be one line", file: file, line: line)
    }
}

/// Asserts that validation accepts `data` as `format` with the given size.
func assertAccepts(
    _ data: Data, _ format: ImageFormat, width: Int, height: Int, limits: ImageLimits = .default,
    _ label: String = "", file: StaticString = #filePath, line: UInt = #line
) {
    do {
        let info = try ImageValidator.validate(data, limits: limits)
        XCTAssertEqual(info, ImageInfo(format: format, width: width, height: height), label, file: file, line: line)
    } catch {
        XCTFail("\(label): rejected: \(error.message)", file: file, line: line)
    }
}
