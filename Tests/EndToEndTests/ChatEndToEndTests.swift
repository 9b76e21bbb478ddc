import XCTest
import TestSupport

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

    func testAFailedTurnOnAPipeEndsTheChatWithItsExitCode() throws {
        let chat = try run(["chat"], stdin: "/image missing.png\nHello\nNot reached\n")
        XCTAssertEqual(chat.status, 66)
        XCTAssertTrue(chat.stderr.hasPrefix("vq: error: missing.png: "), chat.stderr)
        XCTAssertEqual(server.seen.count, 0)
        let unknown = try run(["chat"], stdin: "/imgae x.png\n//slash first\n")
        XCTAssertEqual(unknown.status, 0)
        XCTAssertEqual(unknown.stderr, "vq: warning: unknown chat command '/imgae' (commands: /image PATH, /exit; start with // to send a '/')\n")
        XCTAssertEqual((server.seen.last?.body["messages"] as? [[String: Any]])?.last.flatMap { message in
            (message["content"] as? [[String: Any]])?.first?["text"] as? String ?? message["content"] as? String
        }, "/slash first")
    }

    func testAChatOnATerminalPromptsStreamsAndLeavesOnCtrlD() throws {
        let config = try writeConfig(baseURL: server.baseURL)
        let driver = directory.appendingPathComponent("drive.py")
        try Self.ptyDriver.write(to: driver, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", driver.path, VQProcess.executable.path]
        process.currentDirectoryURL = directory
        process.environment = ["PATH": "/usr/bin:/bin", "HOME": directory.path, "VQ_CONFIG": config, "VQ_LOG_DB": logPath,
                               "STUB_KEY": EndToEndCase.key, "TERM": "dumb", "LANG": "C.UTF-8"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let transcript = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, transcript)
        XCTAssertTrue(transcript.contains("vq: chat with stub (stub-vision-1): /image PATH adds an image, /exit or Ctrl-D leaves"), transcript)
        XCTAssertTrue(transcript.contains("[1 image] > "), transcript)
        XCTAssertTrue(transcript.contains("Saw 1 image(s): png 10x7."), transcript)
        XCTAssertTrue(transcript.contains("Saw 1 image(s): png 10x7.\r\n> "), "the next prompt follows the answer: \(transcript)")
        XCTAssertTrue(transcript.hasSuffix("exit 0\n"), transcript)
        XCTAssertEqual(server.seen.count, 2)
    }

    /// Runs `vq chat cat.png` on a pseudo-terminal: waits for each prompt before typing, then Ctrl-D.
    private static let ptyDriver = #"""
    import os, pty, select, sys, time
    vq = sys.argv[1]
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(vq, [vq, "chat", "cat.png"])
    seen = b""
    def until(token, count=1, seconds=30):
        """Reads until `token` has appeared `count` times (the condition), or fails after `seconds`."""
        global seen
        deadline = time.time() + seconds
        while seen.count(token) < count:
            left = deadline - time.time()
            ready, _, _ = select.select([fd], [], [], max(left, 0))
            chunk = b""
            if ready:
                try:
                    chunk = os.read(fd, 4096)
                except OSError:
                    pass
            if not chunk:
                sys.stdout.write(seen.decode("utf-8", "replace") + "\nno %r after %d s\n" % (token, seconds))
                sys.exit(2)
            seen += chunk
    until(b"[1 image] > ")
    os.write(fd, b"What is this?\n")
    until(b"png 10x7.\r\n> ")
    os.write(fd, b"And again?\n")
    until(b"png 10x7.\r\n> ", count=2)
    os.write(fd, b"\x04")
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    _, status = os.waitpid(pid, 0)
    sys.stdout.write(seen.decode("utf-8", "replace"))
    sys.stdout.write("\nexit %d\n" % os.waitstatus_to_exitcode(status))
    """#
}
