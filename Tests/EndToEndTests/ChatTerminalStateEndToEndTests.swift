import TestSupport
import XCTest

/// What `vq chat`'s line editor does to the terminal and the history file beyond one read: Ctrl-D typed while an
/// answer streams, a signal that ends vq while libedit has the terminal, and two chats sharing one history file.
final class ChatTerminalStateEndToEndTests: EndToEndCase {
    private var gate: DispatchSemaphore!
    private var server: OpenAIStubServer!

    override func setUpWithError() throws {
        try super.setUpWithError()
        gate = DispatchSemaphore(value: 0)
        server = try OpenAIStubServer(fault: .holdsMidStream(gate))
    }

    override func tearDownWithError() throws {
        gate.signal()
        server.stop()
        try super.tearDownWithError()
    }

    private var historyPath: String { directory.appendingPathComponent("state/vq/chat_history").path }

    /// `vq chat` on a terminal of its own, editing lines, against the stub that holds each answer after its first word.
    private func chat() throws -> TerminalSession {
        let environment = [
            "VQ_CONFIG": try writeConfig(baseURL: server.baseURL), "STUB_KEY": EndToEndCase.key, "NO_COLOR": "1",
            "XDG_STATE_HOME": directory.appendingPathComponent("state").path,
        ]
        return try TerminalSession(["chat"], environment: environment, directory: directory)
    }

    func testCtrlDTypedWhileAnAnswerStreamsEndsTheChatAfterTheAnswer() throws {
        let session = try chat()
        let before = session.settings
        XCTAssertTrue(session.wait(for: "> "), String(decoding: session.shown, as: UTF8.self))
        session.type("Describe\r")
        XCTAssertTrue(session.wait(for: "Saw"), "the answer has started")
        session.type("\u{04}")
        XCTAssertTrue(session.waitForInputQueued(), "the terminal took the Ctrl-D while the answer was held")
        gate.signal()
        guard session.waitForExit(seconds: 20) else {
            return XCTFail("the chat did not end after the answer: \(String(decoding: session.shown, as: UTF8.self))")
        }
        XCTAssertEqual(session.process.terminationReason, .exit)
        XCTAssertEqual(session.process.terminationStatus, 0)
        session.readAvailable()
        XCTAssertTrue(String(decoding: session.shown, as: UTF8.self).contains("Saw 0 image(s)."), "the answer was written whole")
        XCTAssertEqual(server.seen.count, 1)
        XCTAssertEqual(session.settings.c_lflag, before.c_lflag, "the terminal is as vq found it")
        XCTAssertEqual(session.settings.c_oflag, before.c_oflag)
    }

    func testTextTypedWhileAnAnswerStreamsIsNotEchoedIntoItAndIsKeptForTheNextPrompt() throws {
        let session = try chat()
        XCTAssertTrue(session.wait(for: "> "))
        session.type("First\r")
        XCTAssertTrue(session.wait(for: "Saw"))
        session.consume()
        session.type("Second\r")
        XCTAssertTrue(session.waitForInputQueued())
        gate.signal()
        XCTAssertTrue(session.wait(for: "image(s)."))
        let answer = String(decoding: session.shown, as: UTF8.self)
        XCTAssertFalse(answer.contains("Second"), "type-ahead is not echoed into the answer: \(answer)")
        XCTAssertTrue(session.wait(for: "> Second"), "the typed line shows at the next prompt")
        XCTAssertTrue(session.wait(for: "Saw"))
        gate.signal()
        XCTAssertTrue(session.wait(for: "> "))
        session.type("/exit\r")
        XCTAssertTrue(session.waitForExit())
        XCTAssertEqual(server.seen.count, 2, "the typed-ahead line was the second turn")
    }

    /// A signal at the prompt (libedit's raw mode) or while an answer streams (type-ahead mode) ends vq as that signal
    /// does, with the terminal as it was before vq started.
    private func assertSignalRestoresTheTerminal(_ signal: Int32, midAnswer: Bool) throws {
        let session = try chat()
        let before = session.settings
        XCTAssertTrue(session.wait(for: "> "))
        if midAnswer {
            session.type("Describe\r")
            XCTAssertTrue(session.wait(for: "Saw"))
        }
        XCTAssertEqual(session.settings.c_lflag & tcflag_t(ICANON), 0, "vq has the terminal out of canonical mode")
        kill(session.process.processIdentifier, signal)
        guard session.waitForExit() else { return XCTFail("vq outlived signal \(signal)") }
        XCTAssertEqual(session.process.terminationReason, .uncaughtSignal)
        XCTAssertEqual(session.process.terminationStatus, signal, "ended by the signal: the shell shows \(128 + signal)")
        let after = session.settings
        XCTAssertEqual(after.c_lflag, before.c_lflag, "local modes (ICANON, ECHO, ISIG) restored")
        XCTAssertEqual(after.c_iflag, before.c_iflag, "input modes restored")
        XCTAssertEqual(after.c_oflag, before.c_oflag, "output modes restored")
        XCTAssertEqual(after.c_cc.4, before.c_cc.4, "VEOF restored")  // VEOF is index 4 on Linux
    }

    func testSIGTERMAtThePromptRestoresTheTerminal() throws {
        try assertSignalRestoresTheTerminal(SIGTERM, midAnswer: false)
    }

    func testSIGHUPWhileAnAnswerStreamsRestoresTheTerminal() throws {
        try assertSignalRestoresTheTerminal(SIGHUP, midAnswer: true)
    }

    func testTwoChatsAtOnceBothKeepTheirHistory() throws {
        // An older history longer than the limit: the merged file keeps only the newest entries.
        let old = (1...1005).map { "old\($0)" }
        try FileManager.default.createDirectory(atPath: (historyPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try ("_HiStOrY_V2_\n" + old.joined(separator: "\n") + "\n").write(toFile: historyPath, atomically: true, encoding: .utf8)
        let first = try chat()
        let second = try chat()
        XCTAssertTrue(first.wait(for: "> "))
        XCTAssertTrue(second.wait(for: "> "), "both sessions have read the history before either adds to it")
        first.type("alpha\r")
        XCTAssertTrue(first.wait(for: "Saw"))
        gate.signal()
        XCTAssertTrue(first.wait(for: "> "))
        second.type("beta\r")
        XCTAssertTrue(second.wait(for: "Saw"))
        gate.signal()
        XCTAssertTrue(second.wait(for: "> "))
        first.type("/exit\r")
        second.type("/exit\r")
        XCTAssertTrue(first.waitForExit())
        XCTAssertTrue(second.waitForExit())

        let lines = try String(contentsOfFile: historyPath, encoding: .utf8).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "_HiStOrY_V2_")
        XCTAssertEqual(Array(lines.suffix(2)), ["alpha", "beta"], "neither session's save lost the other's line")
        XCTAssertEqual(lines.count - 1, 1000, "the file keeps the newest 1000 entries")
        XCTAssertEqual(lines[1], "old8")
        let mode = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: historyPath)[.posixPermissions] as? Int)
        XCTAssertEqual(mode & 0o777, 0o600)
    }
}
