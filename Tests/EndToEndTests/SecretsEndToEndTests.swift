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

    func testAKeysFileOthersCanReadIsWarnedAbout() throws {
        let server = try OpenAIStubServer()
        let xdg = directory.appendingPathComponent("xdg").path
        try FileManager.default.createDirectory(atPath: xdg + "/vq", withIntermediateDirectories: true)
        let keys = xdg + "/vq/keys.toml"
        try Data("stub = \"\(Self.key)\"\n".utf8).write(to: URL(fileURLWithPath: keys))
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: keys)
        let loose = try vq(["Describe", "https://example.org/c.jpg"], server: server, key: nil, env: ["XDG_CONFIG_HOME": xdg])
        XCTAssertEqual(loose.status, 0, loose.stderr)
        XCTAssertEqual(loose.stderr, "vq: warning: \(keys) holds API keys and is readable by others; run: chmod 600 \(keys)\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: keys)
        let tight = try vq(["Describe", "https://example.org/c.jpg"], server: server, key: nil, env: ["XDG_CONFIG_HOME": xdg])
        XCTAssertEqual(tight.stderr, "")
    }

    func testLineBreaksInKeysAndProfileHeadersAreRefusedNamingWhereTheyCameFrom() throws {
        let server = try OpenAIStubServer()
        let fromEnvironment = try vq(["Describe", "https://example.org/c.jpg"], server: server, key: "sk-a\r\nX-Injected: 1")
        XCTAssertEqual(fromEnvironment.status, 78, fromEnvironment.stderr)
        XCTAssertTrue(fromEnvironment.stderr.contains("$STUB_KEY contains a line break"), fromEnvironment.stderr)

        let xdg = directory.appendingPathComponent("xdg").path
        try FileManager.default.createDirectory(atPath: xdg + "/vq", withIntermediateDirectories: true)
        let keys = xdg + "/vq/keys.toml"
        try Data("# keys\nother = \"x\"\nstub = \"sk-a\\r\\nX-Injected: 1\"\n".utf8).write(to: URL(fileURLWithPath: keys))
        let fromKeysFile = try vq(["Describe", "https://example.org/c.jpg"], server: server, key: nil, env: ["XDG_CONFIG_HOME": xdg])
        XCTAssertEqual(fromKeysFile.status, 78, fromKeysFile.stderr)
        XCTAssertTrue(fromKeysFile.stderr.contains("\(keys):3: the key of profile 'stub' contains a line break"), fromKeysFile.stderr)

        let header = try vq(["Describe", "https://example.org/c.jpg"], server: server, extraConfig: #"headers = { "X-Team" = "a\r\nX-Injected: 1" }"#)
        XCTAssertEqual(header.status, 78, header.stderr)
        XCTAssertTrue(header.stderr.contains("config.toml:7: profile 'stub': the value of header 'X-Team' contains a line break"), header.stderr)
        let check = try vq(["config", "check"], server: server, extraConfig: #"key = "sk-a\nX-Injected: 1""#)
        XCTAssertEqual(check.status, 78, check.stderr)
        XCTAssertTrue(check.stderr.contains("config.toml:7: profile 'stub': key contains a line break"), check.stderr)
        XCTAssertEqual(server.requests.count, 0, "nothing is sent with an injected header")
    }
}
