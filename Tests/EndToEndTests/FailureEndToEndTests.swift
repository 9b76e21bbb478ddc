import TestSupport
import XCTest

/// Every failure: a one-line message naming the cause, its exit code, and no request when the input is bad.
final class FailureEndToEndTests: EndToEndCase {
    func assertFails(
        _ result: VQProcess.Result, status: Int32, mentions: [String],
        file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertEqual(result.status, status, result.stderr, file: file, line: line)
        XCTAssertTrue(result.stderr.hasPrefix("vq: error: "), result.stderr, file: file, line: line)
        XCTAssertEqual(result.stderr.filter { $0 == "\n" }.count, 1, "one line: \(result.stderr)", file: file, line: line)
        for word in mentions { XCTAssertTrue(result.stderr.contains(word), "\(word) not in \(result.stderr)", file: file, line: line) }
        assertKeyNeverShown(result, file: file, line: line)
    }

    func testCorruptImageIsRejectedBeforeAnythingIsSent() throws {
        let server = try OpenAIStubServer()
        let good = try jpeg("good.jpg", width: 64, height: 64)
        try good.prefix(good.count / 2).write(to: directory.appendingPathComponent("cut.jpg"))
        try Data("just some text\n".utf8).write(to: directory.appendingPathComponent("notes.png"))
        assertFails(try vq(["Describe", "good.jpg", "cut.jpg"], server: server), status: 65, mentions: ["cut.jpg", "JPEG"])
        assertFails(try vq(["Describe", "notes.png"], server: server), status: 65, mentions: ["notes.png: not an image, PDF or video (plain text)"])
        XCTAssertEqual(server.requests.count, 0)
    }

