import Foundation
import TestSupport
import XCTest

@testable import Transport

/// `.base64File`: a file's bytes base64-encoded while the body is read, in buffers of any size, equal to Foundation's
/// encoding of the same bytes.
final class Base64FileBodyTests: XCTestCase {
    func testAFileIsEncodedAsFoundationDoesWhateverTheBufferSizes() throws {
        var rng = SeededGenerator(seed: 11)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("vq-b64-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: url) }
        for size in [0, 1, 2, 3, 4, 5, 196_607, 196_608, 196_609, 700_001] {
            let raw = Data((0..<size).map { _ in UInt8.random(in: 0...255, using: &rng) })
            try raw.write(to: url)
            let parts: [BodyPart] = [.bytes(Data("\"".utf8)), .base64File(path: url.path, length: size), .bytes(Data("\"".utf8))]
            let expected = Data("\"".utf8) + raw.base64EncodedData() + Data("\"".utf8)
            let request = HTTPRequest(method: "POST", url: "http://x/", body: parts)
            XCTAssertEqual(request.bodyLength, expected.count, "size \(size)")
            XCTAssertEqual(request.bodyData(), expected, "size \(size), one buffer")
            var reader = BodyReader(parts: parts)
            var out = Data()
            var buffer = [UInt8](repeating: 0, count: 70_000)
            while true {
                let length = Int.random(in: 1...70_000, using: &rng)
                let n = buffer.withUnsafeMutableBytes { reader.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<length])) }
                if n == 0 { break }
                out.append(contentsOf: buffer[0..<n])
            }
            XCTAssertEqual(out, expected, "size \(size), buffers of random sizes")
        }
    }

    func testAFileThatShrankGivesAShortBody() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("vq-b64-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data(repeating: 7, count: 10).write(to: url)
        let request = HTTPRequest(method: "POST", url: "http://x/", body: [.base64File(path: url.path, length: 30)])
        var reader = BodyReader(parts: request.body)
        var buffer = [UInt8](repeating: 0, count: 100)
        let n = buffer.withUnsafeMutableBytes { reader.read(into: $0) }
        XCTAssertLessThan(n, request.bodyLength, "curl then reports the body shorter than its Content-Length")
    }
}
