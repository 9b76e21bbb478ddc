import Foundation
import TestSupport
import Transport
import XCTest

/// Secrets a request carried never come back out of a response, however the body is split into chunks.
final class SecretRedactorTests: XCTestCase {
    func testSecretsComeFromSecretHeadersAndURLCredentials() {
        let request = HTTPRequest(
            method: "POST", url: "https://user:pa55word@example.com/v1?key=gk-123456&model=m",
            headers: [("Authorization", "Bearer sk-abcdef"), ("Cookie", "sid=zzz999"), ("Accept", "application/json")])
        let redactor = SecretRedactor(request: request)
        let echoed = "auth=Bearer sk-abcdef cookie=sid=zzz999 pw=pa55word key=gk-123456 accept=application/json"
        XCTAssertEqual(
            redactor.redact(echoed),
            "auth=[redacted] cookie=[redacted] pw=[redacted] key=[redacted] accept=application/json")
        XCTAssertEqual(redactor.redact("only sk-abcdef here"), "only [redacted] here")
    }

    func testJSONEscapedSlashIsRedactedToo() {
        let redactor = SecretRedactor(secrets: ["ab/cd/ef"])
        XCTAssertEqual(redactor.redact(#"{"k":"ab\/cd\/ef"}"#), #"{"k":"[redacted]"}"#)
    }

    func testShortValuesAreNotSecrets() {
        XCTAssertTrue(SecretRedactor(secrets: ["abc"]).isEmpty)
    }

    func testEverySplitOfAStreamIsRedacted() {
        let redactor = SecretRedactor(secrets: ["sk-test-secret"])
        let body = Data("data: {\"echo\":\"Bearer sk-test-secret\"}\n\ndata: sk-test-secre\n\nend sk-test-secret".utf8)
        let expected = redactor.redact(body)
        XCTAssertFalse(String(decoding: expected, as: UTF8.self).contains("sk-test-secret"))
        for split in 1..<body.count {
            var stream = StreamingSecretRedactor(redactor)
            let out = stream.feed(body.prefix(split)) + stream.feed(body.suffix(from: split)) + stream.finish()
            XCTAssertEqual(out, expected, "split at \(split)")
        }
    }

    func testABodyCutInsideTheSecretShowsNoneOfIt() {
        var stream = StreamingSecretRedactor(SecretRedactor(secrets: ["sk-test-secret"]))
        let out = stream.feed(Data("key: sk-test-sec".utf8)) + stream.finish()
        XCTAssertEqual(String(decoding: out, as: UTF8.self), "key: [redacted]")
    }

    func testClientRedactsEchoedHeadersInBodyAndHead() throws {
        let server = try LoopbackHTTPServer { request, writer in
            let echo = request.headers.map { "\($0.key): \($0.value)" }.sorted().joined(separator: "\n")
            writer.respond(status: 400, headers: [("X-Echo", request.header("x-api-key") ?? "")], body: Data(echo.utf8))
        }
        let client = RedactingHTTPClient(base: CurlHTTPClient())
        let request = HTTPRequest(method: "GET", url: server.baseURL + "/", headers: [("x-api-key", "k-0123456789")])
        let (head, body) = try client.fetch(request, options: TransferOptions())
        let text = String(decoding: body, as: UTF8.self)
        XCTAssertTrue(text.contains("x-api-key: [redacted]"), text)
        XCTAssertFalse(text.contains("k-0123456789"))
        XCTAssertEqual(head.headers["x-echo"], "[redacted]")
    }
}