    func testMissingFileAndDirectory() throws {
        let server = try OpenAIStubServer()
        assertFails(try vq(["Describe", "nope.jpg"], server: server), status: 66, mentions: ["nope.jpg", "no such file"])
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("dir"), withIntermediateDirectories: true)
        assertFails(try vq(["Describe", "dir"], server: server), status: 66, mentions: ["dir", "directory", "vq batch PROMPT dir"])
        XCTAssertEqual(server.requests.count, 0)
    }

    func testWrongKeyIsPermissionError() throws {
        let server = try OpenAIStubServer()
        let result = try vq(["Describe", "https://example.org/c.jpg"], server: server, key: "sk-wrong-key")
        assertFails(result, status: 77, mentions: ["HTTP 401", "Incorrect API key provided", "$STUB_KEY"])
        XCTAssertFalse(result.stderr.contains("sk-wrong-key"))
    }

    func testMissingKeyNamesTheVariableAndSendsNothing() throws {
        let server = try OpenAIStubServer()
        assertFails(try vq(["Describe", "https://example.org/c.jpg"], server: server, key: nil), status: 77, mentions: ["set STUB_KEY"])
        XCTAssertEqual(server.requests.count, 0)
    }

    func testUsageErrors() throws {
        assertFails(try vq(["--modle", "x", "Describe"], server: nil), status: 64, mentions: ["did you mean '--model'?"])
        assertFails(try vq([], server: nil), status: 64, mentions: ["missing PROMPT"])
        assertFails(try vq(["-p", "scalewey", "Describe"], server: nil), status: 64, mentions: ["Did you mean 'scaleway'?"])
    }

    func testTooManyImagesForTheProfile() throws {
        let server = try OpenAIStubServer()
        for name in ["1.jpg", "2.jpg", "3.jpg"] { try jpeg(name) }
        assertFails(
            try vq(["Describe", "1.jpg", "2.jpg", "3.jpg"], server: server, extraConfig: "max_images = 2"),
            status: 65, mentions: ["too many images", "at most 2"])
        XCTAssertEqual(server.requests.count, 0)
    }

    func testServiceFailuresMapToExitCodes() throws {
        let cases: [(OpenAIStubServer.Fault, Int32, [String])] = [
            (.status(500, body: #"{"error":{"message":"boom"}}"#, contentType: "application/json"), 69, ["HTTP 500", "boom"]),
            (.status(429, body: #"{"error":{"message":"Rate limit reached"}}"#, contentType: "application/json"), 75, ["HTTP 429", "Rate limit"]),
            (.status(400, body: #"{"error":{"message":"Too many images"}}"#, contentType: "application/json"), 65, ["HTTP 400", "Too many images"]),
            (.status(404, body: "Not Found", contentType: "text/plain"), 78, ["HTTP 404", "base_url"]),
            (.status(502, body: "<html><title>502 Bad Gateway</title></html>", contentType: "text/html"), 69, ["HTML error page: 502 Bad Gateway"]),
            (.errorInStream("Provider returned error"), 69, ["Provider returned error"]),
        ]
        for (fault, status, words) in cases {
            let server = try OpenAIStubServer(fault: fault)
            assertFails(try vq(["Describe", "https://example.org/c.jpg"], server: server), status: status, mentions: words)
        }
    }

    func testStreamCutOffKeepsTextAndSaysIncomplete() throws {
        let server = try OpenAIStubServer(fault: .cutMidStream)
        let result = try vq(["Describe", "https://example.org/c.jpg"], server: server)
        XCTAssertEqual(result.status, 69, result.stderr)
        XCTAssertEqual(result.stdout, "Saw", "text already printed stays")
        XCTAssertTrue(result.stderr.contains("cut off") || result.stderr.contains("before the answer was complete"), result.stderr)
    }

    func testConnectionRefused() throws {
        let port = try LoopbackHTTPServer.closedPort()
        let config = try writeConfig(baseURL: "http://127.0.0.1:\(port)/v1")
        let result = try VQProcess.run(
            ["Describe", "https://example.org/c.jpg"], environment: ["VQ_CONFIG": config, "STUB_KEY": Self.key], directory: directory)
        assertFails(result, status: 69, mentions: ["cannot reach stub"])
    }

    func testBadConfigNamesTheLine() throws {
        let path = directory.appendingPathComponent("bad.toml").path
        try "[profiles.x]\nbase_url = \"https://h\"\nmax_imgs = 3\n".write(toFile: path, atomically: true, encoding: .utf8)
        let check = try VQProcess.run(["config", "check", "--config", path], directory: directory)
        assertFails(check, status: 78, mentions: ["bad.toml:3:", "unknown key 'max_imgs'; did you mean 'max_images'?"])
        // The bad profile is reported when it is used; it does not block the others (x.jpg is then simply missing).
        let query = try VQProcess.run(["-p", "x", "Describe", "x.jpg"], environment: ["VQ_CONFIG": path], directory: directory)
        assertFails(query, status: 78, mentions: ["bad.toml:3:", "unknown key 'max_imgs'"])
        let other = try VQProcess.run(["Describe", "x.jpg"], environment: ["VQ_CONFIG": path], directory: directory)
        XCTAssertEqual(other.status, 66, other.stderr)
    }
}

/// `--json` keeps a partial answer, marked incomplete, when the stream is cut.
final class IncompleteJSONEndToEndTests: EndToEndCase {
    func testCutStreamInJSONIsMarkedIncomplete() throws {
        let server = try OpenAIStubServer(fault: .cutMidStream)
        let result = try vq(["--json", "Describe", "https://example.org/c.jpg"], server: server)
        XCTAssertEqual(result.status, 69, result.stderr)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        XCTAssertEqual(object["text"] as? String, "Saw")
        XCTAssertEqual(object["incomplete"] as? Bool, true)
        XCTAssertEqual(object["exit_code"] as? Int, 69)
        XCTAssertTrue((object["error"] as? String)?.contains("cut off") ?? false, "\(object)")
        XCTAssertTrue(result.stderr.hasPrefix("vq: error: "), result.stderr)
    }

    func testHTTPErrorInJSONIsAnObjectWithTheErrorAndExitCode() throws {
        let server = try OpenAIStubServer(fault: .status(500, body: #"{"error":{"message":"boom"}}"#, contentType: "application/json"))
        let result = try vq(["--json", "--retries", "0", "Describe", "https://example.org/c.jpg"], server: server)
        XCTAssertEqual(result.status, 69, result.stderr)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        XCTAssertEqual(object["exit_code"] as? Int, 69)
        XCTAssertTrue((object["error"] as? String)?.contains("HTTP 500") ?? false, "\(object)")
        XCTAssertEqual(object["incomplete"] as? Bool, false)
        XCTAssertEqual(object["text"] as? String, "")
    }

    func testErrorBeforeSendingPrintsNoJSON() throws {
        let result = try vq(["--json", "Describe", "missing.png"], server: try OpenAIStubServer())
        XCTAssertEqual(result.status, 66, result.stderr)
        XCTAssertEqual(result.stdout, "")
    }

    func testCompleteAnswerIsMarkedComplete() throws {
        let server = try OpenAIStubServer()
        let result = try vq(["--json", "Describe", "https://example.org/c.jpg"], server: server)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        XCTAssertEqual(object["incomplete"] as? Bool, false)
        XCTAssertTrue(object["error"] is NSNull)
        XCTAssertEqual(object["exit_code"] as? Int, 0)
    }
}

/// A stream that breaks before its first text is sent again (nothing was printed); its error says what happened.
final class CutBeforeTextEndToEndTests: EndToEndCase {
    /// A stream that sends the role chunk and then breaks off, for the first `cuts` requests; then a whole answer.
    func server(cuts: Int) throws -> LoopbackHTTPServer {
        let counter = RequestCounter()
        return try LoopbackHTTPServer { _, writer in
            writer.startStream(status: 200, headers: [("Content-Type", "text/event-stream")])
            writer.sendChunk(Data("data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"}}]}\n\n".utf8))
            if counter.next() < cuts { return writer.closeAbruptly() }
            writer.sendChunk(Data("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Only once.\"}}]}\n\n".utf8))
            writer.sendChunk(Data("data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n".utf8))
            writer.endStream()
        }
    }

    func testACutBeforeTheFirstTextIsRetried() throws {
        let server = try server(cuts: 2)
        let result = try vq(["-v", "Describe", "https://example.org/c.jpg"], baseURL: server.baseURL + "/v1")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "Only once.\n")
        XCTAssertEqual(server.requests.count, 3)
        XCTAssertTrue(result.stderr.contains("a stream cut before the answer began from stub, retrying"), result.stderr)
    }

    func testACutThatPersistsSaysSoNotCannotReach() throws {
        let server = try server(cuts: 100)
        let result = try vq(["--retries", "1", "Describe", "https://example.org/c.jpg"], baseURL: server.baseURL + "/v1")
        XCTAssertEqual(result.status, 69, result.stderr)
        XCTAssertEqual(result.stdout, "")
        XCTAssertEqual(server.requests.count, 2)
        XCTAssertTrue(result.stderr.contains("the connection to stub broke before the answer began"), result.stderr)
        XCTAssertFalse(result.stderr.contains("cannot reach"), result.stderr)
    }
}

/// When stdout's reader goes away (`vq … | head -c 5`), vq stops downloading the answer nobody will read.
final class StdoutClosedEndToEndTests: EndToEndCase {
    func testClosingStdoutAbortsTheTransfer() throws {
        let total = 200_000
        let sent = RequestCounter()
        let server = try LoopbackHTTPServer { _, writer in
            writer.startStream(status: 200, headers: [("Content-Type", "text/event-stream")])
            let event = Data("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a long answer \"}}]}\n\n".utf8)
            for _ in 0..<total {
                guard writer.sendChunk(event) else { return }
                _ = sent.next()
            }
            writer.sendChunk(Data("data: [DONE]\n\n".utf8))
            writer.endStream()
        }
        let config = try writeConfig(baseURL: server.baseURL + "/v1")
        let status = directory.appendingPathComponent("vq-status").path
        let script = "set -o pipefail; \"$VQ\" Describe https://example.org/c.jpg | head -c 5 > \"$OUT\"; echo \"${PIPESTATUS[0]}\" > \"$STATUS\""
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", script]
        process.currentDirectoryURL = directory
        process.environment = [
            "PATH": "/usr/bin:/bin", "HOME": directory.path, "VQ_CONFIG": config, "STUB_KEY": Self.key,
            "VQ": VQProcess.executable.path, "OUT": directory.appendingPathComponent("vq-out").path, "STATUS": status,
        ]
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(try String(contentsOfFile: status, encoding: .utf8), "141\n")
        XCTAssertEqual(try String(contentsOf: directory.appendingPathComponent("vq-out"), encoding: .utf8), "a lon")
        XCTAssertLessThan(sent.next(), total, "vq read the whole answer after its reader had gone")
    }
}
