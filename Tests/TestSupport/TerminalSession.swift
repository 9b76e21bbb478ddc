import Foundation

/// vq running on a pseudo-terminal that the test keeps open on both sides: it types, waits for text, watches the
/// terminal's settings (termios) and signals the process, as a person at a terminal would.
public final class TerminalSession {
    public let terminal: PseudoTerminal
    public let process: Process
    /// Everything the terminal showed so far.
    public private(set) var shown = Data()
    private let exited = DispatchSemaphore(value: 0)

    /// Starts `vq ARGS` with the terminal as stdin, stdout and stderr (TERM=xterm unless `environment` says otherwise).
    public init(_ arguments: [String], environment: [String: String], directory: URL) throws {
        terminal = try PseudoTerminal()
        var env = ["TERM": "xterm"]
        env.merge(environment) { _, new in new }
        process = VQProcess.makeProcess(arguments, environment: env, directory: directory)
        process.standardInput = terminal.terminal
        process.standardOutput = terminal.terminal
        process.standardError = terminal.terminal
        let exited = exited
        process.terminationHandler = { _ in exited.signal() }
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// The terminal's settings now (the test's copy of the terminal side shares them with vq's).
    public var settings: termios {
        var settings = termios()
        tcgetattr(terminal.terminal.fileDescriptor, &settings)
        return settings
    }

    /// Waits until the terminal has shown `text` after what earlier waits consumed; false after `seconds`.
    @discardableResult
    public func wait(for text: String, seconds: Double = 30) -> Bool {
        terminal.read(until: text, seconds: seconds, shown: &shown)
    }

    /// Reads what the terminal has shown and not yet been read (after vq exited: the rest of its output).
    public func readAvailable() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        var descriptor = pollfd(fd: terminal.controller.fileDescriptor, events: Int16(POLLIN), revents: 0)
        while poll(&descriptor, 1, 0) > 0 {
            let count = buffer.withUnsafeMutableBytes { read(terminal.controller.fileDescriptor, $0.baseAddress, 4096) }
            if count <= 0 { return }
            shown.append(contentsOf: buffer[0..<count])
        }
    }

    /// Forgets what was shown so far, so the next wait looks only at what comes after.
    public func consume() { shown = Data() }

    /// Types `text` at the terminal.
    public func type(_ text: String) { terminal.controller.write(Data(text.utf8)) }

    /// Waits until what was typed has reached the terminal's input queue (the line discipline has taken it, in
    /// canonical mode as a complete line or end-of-file): true, or false after `seconds`.
    public func waitForInputQueued(seconds: Double = 10) -> Bool {
        var descriptor = pollfd(fd: terminal.terminal.fileDescriptor, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, Int32(seconds * 1000)) > 0
    }

    /// Waits for vq to exit: true when it did within `seconds` (then `process` tells how), false when it still runs.
    public func waitForExit(seconds: Double = 30) -> Bool {
        exited.wait(timeout: .now() + seconds) == .success
    }
}
