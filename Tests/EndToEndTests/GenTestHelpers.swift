import CTestSupport
import Foundation
import XCTest

/// What the `vq gen` tests read back: JSON objects and the provenance vq writes into a saved PNG.
extension EndToEndCase {
    func parsedObject(_ text: String) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], text)
    }

    /// The provenance JSON in a saved PNG, read back by libpng.
    func pngProvenance(_ path: String) throws -> [String: Any] {
        let data = try Data(contentsOf: directory.appendingPathComponent(path))
        var out = [CChar](repeating: 0, count: 1 << 16)
        let length = data.withUnsafeBytes { vq_test_png_text($0.bindMemory(to: UInt8.self).baseAddress, data.count, "vq:provenance", &out, out.count) }
        XCTAssertGreaterThan(length, 0, "libpng finds the vq:provenance text chunk in \(path)")
        return try parsedObject(String(decoding: out.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }
}
