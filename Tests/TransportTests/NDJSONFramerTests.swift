import Foundation
import TestSupport
import Transport
import XCTest

/// NDJSONFramer: line framing, CRLF, trailing line, chunk-split invariance.
final class NDJSONFramerTests: XCTestCase {
    static let cases: [(stream: String, lines: [String], trailing: String?)] = [
        ("{\"a\":1}\n{\"b\":2}\n", ["{\"a\":1}", "{\"b\":2}"], nil),
        ("{\"a\":1}\r\n{\"b\":2}\r\n", ["{\"a\":1}", "{\"b\":2}"], nil),
        ("\n\n{\"a\":1}\n\r\n  \n{\"b\":2}", ["{\"a\":1}"], "{\"b\":2}"),
        ("{\"done\":true}\r", [], "{\"done\":true}"),
        ("{\"s\":\"a\\rb\"}\n", ["{\"s\":\"a\\rb\"}"], nil),
        ("", [], nil),
    ]

    private func frame(_ chunks: [Data]) -> ([String], String?) {
        var framer = NDJSONFramer()
        var lines: [Data] = []
        for chunk in chunks { lines += framer.feed(chunk) }
        return (lines.map { String(decoding: $0, as: UTF8.self) }, framer.finish().map { String(decoding: $0, as: UTF8.self) })
    }

    func testCasesInOneChunkAndOneByteChunks() {
        for c in Self.cases {
            let bytes = Data(c.stream.utf8)
            for chunks in [[bytes], bytes.map { Data([$0]) }] {
                let (lines, trailing) = frame(chunks)
                XCTAssertEqual(lines, c.lines, c.stream)
                XCTAssertEqual(trailing, c.trailing, c.stream)
            }
        }
    }

    func testRandomChunkSplitsGiveSameLines() {
        var rng = SeededGenerator(seed: 9)
        for c in Self.cases where !c.stream.isEmpty {
            for _ in 0..<300 {
                let (lines, trailing) = frame(randomSplit(Data(c.stream.utf8), using: &rng))
                XCTAssertEqual(lines, c.lines, c.stream)
                XCTAssertEqual(trailing, c.trailing, c.stream)
            }
        }
    }

    func testCRIsNotALineEnd() {
        var framer = NDJSONFramer()
        XCTAssertEqual(framer.feed(Data("a\rb\n".utf8)), [Data("a\rb".utf8)])
    }

    func testALineLongerThanTheLimitStopsTheFramerWithoutBufferingIt() {
        var framer = NDJSONFramer(maxLineBytes: 64)
        XCTAssertEqual(framer.feed(Data("{\"a\":1}\n".utf8)), [Data("{\"a\":1}".utf8)])
        for _ in 0..<100 { XCTAssertEqual(framer.feed(Data(repeating: UInt8(ascii: "x"), count: 10)), []) }
        XCTAssertTrue(framer.overLimit)
        XCTAssertLessThanOrEqual(framer.bufferedBytes, 65)
    }
}
