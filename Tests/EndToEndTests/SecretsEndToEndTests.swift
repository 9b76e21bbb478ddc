import TestSupport
import XCTest

/// A server that echoes the request headers back (in an error body, in an answer, in a model list) never makes vq
/// show, log or save the key it sent.
final class SecretsEndToEndTests: EndToEndCase {
    /// Every request header as one line of text, the way a debugging proxy or a careless gateway echoes them.
    private static func echo(_ request: RecordedRequest) -> String {
        request.headers.map { "\($0.key): \($0.value)" }.sorted().joined(separator: "; ")
    }

    private static func jsonString(_ text: String) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: [text], options: [.withoutEscapingSlashes]), as: UTF8.self).dropFirst().dropLast()
            .description
    }

    /// Echoes the headers in a 400 error (`fails`), or as the answer text.
    private func echoingServer(fails: Bool) throws -> LoopbackHTTPServer {
        try LoopbackHTTPServer { request, writer in
            let echoed = Self.jsonString("you sent " + Self.echo(request))
            if request.path.hasSuffix("/models") {
                return writer.respond(
                    status: 401, headers: [("Content-Type", "application/json")], body: Data(#"{"error":{"message":\#(echoed)}}"#.utf8))
            }
            if fails {
                return writer.respond(
                    status: 400, headers: [("Content-Type", "application/json")], body: Data(#"{"error":{"message":\#(echoed)}}"#.utf8))
            }
            let body =
                #"{"id":"c1","object":"chat.completion","model":"m","choices":[{"index":0,"message":{"role":"assistant","content":\#(echoed)},"finish_reason":"stop"}]}"#
            writer.respond(status: 200, headers: [("Content-Type", "application/json")], body: Data(body.utf8))
        }
    }

    private func assertRedacted(_ text: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(text.contains(Self.key), "key shown: \(text)", file: file, line: line)
        XCTAssertTrue(text.contains("[redacted]"), "echo missing: \(text)", file: file, line: line)
    }

    func testEchoedKeyIsRedactedOnStderrInJSONAndInTheLog() throws {
        let server = try echoingServer(fails: true)
        let log = ["VQ_LOG_DB": directory.appendingPathComponent("log.db").path]
        let plain = try vq(["--no-stream", "Describe", "https://example.org/c.jpg"], baseURL: server.baseURL + "/v1", env: log)
        XCTAssertEqual(plain.status, 65, plain.stderr)
        assertRedacted(plain.stderr)
        let json = try vq(["--json", "Describe", "https://example.org/c.jpg"], baseURL: server.baseURL + "/v1", env: log)
        XCTAssertEqual(json.status, 65, json.stderr)
        assertRedacted(json.stdout)
        let logs = try vq(["logs", "-n", "5", "--json"], baseURL: server.baseURL + "/v1", env: log)
        XCTAssertEqual(logs.status, 0, logs.stderr)
        assertRedacted(logs.stdout)
    }

    func testEchoedKeyInAnAnswerIsRedactedInStdoutAndTheBatchFile() throws {
        let server = try echoingServer(fails: false)
        let answer = try vq(["Describe", "https://example.org/c.jpg"], baseURL: server.baseURL + "/v1")
        XCTAssertEqual(answer.status, 0, answer.stderr)
        assertRedacted(answer.stdout)
        try images(1)
        let batch = try vq(["batch", "Describe", "photos", "--out", "out.jsonl"], baseURL: server.baseURL + "/v1")
        XCTAssertEqual(batch.status, 0, batch.stderr)
        assertRedacted(try readOut("out.jsonl"))
    }

    func testEchoedKeyIsRedactedByModels() throws {
        let server = try echoingServer(fails: true)
        let models = try vq(["models"], baseURL: server.baseURL + "/v1")
        XCTAssertEqual(models.status, 77, models.stderr)
        assertRedacted(models.stderr)
    }

    func testCredentialsInBaseURLAreHiddenByVerboseDryRunAndProfiles() throws {
        let server = try OpenAIStubServer()
        let base = server.baseURL.replacingOccurrences(of: "http://", with: "http://robot:Pw-0123456789@")
        for arguments in [
            ["-v", "Describe", "https://example.org/c.jpg"], ["--dry-run", "Describe", "https://example.org/c.jpg"],
            ["--dry-run", "--json", "Describe", "https://example.org/c.jpg"], ["profiles"], ["profiles", "--json"],
        ] {
            let result = try vq(arguments, baseURL: base)
            XCTAssertEqual(result.status, 0, "\(arguments): \(result.stderr)")
            let shown = result.stdout + result.stderr
            XCTAssertFalse(shown.contains("Pw-0123456789"), "\(arguments): \(shown)")
            XCTAssertTrue(shown.contains("[redacted]@127.0.0.1"), "\(arguments): \(shown)")
        }
    }
}
