import TestSupport
import XCTest

/// The conversation log through the binary: every query recorded, `-c`/`--conversation` sending the earlier turns
/// with the stored image bytes (also to another api), `vq logs` reading it back, `--no-log`/`log = false`, a broken
/// log costing no answer, and 16 processes logging at once.
final class HistoryEndToEndTests: EndToEndCase {
    private var server: OpenAIStubServer!
    private var catBytes: Data!

    override func setUpWithError() throws {
        try super.setUpWithError()
        server = try OpenAIStubServer()
        catBytes = try png("cat.png", width: 10, height: 7)
    }

    override func tearDownWithError() throws {
        server.stop()
        try super.tearDownWithError()
    }

    private var logPath: String { directory.appendingPathComponent("logs.db").path }

    /// vq against the OpenAI stub with the log in the scratch directory.
    private func run(_ arguments: [String], extraConfig: String = "", env: [String: String] = [:], stdin: Data? = nil) throws -> VQProcess.Result {
        var environment = ["VQ_LOG_DB": logPath]
        environment.merge(env) { _, new in new }
        return try vq(arguments, server: server, extraConfig: extraConfig, env: environment, stdin: stdin)
    }

    private func json(_ text: String) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], text)
    }

    private func jsonLines(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map { try json(String($0)) }
    }

    /// The data URLs of a chat-completions message list, in order.
    private func dataURLs(_ message: [String: Any]) -> [String] {
        (message["content"] as? [[String: Any]] ?? []).compactMap { ($0["image_url"] as? [String: Any])?["url"] as? String }
    }

    /// The text of a message whose content is a string or a list of parts.
    private func text(_ message: [String: Any]) -> String? {
        if let text = message["content"] as? String { return text }
        return (message["content"] as? [[String: Any]])?.compactMap { $0["text"] as? String }.joined()
    }

    func testContinuingSendsTheEarlierTurnWithTheSameImageBytesAfterTheFileIsGone() throws {
        let first = try run(["--json", "What is this?", "cat.png"])
        XCTAssertEqual(first.status, 0, first.stderr)
        let firstObject = try json(first.stdout)
        let id = try XCTUnwrap(firstObject["id"] as? Int, first.stdout)
        let conversation = try XCTUnwrap(firstObject["conversation_id"] as? Int, first.stdout)
        try FileManager.default.removeItem(at: directory.appendingPathComponent("cat.png"))

        let second = try run(["--json", "-c", "And what colour is it?"])
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertEqual(second.stderr, "")
        let secondObject = try json(second.stdout)
        XCTAssertEqual(secondObject["conversation_id"] as? Int, conversation)
        XCTAssertNotEqual(secondObject["id"] as? Int, id)
        XCTAssertEqual(secondObject["text"] as? String, "Saw 1 image(s): png 10x7.", "the stub decoded the earlier image")

        XCTAssertEqual(server.seen.count, 2)
        let sentFirst = try XCTUnwrap(server.seen[0].body["messages"] as? [[String: Any]])
        let sentSecond = try XCTUnwrap(server.seen[1].body["messages"] as? [[String: Any]])
        XCTAssertEqual(sentSecond.map { $0["role"] as? String }, ["user", "assistant", "user"])
        XCTAssertEqual(dataURLs(sentSecond[0]), dataURLs(sentFirst.last!), "the same prepared bytes as the first request")
        XCTAssertEqual(dataURLs(sentSecond[0]), ["data:image/png;base64,\(catBytes.base64EncodedString())"])
        XCTAssertEqual((sentSecond[0]["content"] as? [[String: Any]])?.first?["text"] as? String, "What is this?")
        XCTAssertEqual(sentSecond[1]["content"] as? String, "Saw 1 image(s): png 10x7.")
        XCTAssertEqual(text(sentSecond[2]), "And what colour is it?")

        let third = try run(["--conversation", String(conversation), "--json", "A third question"])
        XCTAssertEqual(third.status, 0, third.stderr)
        XCTAssertEqual(try json(third.stdout)["conversation_id"] as? Int, conversation)
        XCTAssertEqual((server.seen[2].body["messages"] as? [[String: Any]])?.count, 5)
    }

    func testAConversationGoesOnWithAnotherApiFromTheStoredBytes() throws {
        let gemini = try GeminiStubServer()
        let first = try run(
            ["What is this?", "cat.png"],
            extraConfig: """

                [profiles.gem]
                api = "gemini"
                base_url = "\(gemini.baseURL)"
                model = "gemini-test"
                key_env = "STUB_KEY"
                """)
        XCTAssertEqual(first.status, 0, first.stderr)
        let second = try run(
            ["-c", "-p", "gem", "--no-stream", "And its colours?"],
            extraConfig: """

                [profiles.gem]
                api = "gemini"
                base_url = "\(gemini.baseURL)"
                model = "gemini-test"
                key_env = "STUB_KEY"
                """)
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertEqual(second.stdout, "Saw 1 image(s): png 10x7. Turns: 3.\n")
        let body = try XCTUnwrap(try gemini.requests.last?.json() as? [String: Any])
        let contents = try XCTUnwrap(body["contents"] as? [[String: Any]])
        XCTAssertEqual(contents.map { $0["role"] as? String }, ["user", "model", "user"])
        let parts = contents[0]["parts"] as? [[String: Any]] ?? []
        let inline = parts.compactMap { ($0["inline_data"] ?? $0["inlineData"]) as? [String: Any] }
        XCTAssertEqual(inline.first?["data"] as? String, catBytes.base64EncodedString())
        XCTAssertEqual((contents[1]["parts"] as? [[String: Any]])?.first?["text"] as? String, "Saw 1 image(s): png 10x7.")
        XCTAssertTrue(gemini.requests.last?.path.contains("gemini-test") == true, "-p brings its own model, not the logged one")
    }

    func testContinuingWithNothingToContinueIsAUsageError() throws {
        let none = try run(["-c", "Follow up"])
        XCTAssertEqual(none.status, 64)
        XCTAssertEqual(none.stderr, "vq: error: no earlier conversation to continue (-c); ask a question first\n")
        XCTAssertEqual(try run(["Hello", "cat.png"]).status, 0)
        let unknown = try run(["--conversation", "42", "Follow up"])
        XCTAssertEqual(unknown.status, 64)
        XCTAssertEqual(unknown.stderr, "vq: error: no conversation 42 in the log (see 'vq logs')\n")
        XCTAssertEqual(try run(["--conversation", "x", "Follow up"]).status, 64)
        XCTAssertEqual(server.seen.count, 1, "nothing sent for the failed ones")
    }

    func testLogsListsSearchesFiltersAndShows() throws {
        XCTAssertEqual(try run(["-s", "Be brief", "--temperature", "0.3", "What colour is the car?", "cat.png"]).status, 0)
        XCTAssertEqual(try run(["-m", "other-model", "Describe the sky"]).status, 0)
        XCTAssertEqual(try run(["-c", "Count the birds"]).status, 0)
        XCTAssertEqual(try run(["Fourth"]).status, 0)

        let latest = try run(["logs", "--json"])
        XCTAssertEqual(latest.status, 0, latest.stderr)
        let rows = try jsonLines(latest.stdout)
        XCTAssertEqual(rows.map { $0["prompt"] as? String }, ["Describe the sky", "Count the birds", "Fourth"], "three by default, oldest first")
        XCTAssertEqual(rows[0]["conversation_id"] as? Int, rows[1]["conversation_id"] as? Int, "-c joined the conversation")
        XCTAssertEqual(rows[1]["model"] as? String, "other-model", "-c reuses the conversation's model")

        let all = try jsonLines(try run(["logs", "-n", "10", "--json"]).stdout)
        XCTAssertEqual(all.count, 4)
        let first = all[0]
        XCTAssertEqual(first["system"] as? String, "Be brief")
        XCTAssertEqual((first["options"] as? [String: Any])?["temperature"] as? Double, 0.3)
        XCTAssertEqual(first["answer"] as? String, "Saw 1 image(s): png 10x7.")
        XCTAssertEqual(first["profile"] as? String, "stub")
        XCTAssertEqual(first["api"] as? String, "openai")
        XCTAssertEqual((first["usage"] as? [String: Any])?["prompt_tokens"] as? Int, 11)
        let image = try XCTUnwrap((first["images"] as? [[String: Any]])?.first)
        XCTAssertEqual(image["source"] as? String, "cat.png")
        XCTAssertEqual(image["width"] as? Int, 10)
        XCTAssertEqual(image["bytes"] as? Int, catBytes.count)
        XCTAssertEqual((image["sha256"] as? String)?.count, 64)

        XCTAssertEqual(
            try jsonLines(try run(["logs", "--json", "--search", "car?"]).stdout).map { $0["prompt"] as? String },
            ["What colour is the car?"])
        XCTAssertEqual(try jsonLines(try run(["logs", "--json", "--search", "png"]).stdout).count, 1, "answers are searched too")
        XCTAssertEqual(try jsonLines(try run(["logs", "--json", "--model", "other-model"]).stdout).count, 2)
        let conversation = try XCTUnwrap(rows[0]["conversation_id"] as? Int)
        XCTAssertEqual(
            try jsonLines(try run(["logs", "--json", "--conversation", String(conversation)]).stdout).map { $0["prompt"] as? String },
            ["Describe the sky", "Count the birds"])

        let text = try run(["logs", "-n", "1"])
        XCTAssertEqual(text.status, 0)
        XCTAssertTrue(text.stdout.hasPrefix("#4  "), text.stdout)
        XCTAssertTrue(text.stdout.contains("Prompt: Fourth\nAnswer:\nSaw 0 image(s).\n"), text.stdout)

        let id = try XCTUnwrap(first["id"] as? Int)
        let shown = try run(["logs", "show", String(id)])
        XCTAssertEqual(shown.status, 0, shown.stderr)
        XCTAssertTrue(shown.stdout.contains("System: Be brief\n"), shown.stdout)
        XCTAssertTrue(shown.stdout.contains("Image: cat.png 10x7 "), shown.stdout)
        XCTAssertTrue(shown.stdout.contains("(png, sha256 \(image["sha256"] as! String))"), shown.stdout)
        XCTAssertTrue(shown.stdout.contains("Tokens: 11 in, 7 out\n"), shown.stdout)
        let missing = try run(["logs", "show", "99"])
        XCTAssertEqual(missing.status, 64)
        XCTAssertEqual(missing.stderr, "vq: error: no exchange 99 in the log (see 'vq logs')\n")

        XCTAssertEqual(try run(["logs", "path"]).stdout, logPath + "\n")
        let defaultPath = try VQProcess.run(["logs", "path"], environment: [:], directory: directory)
        XCTAssertEqual(defaultPath.stdout, directory.path + "/.local/share/vq/logs.db\n")
        XCTAssertEqual(try VQProcess.run(["logs", "path"], environment: ["XDG_DATA_HOME": "/x"], directory: directory).stdout, "/x/vq/logs.db\n")
        XCTAssertFalse(try run(["logs"]).stdout.contains(EndToEndCase.key))
        XCTAssertFalse(try String(contentsOfFile: logPath, encoding: .isoLatin1).contains(EndToEndCase.key), "no key in the database")
    }

    func testAnEmptyLogOrNoMatchIsSaidOnStderr() throws {
        let empty = try vq(["logs"], server: nil, env: ["VQ_LOG_DB": directory.appendingPathComponent("empty.db").path])
        XCTAssertEqual(empty.status, 0, empty.stderr)
        XCTAssertEqual(empty.stdout, "")
        XCTAssertTrue(empty.stderr.hasPrefix("vq: the log is empty ("), empty.stderr)
        let server = try OpenAIStubServer()
        defer { server.stop() }
        _ = try png("a.png")
        let env = ["VQ_LOG_DB": directory.appendingPathComponent("one.db").path]
        XCTAssertEqual(try vq(["Describe", "a.png"], server: server, env: env).status, 0)
        let none = try vq(["logs", "--json", "--search", "zebra"], server: nil, env: env)
        XCTAssertEqual(none.status, 0, none.stderr)
        XCTAssertEqual(none.stdout, "", "nothing for jq to read")
        XCTAssertEqual(none.stderr, "vq: no logged exchange matches\n")
    }

    func testNoLogAndLogFalseLeaveNoRow() throws {
        XCTAssertEqual(try run(["--no-log", "Hello", "cat.png"]).status, 0)
        XCTAssertEqual(try run(["logs", "--json"]).stdout, "")
        let config = try run(["Hello"], extraConfig: "", env: [:])
        XCTAssertEqual(config.status, 0)
        XCTAssertEqual(try jsonLines(try run(["logs", "--json"]).stdout).count, 1)

        let path = directory.appendingPathComponent("off.toml").path
        try "log = false\n\n[profiles.stub]\nbase_url = \"\(server.baseURL)\"\nmodel = \"m\"\nkey_env = \"STUB_KEY\"\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        let off = try VQProcess.run(
            ["-p", "stub", "--json", "Hello"], environment: ["VQ_CONFIG": path, "VQ_LOG_DB": logPath, "STUB_KEY": EndToEndCase.key],
            directory: directory)
        XCTAssertEqual(off.status, 0, off.stderr)
        XCTAssertTrue(try json(off.stdout)["id"] is NSNull)
        XCTAssertEqual(try jsonLines(try run(["logs", "--json"]).stdout).count, 1, "log = false wrote nothing")
    }

    func testABrokenLogCostsNoAnswerAndWarnsOnce() throws {
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: logPath))
        let corrupt = try run(["Hello", "cat.png"])
        XCTAssertEqual(corrupt.status, 0)
        XCTAssertEqual(corrupt.stdout, "Saw 1 image(s): png 10x7.\n")
        XCTAssertEqual(
            corrupt.stderr,
            "vq: warning: cannot write the log \(logPath): file is not a database; the answer is not logged (--no-log or 'log = false' turns logging off)\n")
        let listing = try run(["logs"])
        XCTAssertEqual(listing.status, 66)
        XCTAssertEqual(listing.stderr, "vq: error: \(logPath): cannot read the log: file is not a database\n")

        let unwritable = try run(["Hello"], env: ["VQ_LOG_DB": "/proc/vq-no-such/logs.db"])
        XCTAssertEqual(unwritable.status, 0)
        XCTAssertEqual(unwritable.stdout, "Saw 0 image(s).\n")
        XCTAssertEqual(unwritable.stderr.components(separatedBy: "\n").filter { !$0.isEmpty }.count, 1, unwritable.stderr)
        XCTAssertTrue(unwritable.stderr.hasPrefix("vq: warning: cannot write the log /proc/vq-no-such/logs.db: "), unwritable.stderr)
    }

    func testBatchItemsAreLoggedOnlyWithLog() throws {
        _ = try png("b.png", width: 5, height: 5)
        let quiet = try run(["batch", "Describe", "cat.png", "b.png"])
        XCTAssertEqual(quiet.status, 0, quiet.stderr)
        XCTAssertEqual(try run(["logs", "--json"]).stdout, "", "a batch is not logged by default")
        let logged = try run(["batch", "--log", "--jobs", "2", "Describe", "cat.png", "b.png"])
        XCTAssertEqual(logged.status, 0, logged.stderr)
        let rows = try jsonLines(try run(["logs", "--json"]).stdout)
        XCTAssertEqual(rows.count, 2)
        XCTAssertEqual(Set(rows.compactMap { ($0["images"] as? [[String: Any]])?.first?["source"] as? String }), ["cat.png", "b.png"])
        XCTAssertEqual(Set(rows.compactMap { $0["answer"] as? String }), ["Saw 1 image(s): png 10x7.", "Saw 1 image(s): png 5x5."])
    }

    func testSixteenProcessesStartedAtOnceAllLog() throws {
        let config = try writeConfig(baseURL: server.baseURL)
        let script = "seq 16 | xargs -P 16 -I{} \"$VQ\" 'Question {}' cat.png 2>>errors.txt >/dev/null; echo done"
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        shell.arguments = ["-c", script]
        shell.currentDirectoryURL = directory
        shell.environment = [
            "PATH": "/usr/bin:/bin", "HOME": directory.path, "VQ": VQProcess.executable.path, "VQ_CONFIG": config,
            "VQ_LOG_DB": logPath, "STUB_KEY": EndToEndCase.key,
        ]
        try shell.run()
        shell.waitUntilExit()
        XCTAssertEqual(shell.terminationStatus, 0)
        XCTAssertEqual(try String(contentsOf: directory.appendingPathComponent("errors.txt"), encoding: .utf8), "", "no process printed anything")
        let rows = try jsonLines(try run(["logs", "-n", "100", "--json"]).stdout)
        XCTAssertEqual(rows.count, 16)
        XCTAssertEqual(Set(rows.compactMap { $0["prompt"] as? String }), Set((1...16).map { "Question \($0)" }))
        XCTAssertEqual(Set(rows.compactMap { $0["conversation_id"] as? Int }).count, 16, "each its own conversation")
    }
}
