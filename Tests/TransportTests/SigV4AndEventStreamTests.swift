import TestSupport
import XCTest

@testable import Transport

/// SigV4 against AWS's published test vector, and the event-stream decoder on frames split every possible way.
final class SigV4AndEventStreamTests: XCTestCase {
    /// AWS's Signature Version 4 test suite, "get-vanilla": GET / on example.amazonaws.com at 20150830T123600Z.
    func testSignsAWSPublishedVector() {
        var request = HTTPRequest(method: "GET", url: "https://example.amazonaws.com/")
        let signer = SigV4Signer(
            credentials: AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
            region: "us-east-1", service: "service")
        signer.sign(&request, at: Date(timeIntervalSince1970: 1_440_938_160))
        XCTAssertEqual(request.headers.first { $0.name == "X-Amz-Date" }?.value, "20150830T123600Z")
        XCTAssertEqual(
            request.headers.first { $0.name == "Authorization" }?.value,
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
        )
    }

    /// A model id's `:` is sent as `%3A` and signed as `%253A`; the session token is signed and secret.
    func testEncodesPathTwiceAndSignsToken() {
        XCTAssertEqual(SigV4Signer.encode("eu.anthropic.claude-sonnet-4-20250514-v1:0"), "eu.anthropic.claude-sonnet-4-20250514-v1%3A0")
        XCTAssertEqual(SigV4Signer.canonicalURI("/model/a%3A0/converse"), "/model/a%253A0/converse")
        var request = HTTPRequest(method: "POST", url: "https://bedrock-runtime.eu-west-3.amazonaws.com:443/model/a%3A0/converse?b=2&a=1")
        SigV4Signer(credentials: AWSCredentials(accessKeyID: "AK", secretAccessKey: "S", sessionToken: "TOKEN"), region: "eu-west-3", service: "bedrock")
            .sign(&request)
        let canonical = SigV4Signer(credentials: AWSCredentials(accessKeyID: "AK", secretAccessKey: "S"), region: "r", service: "s").canonicalRequest(request)
        XCTAssertTrue(canonical.text.hasPrefix("POST\n/model/a%253A0/converse\na=1&b=2\nhost:bedrock-runtime.eu-west-3.amazonaws.com\n"), canonical.text)
        XCTAssertEqual(canonical.signedHeaders, "host;x-amz-date;x-amz-security-token")
        XCTAssertTrue(request.isSecret("X-Amz-Security-Token"))
    }

    /// Three frames fed in every two-piece split decode to the same three messages.
    func testDecodesFramesAcrossEverySplit() throws {
        let stream =
            EventStreamFrame.event("messageStart", #"{"role":"assistant"}"#) + EventStreamFrame.event("contentBlockDelta", #"{"delta":{"text":"Hi"}}"#)
            + EventStreamFrame.exception("throttlingException", #"{"message":"slow down"}"#)
        for split in 0...stream.count {
            var decoder = EventStreamDecoder()
            let messages = try decoder.feed(stream.prefix(split)) + decoder.feed(stream.dropFirst(split))
            XCTAssertEqual(
                messages.map { $0.headers[":event-type"] ?? $0.headers[":exception-type"] }, ["messageStart", "contentBlockDelta", "throttlingException"])
            XCTAssertEqual(String(decoding: messages[1].payload, as: UTF8.self), #"{"delta":{"text":"Hi"}}"#)
            XCTAssertFalse(decoder.hasPartialMessage)
        }
    }

    /// Headers of the fixed-size types (here an int32 and a timestamp) are skipped; an unknown type is an error.
    func testSkipsNonStringHeaders() throws {
        let int32: [UInt8] = [5] + Array("count".utf8) + [4, 0, 0, 0, 7]
        let timestamp: [UInt8] = [4] + Array("time".utf8) + [8] + [UInt8](repeating: 1, count: 8)
        let type: [UInt8] = [11] + Array(":event-type".utf8) + [7, 0, 8] + Array("metadata".utf8)
        var decoder = EventStreamDecoder()
        let messages = try decoder.feed(EventStreamFrame.frame(headerBlock: Data(int32 + timestamp + type), payload: Data("{}".utf8)))
        XCTAssertEqual(messages.first?.headers, [":event-type": "metadata"])
        var strict = EventStreamDecoder()
        XCTAssertThrowsError(try strict.feed(EventStreamFrame.frame(headerBlock: Data([1, 0x61, 42]), payload: Data()))) {
            XCTAssertEqual(($0 as? EventStreamError)?.message, "unknown header type 42")
        }
    }

    /// A flipped bit in the prelude or the message is caught by its CRC, and the decoder stays failed.
    func testRejectsBadCRCs() {
        let frame = EventStreamFrame.event("contentBlockDelta", #"{"delta":{"text":"Hi"}}"#)
        for (index, expected) in [(2, "prelude CRC mismatch"), (frame.count - 6, "message CRC mismatch")] {
            var damaged = frame
            damaged[index] ^= 0x01
            var decoder = EventStreamDecoder()
            XCTAssertThrowsError(try decoder.feed(damaged)) { XCTAssertEqual(($0 as? EventStreamError)?.message, expected) }
            XCTAssertThrowsError(try decoder.feed(frame), "a stream is not trusted after a bad frame")
        }
        var truncated = EventStreamDecoder()
        XCTAssertEqual(try truncated.feed(frame.dropLast(3)), [])
        XCTAssertTrue(truncated.hasPartialMessage)
    }
}
