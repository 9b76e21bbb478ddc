import TestSupport
import XCTest

/// `vq chat` through a pipe (one turn per line, scriptable) and through a pseudo-terminal (prompt, streamed answer,
/// Ctrl-D), logged as one conversation that `vq -c` continues.
final class ChatEndToEndTests: EndToEndCase {
    private var server: OpenAIStubServer!

    override func setUpWithError() throws {
        try super.setUpWithError()
        server = try OpenAIStubServer()
        _ = try png("cat.png", width: 10, height: 7)
        _ = try png("b.png", width: 5, height: 5)
    }

    override func tearDownWithError() throws {
        server.stop()
        try super.tearDownWithError()
    }

    private var logPath: String { directory.appendingPathComponent("logs.db").path }

    private func run(_ arguments: [String], stdin: String? = nil) throws -> VQProcess.Result {
        try vq(arguments, server: server, env: ["VQ_LOG_DB": logPath], stdin: stdin.map { Data($0.utf8) })
    }

    func testAPipedChatIsOneTurnPerLineAndOneLoggedConversation() throws {
        let chat = try run(["chat", "cat.png"], stdin: "What is this?\n\n/image b.png\nAnd this one?\n/exit\nnever sent\n")
        XCTAssertEqual(chat.status, 0, chat.stderr)
        XCTAssertEqual(chat.stdout, "Saw 1 image(s): png 10x7.\nSaw 2 image(s): png 10x7, png 5x5.\n")
        XCTAssertEqual(chat.stderr, "", "no prompt or banner on a pipe")
        XCTAssertEqual(server.seen.count, 2)
        let second = try XCTUnwrap(server.seen[1].body["messages"] as? [[String: Any]])
        XCTAssertEqual(second.map { $0["role"] as? String }, ["user", "assistant", "user"])
        XCTAssertEqual(second[1]["content"] as? String, "Saw 1 image(s): png 10x7.")

        let logs = try run(["logs", "--json"])
        let rows = logs.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        XCTAssertEqual(rows.map { $0["prompt"] as? String }, ["What is this?", "And this one?"])
        XCTAssertEqual(Set(rows.compactMap { $0["conversation_id"] as? Int }).count, 1, "the chat is one conversation")

        let followUp = try run(["-c", "And now?"])
        XCTAssertEqual(followUp.status, 0, followUp.stderr)
        XCTAssertEqual(followUp.stdout, "Saw 2 image(s): png 10x7, png 5x5.\n")
        XCTAssertEqual((server.seen[2].body["messages"] as? [[String: Any]])?.count, 5)
    }

    func testATemplateOpensTheChatAndSetsItsOptions() throws {
        let chat = try vq(
            ["chat", "-T", "alt", "cat.png"], server: server,
            extraConfig: "\n[templates.alt]\nprompt = \"Write alt text.\"\nsystem = \"Be brief\"\nmax_tokens = 33\n",
            env: ["VQ_LOG_DB": logPath], stdin: Data("For a blog.\nShorter.\n".utf8))
        XCTAssertEqual(chat.status, 0, chat.stderr)
        XCTAssertEqual(server.seen.count, 2)
        let first = try XCTUnwrap(server.seen[0].body["messages"] as? [[String: Any]])
        XCTAssertEqual(first.first?["content"] as? String, "Be brief", "the template's system prompt")
        let turn = (first.last?["content"] as? [[String: Any]])?.compactMap { $0["text"] as? String }
        XCTAssertEqual(turn, ["Write alt text.\n\nFor a blog."], "the template's prompt opens the first turn")
        XCTAssertEqual(server.seen[0].body["max_tokens"] as? Int, 33)
        let second = try XCTUnwrap(server.seen[1].body["messages"] as? [[String: Any]])
        XCTAssertEqual((second.last?["content"] as? [[String: Any]])?.compactMap { $0["text"] as? String }, ["Shorter."], "only the first turn")
    }

