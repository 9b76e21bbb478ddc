import Foundation
import TestSupport
import Transport
import XCTest

/// HTTPRequest body encoding, redaction and error descriptions.
final class BodyAndRedactionTests: XCTestCase {
    func testBodyDataMatchesFoundationBase64ForManySizes() {
        var rng = SeededGenerator(seed: 3)
        for size in Array(0...40) + [255, 256, 257, 65_535, 65_536, 65_537, 1_000_000] {  // 0...40: the 12-byte vector steps and every tail
            let raw = Data((0..<size).map { _ in UInt8.random(in: 0...255, using: &rng) })
            let request = HTTPRequest(
                method: "POST", url: "http://x/", body: [.bytes(Data("[".utf8)), .base64(raw), .bytes(Data()), .base64(raw), .bytes(Data("]".utf8))])
            let expected = Data("[".utf8) + raw.base64EncodedData() + raw.base64EncodedData() + Data("]".utf8)
            XCTAssertEqual(request.bodyLength, expected.count, "size \(size)")
            XCTAssertEqual(request.bodyData(), expected, "size \(size)")
        }
    }

    func testRedactedSummaryHidesSecrets() {
        var request = HTTPRequest(
            method: "POST", url: "https://api.example.com/v1/chat/completions",
            headers: [
                ("Authorization", "Bearer sk-123"), ("API-Key", "k"), ("X-Goog-Api-Key", "g"),
                ("x-api-key", "a"), ("X-Team", "team-secret"), ("Content-Type", "application/json"),
            ],
            body: [.bytes(Data(count: 812 * 1024))])
        request.secretHeaderNames.insert("x-team")
        XCTAssertEqual(
            request.redactedSummary(),
            [
                "POST https://api.example.com/v1/chat/completions (812 KB)",
                "Authorization: [redacted]",
                "API-Key: [redacted]",
                "X-Goog-Api-Key: [redacted]",
                "x-api-key: [redacted]",
                "X-Team: [redacted]",
                "Content-Type: application/json",
            ])
        XCTAssertEqual(HeaderRedactor.redact(name: "Accept", value: "*/*", secretNames: []), "*/*")
        XCTAssertEqual(HeaderRedactor.redact(name: "AUTHORIZATION", value: "x", secretNames: []), "[redacted]")
    }

    func testErrorDescriptionsAreOneLine() {
        let errors: [TransportError] = [
            .couldNotResolveHost("h"), .couldNotConnect("refused"), .tls(.handshake, "bad cert"), .timedOut("t"), .stalled(seconds: 60),
            .tooManyRedirects(5), .disallowedScheme("file"), .invalidURL("u"), .sendFailed("s"), .receiveFailed("r"),
            .aborted, .other(code: 99, message: "m"), .totalTimeoutReached, .proxyUnreachable(proxy: "http://p:1", detail: "refused"),
            .proxyRefused(proxy: "http://p:1", status: 407),
        ]
        for error in errors {
            XCTAssertFalse(error.description.isEmpty)
            XCTAssertFalse(error.description.contains("\n"))
        }
        XCTAssertEqual(TransportError.stalled(seconds: 60).description, "no data received for 60 s; connection stalled")
    }
}

/// URL credential redaction.
final class URLRedactorTests: XCTestCase {
    func testCases() {
        let cases = [
            ("https://host/v1/models", "https://host/v1/models"),
            ("https://host/v1beta/models/x:generateContent?key=AIzaSECRET&alt=sse", "https://host/v1beta/models/x:generateContent?key=[redacted]&alt=sse"),
            ("https://user:pw@host:8443/p?q=1#frag", "https://[redacted]@host:8443/p?q=1#frag"),
            ("http://host/p?alt=sse&API_KEY=s#k=v", "http://host/p?alt=sse&API_KEY=[redacted]#k=v"),
            ("http://host/a@b", "http://host/a@b"),
        ]
        for (input, expected) in cases {
            XCTAssertEqual(URLRedactor.redact(input), expected)
        }
        var request = HTTPRequest(method: "GET", url: "https://h/x?key=SECRET")
        request.headers = []
        XCTAssertEqual(request.redactedSummary(), ["GET https://h/x?key=[redacted]"])
    }
}
