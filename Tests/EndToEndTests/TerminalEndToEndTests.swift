import TestSupport
import XCTest

/// vq at a terminal, where stdout and stderr share one screen: what a person at a shell sees.
final class TerminalEndToEndTests: EndToEndCase {
    func onTerminal(_ arguments: [String], baseURL: String) throws -> VQProcess.Result {
        let config = try writeConfig(baseURL: baseURL)
        return try VQProcess.runOnTerminal(
            arguments, environment: ["VQ_CONFIG": config, "STUB_KEY": Self.key, "NO_COLOR": "1"], directory: directory)
    }

    func testErrorsAreColouredOnATerminalUnlessNoColorOrNever() throws {
        let config = try writeConfig(baseURL: "http://127.0.0.1:9/v1")
        let environment = ["VQ_CONFIG": config, "STUB_KEY": Self.key]
        let coloured = try VQProcess.runOnTerminal(["Describe", "missing.png"], environment: environment, directory: directory)
        XCTAssertTrue(coloured.stdout.hasPrefix("vq: \u{1B}[1m\u{1B}[31merror:\u{1B}[0m missing.png: "), coloured.stdout.debugDescription)
        for (extra, arguments) in [(["NO_COLOR": "1"], ["Describe", "missing.png"]), ([:], ["--color", "never", "Describe", "missing.png"])] {
            let plain = try VQProcess.runOnTerminal(arguments, environment: environment.merging(extra) { _, new in new }, directory: directory)
            XCTAssertTrue(plain.stdout.hasPrefix("vq: error: missing.png: "), plain.stdout.debugDescription)
        }
        let piped = try vq(["--color", "always", "Describe", "missing.png"], baseURL: "http://127.0.0.1:9/v1")
        XCTAssertTrue(piped.stderr.hasPrefix("vq: \u{1B}[1m\u{1B}[31merror:"), "--color always colours a pipe too")
        let auto = try vq(["Describe", "missing.png"], baseURL: "http://127.0.0.1:9/v1")
        XCTAssertTrue(auto.stderr.hasPrefix("vq: error: "), "no colour in a pipe")
    }

    func testForgottenPromptIsAnErrorAndNothingIsSent() throws {
        _ = try png("small.png")
        _ = try png("other.png")
        let server = try OpenAIStubServer()
        for arguments in [["small.png"], ["small.png", "other.png"]] {
            let result = try onTerminal(arguments, baseURL: server.baseURL)
            XCTAssertEqual(result.status, 64, result.stdout)
            XCTAssertTrue(result.stdout.hasPrefix("vq: error: missing PROMPT: every argument is an image"), result.stdout)
        }
        XCTAssertEqual(server.requests.count, 0, "a forgotten prompt must not be sent (and billed)")
    }

    func testErrorAfterAPartialAnswerStartsOnItsOwnLine() throws {
        _ = try png("a.png")
        let server = try OpenAIStubServer(fault: .cutMidStream)
        let result = try onTerminal(["--retries", "0", "Describe", "a.png"], baseURL: server.baseURL)
        XCTAssertEqual(result.status, 69, result.stdout)
        XCTAssertTrue(result.stdout.hasPrefix("Saw\nvq: error: "), result.stdout)
    }

