import Foundation
import Transport
import VisionQuery

/// The one writer of stdout and stderr: the answer goes to stdout, everything a person should read to stderr.
public final class Console: @unchecked Sendable {
    private let lock = NSLock()
    private let outFD: Int32
    private let errFD: Int32
    public var quiet = false
    public var verbose = false
    /// `--raw`: text goes to a terminal as it came, control characters and all.
    public var raw = false
    /// Which streams are terminals that control characters must not reach (decided by `TerminalCapabilities`).
    private let escapesOut: Bool
    private let escapesErr: Bool
    /// Whether a progress line may be drawn on stderr: a terminal whose TERM is not `dumb` (set by the command).
    public var showsProgress = false
    private var progressShown = false
    /// Both streams are terminals (in practice the same one): what one writes moves the other's cursor.
    private let sharesTerminal: Bool
    /// The last text written to stdout did not end a line.
    private var outEndsMidLine = false
    /// Set when stdout's reader went away (`vq … | head -1`); the caller stops quietly.
    public private(set) var stdoutClosed = false
    /// Raised when stdout's reader goes away, so the transfer of an answer nobody reads stops at once.
    public let stdoutCancellation = TransferCancellation()

    public init(outFD: Int32 = STDOUT_FILENO, errFD: Int32 = STDERR_FILENO) {
        self.outFD = outFD
        self.errFD = errFD
        sharesTerminal = isatty(outFD) == 1 && isatty(errFD) == 1
        let terminal = TerminalCapabilities(environment: [:], outFD: outFD, errFD: errFD)
        escapesOut = terminal.escapesStdoutControls
        escapesErr = terminal.escapesStderrControls
    }

    /// `text` as it may be written to stdout (`toStdout`) or stderr: control characters visible on a terminal.
    private func shown(_ text: String, toStdout: Bool) -> String {
        (toStdout ? escapesOut : escapesErr) && !raw ? VisibleControlCharacters.visible(text) : text
    }

    /// Writes answer text to stdout immediately (no buffering, so streams show as they arrive).
    @discardableResult
    public func out(_ text: String) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if stdoutClosed { return false }
        // A progress line on the same terminal would run into this text: clear it first (it is redrawn later).
        if sharesTerminal { clearProgressLocked() }
        if !writeAll(outFD, shown(text, toStdout: true)) {
            stdoutClosed = true
            stdoutCancellation.cancel()
        }
        if !text.isEmpty { outEndsMidLine = !text.hasSuffix("\n") }
        return !stdoutClosed
    }

    /// `vq: error: …`
    public func error(_ message: String) { line("vq: error: \(message)") }

    /// `vq: warning: …`, unless --quiet.
    public func warning(_ message: String) { if !quiet { line("vq: warning: \(message)") } }

    /// A notice for the person at the terminal, unless --quiet.
    public func notice(_ message: String) { if !quiet { line("vq: \(message)") } }

    /// Text for the person at the terminal, as it is (no prefix, no line end): a question before reading an answer,
    /// or the chat's input prompt.
    public func prompt(_ text: String) {
        lock.lock()
        defer { lock.unlock() }
        _ = writeAll(errFD, text)
    }

    /// Only with --verbose.
    public func debug(_ message: String) { if verbose { line("vq: \(message)") } }

    /// Redraws the one-line progress indicator (`vq: masterpiecex: processing, 12 s`), only on a terminal.
    public func progress(_ message: String) {
        guard showsProgress && !quiet else { return }
        lock.lock()
        defer { lock.unlock() }
        progressShown = true
        _ = writeAll(errFD, "\r\u{1B}[Kvq: \(shown(message, toStdout: false))")
    }

    /// Removes the progress line, if one is shown.
    public func endProgress() {
        lock.lock()
        defer { lock.unlock() }
        clearProgressLocked()
    }

    private func clearProgressLocked() {
        if progressShown {
            _ = writeAll(errFD, "\r\u{1B}[K")
            progressShown = false
        }
    }

    private func line(_ text: String) {
        lock.lock()
        defer { lock.unlock() }
        clearProgressLocked()
        // After a partial answer on the same terminal (a stream cut off), the message starts on a line of its own.
        if sharesTerminal && outEndsMidLine {
            _ = writeAll(errFD, "\n")
            outEndsMidLine = false
        }
        let visible = shown(text, toStdout: false)
        _ = writeAll(errFD, visible.hasSuffix("\n") ? visible : visible + "\n")
    }

    private func writeAll(_ fd: Int32, _ text: String) -> Bool {
        FileDescriptorWriter.writeAll(fd, Data(text.utf8))
    }

    /// Whether a file descriptor is a terminal.
    public static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }
}
