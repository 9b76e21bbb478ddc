import TestSupport
import XCTest

/// `vq chat` at a real terminal (a pseudo-terminal): libedit's history across sessions, bracketed paste, Tab
/// completion, multi-line and `$EDITOR` prompts, and images checked when they are attached.
final class ChatLineEditorEndToEndTests: EndToEndCase {
    private var server: OpenAIStubServer!
    /// A terminal that edits lines; no colour, so the prompt is plain `> `. Chats there end with /exit: a Ctrl-D typed
    /// before the line editor has started reaches it as a NUL (the terminal driver's canonical mode turns it into an
    /// end-of-file marker); from then on it is kept (ChatTerminalStateEndToEndTests).
    private let editing = ["TERM": "xterm", "NO_COLOR": "1"]

    override func setUpWithError() throws {
        try super.setUpWithError()
        server = try OpenAIStubServer()
        _ = try png("cat.png", width: 10, height: 7)
        _ = try png("b.png", width: 5, height: 5)
        try Data("just words\n".utf8).write(to: directory.appendingPathComponent("notes.txt"))
    }

    override func tearDownWithError() throws {
        server.stop()
        try super.tearDownWithError()
    }

    /// The text of the last user message of request `index`.
    private func prompt(of index: Int) -> String? {
        guard index < server.seen.count, let messages = server.seen[index].body["messages"] as? [[String: Any]], let last = messages.last else {
            return nil
        }
        if let text = last["content"] as? String { return text }
        return (last["content"] as? [[String: Any]])?.compactMap { $0["text"] as? String }.joined()
    }

    func testHistoryIsRecalledInTheNextSession() throws {
        let first = try driveTerminal(
            ["chat"], baseURL: server.baseURL, env: editing,
            steps: [("> ", "What is in the box?\r"), ("image(s)", ""), ("> ", "/exit\r")])
        XCTAssertTrue(first.hasSuffix("exit 0\n"), first)
        let history = directory.appendingPathComponent("state/vq/chat_history").path
        let mode = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: history)[.posixPermissions] as? Int)
        XCTAssertEqual(mode & 0o777, 0o600, "the history is private")

        let second = try driveTerminal(
            ["chat"], baseURL: server.baseURL, env: editing,
            steps: [("> ", "\u{1B}[A"), ("What is in the box?", "\r"), ("image(s)", ""), ("> ", "/exit\r")])
        XCTAssertTrue(second.hasSuffix("exit 0\n"), second)
        XCTAssertEqual(server.seen.count, 2)
        XCTAssertEqual(prompt(of: 1), "What is in the box?", "Up recalled the first session's prompt")
    }

    func testAPastedThreeLinePromptIsSentOnce() throws {
        let transcript = try driveTerminal(
            ["chat"], baseURL: server.baseURL, env: editing,
            steps: [("> ", "\u{1B}[200~line one\rline two\rline three\u{1B}[201~"), ("image(s)", ""), ("> ", "/exit\r")])
        XCTAssertTrue(transcript.hasSuffix("exit 0\n"), transcript)
        XCTAssertEqual(server.seen.count, 1, "one turn, not three: \(transcript)")
        XCTAssertEqual(prompt(of: 0), "line one\nline two\nline three")
        XCTAssertTrue(transcript.contains("... line two\r\n... line three\r\n"), "the whole paste is shown: \(transcript)")
    }

    func testTabCompletesChatCommandsAndImagePaths() throws {
        let transcript = try driveTerminal(
            ["chat"], baseURL: server.baseURL, env: editing,
            steps: [
                ("> ", "/ima\t"), ("ge ", "ca\t"), ("t.png", "\r"), ("for the next turn", ""),
                ("[1 image] > ", "Describe\r"), ("image(s)", ""), ("> ", "/exit\r"),
            ])
        XCTAssertTrue(transcript.hasSuffix("exit 0\n"), transcript)
        XCTAssertTrue(transcript.contains("vq: attached cat.png 10x7"), transcript)
        XCTAssertEqual(server.seen.map(\.images.count), [1])
        XCTAssertEqual(prompt(of: 0), "Describe")
    }

    func testABadImageIsRefusedWhenAttachedAndEarlierImagesStay() throws {
        let transcript = try driveTerminal(
            ["chat", "cat.png"], baseURL: server.baseURL,
            steps: [
                ("[1 image] > ", "/image missing.png\n"), ("[1 image] > ", "/image notes.txt\n"), ("[1 image] > ", "/image .\n"),
                ("[1 image] > ", "/image b.png\n"), ("[2 images] > ", "/image\n"), ("[2 images] > ", "Both?\n"), ("image(s)", ""),
                ("> ", "/exit\r"),
            ])
        XCTAssertTrue(transcript.hasSuffix("exit 0\n"), transcript)
        XCTAssertTrue(transcript.contains("\r\nvq: error: missing.png: no such file\r\n"), transcript)
        XCTAssertTrue(transcript.contains("\r\nvq: error: notes.txt: not an image"), transcript)
        XCTAssertTrue(transcript.contains("\r\nvq: error: .: is a directory"), transcript)
        XCTAssertTrue(transcript.contains("vq: attached to the next turn: cat.png 10x7"), transcript)
        XCTAssertEqual(server.seen.map(\.images.count), [2], "both good images went with the turn")
    }

    func testCommandLineImagesAreCheckedBeforeTheChatStarts() throws {
        let missing = try vq(["chat", "missing.png"], server: server, stdin: Data("Hello\n".utf8))
        XCTAssertEqual(missing.status, 66)
        XCTAssertEqual(missing.stderr, "vq: error: missing.png: no such file\n")
        let text = try vq(["chat", "cat.png", "notes.txt"], server: server, stdin: Data("Hello\n".utf8))
        XCTAssertEqual(text.status, 65)
        XCTAssertTrue(text.stderr.hasPrefix("vq: error: notes.txt: not an image"), text.stderr)
        XCTAssertEqual(server.seen.count, 0, "nothing sent")
    }

    func testMultiLineAndEditorPrompts() throws {
        let editor = directory.appendingPathComponent("editor.sh")
        try "#!/bin/sh\nprintf 'Written in the editor\\n\\n' > \"$1\"\n".write(to: editor, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: editor.path)
        let transcript = try driveTerminal(
            ["chat"], baseURL: server.baseURL, env: editing.merging(["EDITOR": editor.path]) { _, new in new },
            steps: [
                ("> ", "\"\"\"First line\r"), ("... ", "second line\r"), ("... ", "\"\"\"\r"), ("image(s)", ""),
                ("> ", "/multi\r"), ("... ", "dropped\r"), ("... ", "\u{03}"), ("multi-line prompt dropped", ""),
                ("> ", "/edit\r"), ("image(s)", ""), ("> ", "/help\r"), ("Tab completes", ""), ("> ", "/exit\r"),
            ])
        XCTAssertTrue(transcript.hasSuffix("exit 0\n"), transcript)
        XCTAssertEqual(server.seen.count, 2, transcript)
        XCTAssertEqual(prompt(of: 0), "First line\nsecond line")
        XCTAssertEqual(prompt(of: 1), "Written in the editor")
    }
}
