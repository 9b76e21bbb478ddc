import Foundation
import TestSupport
import Transport
import XCTest

/// SSEParser: spec cases, and chunk-split invariance.
final class SSEParserTests: XCTestCase {
    struct Case {
        let name: String
        let stream: String
        let events: [SSEEvent]
        var incomplete = false
    }

    static let cases: [Case] = [
        Case(name: "LF", stream: "data: a\n\ndata: b\n\n", events: [SSEEvent(data: "a"), SSEEvent(data: "b")]),
        Case(name: "CR", stream: "data: a\r\rdata: b\r\r", events: [SSEEvent(data: "a"), SSEEvent(data: "b")]),
        Case(name: "CRLF", stream: "data: a\r\n\r\ndata: b\r\n\r\n", events: [SSEEvent(data: "a"), SSEEvent(data: "b")]),
        Case(name: "mixed endings", stream: "data: a\r\ndata: b\rdata: c\n\r\n", events: [SSEEvent(data: "a\nb\nc")]),
        Case(name: "comments", stream: ": keep-alive\n:\ndata: x\n: inside\n\n", events: [SSEEvent(data: "x")]),
        Case(
            name: "multi-line data", stream: "data: line1\ndata: line2\ndata:\ndata: line4\n\n",
            events: [SSEEvent(data: "line1\nline2\n\nline4")]),
        Case(
            name: "event names", stream: "event: delta\ndata: {\"a\":1}\n\nevent: stop\ndata: {}\n\ndata: plain\n\n",
            events: [SSEEvent(event: "delta", data: "{\"a\":1}"), SSEEvent(event: "stop", data: "{}"), SSEEvent(data: "plain")]),
        Case(name: "BOM", stream: "\u{FEFF}data: bom\n\n", events: [SSEEvent(data: "bom")]),
        Case(name: "only first BOM stripped", stream: "\u{FEFF}\u{FEFF}data: x\n\n", events: []),
        Case(name: "no space after colon", stream: "data:tight\n\ndata:  two\n\n", events: [SSEEvent(data: "tight"), SSEEvent(data: " two")]),
        Case(name: "field with no colon", stream: "data\n\ndata\ndata: z\n\n", events: [SSEEvent(data: "\nz")]),
        Case(name: "DONE", stream: "data: {\"x\":1}\n\ndata: [DONE]\n\n", events: [SSEEvent(data: "{\"x\":1}"), SSEEvent(data: "[DONE]")]),
        Case(name: "empty data not dispatched", stream: "event: ping\n\ndata:\n\nid: 1\n\n", events: []),
        Case(
            name: "id persists, retry ignored", stream: "id: 7\nretry: 100\ndata: a\n\ndata: b\n\nid\ndata: c\n\n",
            events: [SSEEvent(data: "a", id: "7"), SSEEvent(data: "b", id: "7"), SSEEvent(data: "c", id: "")]),
        Case(name: "unknown fields ignored", stream: "foo: bar\ndata: d\n\n", events: [SSEEvent(data: "d")]),
        Case(name: "colon in value kept", stream: "data: a: b\n\n", events: [SSEEvent(data: "a: b")]),
        Case(name: "unterminated event discarded", stream: "data: done\n\ndata: cut", events: [SSEEvent(data: "done")], incomplete: true),
        Case(name: "data without blank line discarded", stream: "data: x\n", events: [], incomplete: true),
        Case(name: "trailing comment is complete", stream: "data: x\n\n: bye", events: [SSEEvent(data: "x")]),
        Case(name: "unicode", stream: "data: héllo → 世界\n\n", events: [SSEEvent(data: "héllo → 世界")]),
    ]

    private func parse(_ chunks: [Data]) -> (events: [SSEEvent], incomplete: Bool) {
        var parser = SSEParser()
        var events: [SSEEvent] = []
        for chunk in chunks { events += parser.feed(chunk) }
        let end = parser.finish()
        return (events + end.events, end.hadIncompleteEvent)
    }

    func testTableInOneChunk() {
        for c in Self.cases {
            let result = parse([Data(c.stream.utf8)])
            XCTAssertEqual(result.events, c.events, c.name)
            XCTAssertEqual(result.incomplete, c.incomplete, c.name)
        }
    }

