import XCTest

@testable import Transport

/// The response head as curl hands it over line by line: status, names lowercased, optional whitespace trimmed,
/// repeated fields joined, folded lines appended, interim 1xx heads skipped and trailers ignored.
final class ResponseHeadParserTests: XCTestCase {
    private func parse(_ lines: [String]) -> (ResponseHeadParser, completedAt: Int?) {
        var parser = ResponseHeadParser()
        var completedAt: Int?
        for (index, line) in lines.enumerated() where parser.feed(line) { completedAt = index }
        return (parser, completedAt)
    }

    func testFieldsAreLowercasedTrimmedJoinedAndFolded() {
        let (head, completedAt) = parse([
            "HTTP/1.1 200 OK\r\n", "Content-Type:  text/event-stream \t\r\n", "Set-Cookie: a=1\r\n", "SET-COOKIE: b=2\r\n",
            "X-Folded: first\r\n", " \tsecond part \r\n", "X-Ünïcode-Name: value\n", "no colon here\r\n", "X-Empty:\r\n", "\r\n",
            "X-Trailer: ignored\r\n",
        ])
        XCTAssertEqual(completedAt, 9, "the empty line completes the head")
        XCTAssertEqual(head.status, 200)
        XCTAssertEqual(
            head.headers,
            [
                "content-type": "text/event-stream", "set-cookie": "a=1, b=2", "x-folded": "first second part",
                "x-ünïcode-name": "value", "x-empty": "",
            ])
    }

    func testInterimHeadsAreSkippedButSwitchingProtocolsIsNot() {
        let (head, completedAt) = parse(["HTTP/1.1 100 Continue\r\n", "\r\n", "HTTP/2 404\r\n", "x-request-id: 7\r\n", "\r\n"])
        XCTAssertEqual(completedAt, 4)
        XCTAssertEqual(head.status, 404)
        XCTAssertEqual(head.headers, ["x-request-id": "7"])
        let (switching, switchedAt) = parse(["HTTP/1.1 101 Switching Protocols\r\n", "Upgrade: websocket\r\n", "\r\n"])
        XCTAssertEqual(switchedAt, 2)
        XCTAssertEqual(switching.status, 101)
    }

    func testAStatusLineStartsAFreshHead() {
        let (head, _) = parse(["HTTP/1.1 302 Found\r\n", "Location: /next\r\n", "HTTP/1.1 200 OK\r\n", "Content-Length: 2\r\n", "\r\n"])
        XCTAssertEqual(head.status, 200)
        XCTAssertEqual(head.headers, ["content-length": "2"])
    }
}
