import CTestSupport
import Foundation
import Imaging
import XCTest

/// What the `vq gen` tests make and read back: masks, JSON objects and the provenance vq writes into a saved PNG.
extension EndToEndCase {
    /// An RGBA PNG mask, its left half transparent.
    @discardableResult
    func mask(_ name: String, width: Int, height: Int) throws -> Data {
        let pixels = (0..<(width * height)).flatMap { index -> [UInt8] in index % width < width / 2 ? [0, 0, 0, 0] : [0, 0, 0, 255] }
        let data = try ImageEncoder.encodePNG(pixels: pixels, width: width, height: height, channels: 4)
        try data.write(to: directory.appendingPathComponent(name))
        return data
    }

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