    func testBatchProgressIsClearedBeforeEachResultLine() throws {
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("photos"), withIntermediateDirectories: true)
        for index in 0..<4 { _ = try png("photos/p\(index).png", width: 4 + index) }
        let server = try BatchStubServer()
        let result = try onTerminal(["batch", "--jobs", "1", "Describe", "photos"], baseURL: server.baseURL)
        XCTAssertEqual(result.status, 0, result.stdout)
        let resultLines = result.stdout.split(separator: "\n").filter { $0.contains("{\"image\"") }
        XCTAssertEqual(resultLines.count, 4, result.stdout)
        XCTAssertTrue(result.stdout.contains("vq: batch"), "a progress line was drawn: \(result.stdout)")
        for line in resultLines {
            // A progress line drawn before the JSON must have been erased (carriage return, erase line) right before it.
            let before = line[..<line.range(of: "{\"image\"")!.lowerBound]
            XCTAssertTrue(before.isEmpty || before.hasSuffix("\r\u{1B}[K"), "progress ran into a result: \(line.debugDescription)")
        }
    }

    func testThroughHeadTheProgressLineNeverJoinsTheResult() throws {
        try photos(3)
        let server = try BatchStubServer()
        defer { server.stop() }
        server.hold(after: 1)
        let terminal = try PseudoTerminal()
        terminal.processOutput()
        let config = try writeConfig(baseURL: server.baseURL)
        // stderr on the terminal, stdout a pipe whose reader (head) prints to the same terminal.
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        shell.arguments = ["-c", "\"$0\" batch --jobs 1 Describe photos | head -1", VQProcess.executable.path]
        shell.environment = ["PATH": "/usr/bin:/bin", "TERM": "xterm", "VQ_CONFIG": config, "STUB_KEY": Self.key, "HOME": directory.path]
        shell.currentDirectoryURL = directory
        shell.standardInput = terminal.terminal
        shell.standardOutput = terminal.terminal
        shell.standardError = terminal.terminal
        try shell.run()
        terminal.closeTerminalSide()
        var shown = Data()
        XCTAssertTrue(terminal.read(until: "}\r\n", shown: &shown), String(decoding: shown, as: UTF8.self))
        server.release()  // the next result meets a closed pipe: vq ends
        shown.append(Data(terminal.readAll().utf8))
        shell.waitUntilExit()
        let screen = TerminalScreen(columns: 400, output: String(decoding: shown, as: UTF8.self))
        XCTAssertEqual(screen.text.count, 1, "only head's line is left: \(screen.text)")
        XCTAssertTrue(screen.text.first?.hasPrefix("{\"image\"") == true, "\(screen.text)")
    }

    func testAt40ColumnsTheProgressLineFitsTheWidth() throws {
        try photos(4)
        let server = try BatchStubServer()
        defer { server.stop() }
        let config = try writeConfig(baseURL: server.baseURL)
        let result = try VQProcess.runOnTerminal(
            ["batch", "--jobs", "1", "--out", "alt.jsonl", "Describe", "photos"], environment: ["VQ_CONFIG": config, "STUB_KEY": Self.key],
            directory: directory, columns: 40)
        let shown = result.stdout
        XCTAssertEqual(result.status, 0, shown)
        let drawn = shown.components(separatedBy: "\r\u{1B}[K").compactMap { part -> String? in
            guard part.hasPrefix("vq: "), let end = part.firstIndex(of: "\r") else { return nil }
            return String(part[..<end])
        }
        XCTAssertFalse(drawn.isEmpty, "a progress line was drawn: \(shown.debugDescription)")
        for line in drawn { XCTAssertLessThanOrEqual(line.count, 39, "wider than the terminal: \(line)") }
        let screen = TerminalScreen(columns: 40, output: shown)
        XCTAssertFalse(screen.text.contains { $0.contains("done") && !$0.hasPrefix("vq: batch: 4 succeeded") }, "\(screen.text)")
    }

    func testProfilesFitEightyColumnsAndAPipeGetsEveryColumn() throws {
        let result = try VQProcess.runOnTerminal(["profiles"], environment: ["HOME": directory.path], directory: directory, columns: 80)
        let shown = result.stdout
        XCTAssertEqual(result.status, 0, shown)
        let lines = shown.split(separator: "\n")
        XCTAssertGreaterThan(lines.count, 5, shown)
        for line in lines { XCTAssertLessThanOrEqual(line.count, 79, "wider than the terminal: \(line)") }
        XCTAssertTrue(lines[0].contains("MODEL") && lines[0].contains("KEY") && !lines[0].contains("BASE URL"), shown)
        XCTAssertTrue(shown.contains("vq keys set"), "the way to add a missing key is named: \(shown)")

        let piped = try vq(["profiles"], baseURL: nil, env: ["HOME": directory.path])
        XCTAssertTrue(piped.stdout.hasPrefix("   NAME") || piped.stdout.split(separator: "\n")[0].contains("BASE URL"), piped.stdout)
        XCTAssertTrue(piped.stdout.contains("https://api.openai.com/v1"), "whole base URLs in a pipe")
        XCTAssertTrue(piped.stdout.contains("missing: set OPENAI_API_KEY or run: vq keys set openai"), piped.stdout)
    }

    func testEscapeSequencesFromTheModelAndTheServerAreShownNotRunOnATerminal() throws {
        let hostile = "Hi \u{1B}]0;pwned\u{07}\u{1B}]52;c;SGVsbG8=\u{07}\u{1B}[2J\u{9B}31m done"
        let escaped = String(decoding: try JSONSerialization.data(withJSONObject: [hostile]), as: UTF8.self).dropFirst().dropLast()
        let server = try LoopbackHTTPServer { request, writer in
            let failing = request.path.hasSuffix("/models")
            let body =
                failing
                ? #"{"error":{"message":\#(escaped)}}"#
                : #"{"choices":[{"index":0,"message":{"role":"assistant","content":\#(escaped)},"finish_reason":"stop"}]}"#
            writer.respond(status: failing ? 400 : 200, headers: [("Content-Type", "application/json")], body: Data(body.utf8))
        }
        let log = ["VQ_LOG_DB": directory.appendingPathComponent("log.db").path]
        let config = try writeConfig(baseURL: server.baseURL + "/v1")
        let environment = ["VQ_CONFIG": config, "STUB_KEY": Self.key].merging(log) { _, new in new }
        let visible = "Hi ^[]0;pwned^G^[]52;c;SGVsbG8=^G^[[2JM-^[31m done"

        let answer = try VQProcess.runOnTerminal(["--no-stream", "Describe", "https://example.org/c.jpg"], environment: environment, directory: directory)
        XCTAssertEqual(answer.status, 0, answer.stdout)
        XCTAssertTrue(answer.stdout.contains(visible), answer.stdout.debugDescription)
        XCTAssertFalse(answer.stdout.contains("\u{1B}]"), answer.stdout.debugDescription)

        let failure = try VQProcess.runOnTerminal(["models"], environment: environment, directory: directory)
        XCTAssertEqual(failure.status, 65, failure.stdout)
        XCTAssertTrue(failure.stdout.contains(visible), failure.stdout.debugDescription)

        let logs = try VQProcess.runOnTerminal(["logs"], environment: environment, directory: directory)
        XCTAssertTrue(logs.stdout.contains(visible), logs.stdout.debugDescription)
        XCTAssertFalse(logs.stdout.contains("\u{1B}]"), logs.stdout.debugDescription)

        let raw = try VQProcess.runOnTerminal(
            ["--raw", "--no-stream", "Describe", "https://example.org/c.jpg"], environment: environment, directory: directory)
        XCTAssertTrue(raw.stdout.contains(hostile), raw.stdout.debugDescription)

        let piped = try VQProcess.run(["--no-stream", "Describe", "https://example.org/c.jpg"], environment: environment, directory: directory)
        XCTAssertEqual(piped.stdout, hostile + "\n", "a pipe gets the answer untouched")
    }

    func testLogsHeadingsAreColouredOnATerminalWhileModelEscapesStayVisible() throws {
        let hostile = "Hi \u{1B}]0;pwned\u{07}\u{1B}[2J done"
        let escaped = String(decoding: try JSONSerialization.data(withJSONObject: [hostile]), as: UTF8.self).dropFirst().dropLast()
        let server = try LoopbackHTTPServer { _, writer in
            let body = #"{"choices":[{"index":0,"message":{"role":"assistant","content":\#(escaped)},"finish_reason":"stop"}]}"#
            writer.respond(status: 200, headers: [("Content-Type", "application/json")], body: Data(body.utf8))
        }
        let environment = [
            "VQ_CONFIG": try writeConfig(baseURL: server.baseURL + "/v1"), "STUB_KEY": Self.key,
            "VQ_LOG_DB": directory.appendingPathComponent("log.db").path,
        ]
        let asked = try VQProcess.run(["--no-stream", "Describe", "https://example.org/c.jpg"], environment: environment, directory: directory)
        XCTAssertEqual(asked.status, 0, asked.stderr)
        let heading = "\u{1B}[1m\u{1B}[36m#1  "
        let answerLabel = "\u{1B}[1mAnswer:\u{1B}[0m\n"

        let coloured = try VQProcess.runOnTerminal(["logs"], environment: environment, directory: directory)
        XCTAssertEqual(coloured.status, 0, coloured.stdout)
        XCTAssertTrue(coloured.stdout.hasPrefix(heading), coloured.stdout.debugDescription)
        XCTAssertTrue(coloured.stdout.contains(answerLabel + "Hi ^[]0;pwned^G^[[2J done\n"), coloured.stdout.debugDescription)
        XCTAssertFalse(coloured.stdout.contains("\u{1B}]"), "the model's escape sequence is shown, not run")

        for (extra, arguments) in [(["NO_COLOR": "1"], ["logs"]), (["TERM": "dumb"], ["logs"]), ([:], ["--color", "never", "logs"])] {
            let plain = try VQProcess.runOnTerminal(arguments, environment: environment.merging(extra) { _, new in new }, directory: directory)
            XCTAssertTrue(plain.stdout.hasPrefix("#1  "), "\(extra) \(arguments): \(plain.stdout.debugDescription)")
            XCTAssertFalse(plain.stdout.contains("\u{1B}"), "\(extra) \(arguments): \(plain.stdout.debugDescription)")
        }

        let piped = try VQProcess.run(["logs"], environment: environment, directory: directory)
        XCTAssertTrue(piped.stdout.hasPrefix("#1  "), piped.stdout.debugDescription)
        XCTAssertTrue(piped.stdout.contains("Answer:\n" + hostile + "\n"), "a pipe gets the log untouched and unstyled")
        let always = try VQProcess.run(["--color", "always", "logs"], environment: environment, directory: directory)
        XCTAssertTrue(always.stdout.hasPrefix(heading), always.stdout.debugDescription)
        XCTAssertTrue(always.stdout.contains(answerLabel + hostile + "\n"), "--color always styles a pipe; its text stays as it was")
    }
}