    func testAFailedTurnOnAPipeEndsTheChatWithItsExitCode() throws {
        let chat = try run(["chat"], stdin: "/image missing.png\nHello\nNot reached\n")
        XCTAssertEqual(chat.status, 66)
        XCTAssertTrue(chat.stderr.hasPrefix("vq: error: missing.png: "), chat.stderr)
        XCTAssertEqual(server.seen.count, 0)
        let unknown = try run(["chat"], stdin: "/imgae x.png\n//slash first\n")
        XCTAssertEqual(unknown.status, 0)
        XCTAssertEqual(
            unknown.stderr,
            "vq: warning: unknown chat command '/imgae' (commands: /image, /paste, /multi, /edit, /help, /exit; /help explains; start with // to send a '/')\n")
        XCTAssertEqual(
            (server.seen.last?.body["messages"] as? [[String: Any]])?.last.flatMap { message in
                (message["content"] as? [[String: Any]])?.first?["text"] as? String ?? message["content"] as? String
            }, "/slash first")
    }

    func testAChatOnATerminalPromptsStreamsAndLeavesOnCtrlD() throws {
        let transcript = try driveTerminal(
            ["chat", "cat.png"], baseURL: server.baseURL, env: ["VQ_LOG_DB": logPath],
            steps: [
                ("[1 image] > ", "What is this?\n"),
                ("png 10x7.\r\n\r\n> ", "And again?\n"),
                ("png 10x7.\r\n\r\n> ", "\u{04}"),
            ])
        XCTAssertTrue(transcript.hasSuffix("exit 0\n"), transcript)
        XCTAssertTrue(transcript.contains("vq: chat with stub (stub-vision-1): /help lists the commands, /exit or Ctrl-D leaves"), transcript)
        XCTAssertTrue(transcript.contains("Saw 1 image(s): png 10x7.\r\n\r\n> "), "a blank line, then the next prompt: \(transcript)")
        XCTAssertEqual(server.seen.count, 2)
    }

    func testCtrlCStopsTheAnswerAndTheChatGoesOn() throws {
        let story = try LoopbackHTTPServer { request, writer in
            let first = !(String(decoding: request.body, as: UTF8.self).contains("Once upon"))
            writer.startStream(status: 200, headers: [("Content-Type", "text/event-stream")])
            let text = first ? "Once upon" : "The end."
            writer.sendChunk(SSE.event(#"{"choices":[{"index":0,"delta":{"content":"\#(text)"}}]}"#))
            if first {
                writer.waitUntilClientGone(timeout: 30)  // an answer that never ends, until vq hangs up
                return
            }
            writer.sendChunk(SSE.event(#"{"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#))
            writer.sendChunk(SSE.done)
            writer.endStream()
        }
        defer { story.stop() }
        let transcript = try driveTerminal(
            ["chat"], baseURL: story.baseURL + "/v1", env: ["VQ_LOG_DB": logPath],
            steps: [
                ("> ", "\u{03}"),  // at the prompt: a fresh prompt, the chat stays
                ("> ", "Tell a story\n"),
                ("Once upon", "\u{03}"),  // during the answer: it stops
                ("vq: stopped (Ctrl-C)\r\n\r\n> ", "Go on\n"),
                ("The end.\r\n\r\n> ", "\u{04}"),
            ])
        XCTAssertTrue(transcript.hasSuffix("exit 0\n"), transcript)
        XCTAssertEqual(story.requests.count, 2, transcript)
        let second = try XCTUnwrap(try story.requests.last?.json() as? [String: Any])
        let messages = try XCTUnwrap(second["messages"] as? [[String: Any]])
        XCTAssertEqual(messages.map { $0["role"] as? String }, ["user", "assistant", "user"], "the stopped answer is part of the chat")
        XCTAssertEqual(messages[1]["content"] as? String, "Once upon")
        let logged = try run(["logs", "--json"]).stdout
        XCTAssertTrue(logged.contains(#""error":"stopped by Ctrl-C""#), logged)
    }
}