    func testTableInOneByteChunks() {
        for c in Self.cases {
            let result = parse(Data(c.stream.utf8).map { Data([$0]) })
            XCTAssertEqual(result.events, c.events, c.name)
            XCTAssertEqual(result.incomplete, c.incomplete, c.name)
        }
    }

    func testTableInRandomChunkSplits() {
        var rng = SeededGenerator(seed: 42)
        for c in Self.cases {
            let bytes = Data(c.stream.utf8)
            for _ in 0..<200 {
                let result = parse(randomSplit(bytes, using: &rng))
                XCTAssertEqual(result.events, c.events, c.name)
                XCTAssertEqual(result.incomplete, c.incomplete, c.name)
            }
        }
    }

    func testCRAtChunkEndFollowedByLFIsOneLineEnd() {
        // Were CR|LF two line ends, the LF would be a blank line and dispatch "a" on its own.
        let result = parse([Data("data: a\r".utf8), Data("\ndata: b\r".utf8), Data("\n\r".utf8), Data("\n".utf8)])
        XCTAssertEqual(result.events, [SSEEvent(data: "a\nb")])
    }

    func testEventsAreReturnedAsSoonAsTheirBlankLineArrives() {
        var parser = SSEParser()
        XCTAssertEqual(parser.feed(Data("data: one\n".utf8)), [])
        XCTAssertEqual(parser.feed(Data("\ndata: two\n".utf8)), [SSEEvent(data: "one")])
        XCTAssertEqual(parser.feed(Data("\n".utf8)), [SSEEvent(data: "two")])
    }

    func testLargeDataLineParsesQuickly() {
        let payload = String(repeating: "QUJDRA==", count: 13 * 1024 * 1024 / 8)
        let stream = Data("event: image\ndata: \(payload)\n\n".utf8)
        let start = Date()
        let whole = parse([stream])
        var chunks: [Data] = []
        var offset = 0
        while offset < stream.count {
            chunks.append(stream.subdata(in: offset..<min(stream.count, offset + 16 * 1024)))
            offset += 16 * 1024
        }
        let split = parse(chunks)
        XCTAssertEqual(whole.events.count, 1)
        XCTAssertEqual(whole.events.first?.data.utf8.count, payload.utf8.count)
        XCTAssertEqual(split.events, whole.events)
        XCTAssertLessThan(Date().timeIntervalSince(start), 5, "parsing must be linear")
    }
}

/// Splits `data` at random points, sometimes into 1-byte pieces.
func randomSplit(_ data: Data, using rng: inout SeededGenerator) -> [Data] {
    var chunks: [Data] = []
    var offset = 0
    let maxChunk = Int.random(in: 1...max(1, data.count), using: &rng)
    while offset < data.count {
        let length = Int.random(in: 1...maxChunk, using: &rng)
        let end = min(data.count, offset + length)
        chunks.append(data.subdata(in: offset..<end))
        offset = end
    }
    return chunks

    func testALineOrAnEventLongerThanTheLimitStopsTheParserWithoutBufferingIt() {
        var parser = SSEParser(maxLineBytes: 64)
        XCTAssertEqual(parser.feed(Data("data: ok\n\n".utf8)).map(\.data), ["ok"])
        for _ in 0..<100 { XCTAssertEqual(parser.feed(Data(repeating: UInt8(ascii: "x"), count: 10)), []) }
        XCTAssertTrue(parser.overLimit)
        XCTAssertLessThanOrEqual(parser.bufferedBytes, 64)
        XCTAssertEqual(parser.feed(Data("\n\ndata: late\n\n".utf8)), [], "nothing after the limit")

        var manyLines = SSEParser(maxLineBytes: 64)
        for _ in 0..<20 { _ = manyLines.feed(Data("data: 0123456789\n".utf8)) }
        XCTAssertTrue(manyLines.overLimit, "one event's data lines together are bounded too")
        XCTAssertLessThanOrEqual(manyLines.bufferedBytes, 128)
    }
}
