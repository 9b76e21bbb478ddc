import FoundationEssentials
import Glibc
import Platform
import Transport
import VisionQuery

/// The one writer of stdout and stderr: the answer goes to stdout, everything a person should read to stderr.
public final class Console: @unchecked Sendable {
    private let lock = Lock()
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
    /// `--color`; with the streams and the environment, TerminalCapabilities decides what is coloured.
    public var colorMode = ColorMode.auto
    /// Whether errors and warnings on stderr are coloured (set from TerminalCapabilities once the options are read).
    public var colorsStderr = false
    /// Whether vq's own styling of what goes to stdout (`vq logs` headings) is coloured, decided the same way.
    public var colorsStdout = false
    private var progressShown = false
    /// When stdout last took bytes that may reach stderr's terminal through a pipe (`vq batch … | jq`).
    private var lastPipedOutput = Date.distantPast
    /// How long after such bytes no progress line is drawn, so the pipe's reader prints them on a clear line.
    private static let pipedOutputQuiet: TimeInterval = 0.3
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
    public func out(_ text: String) -> Bool { out(text, escaped: false) }

    /// `out`, for text whose control characters were already made visible where they must be.
    private func out(_ text: String, escaped: Bool) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if stdoutClosed { return false }
        // A progress line would run into this text wherever it ends up on the terminal (directly, or through `| jq` or
        // `| head`): clear it first (it is redrawn later).
        clearProgressLocked()
        if !sharesTerminal { lastPipedOutput = Date() }
        if !writeAll(outFD, escaped ? text : shown(text, toStdout: true)) {
            stdoutClosed = true
            stdoutCancellation.cancel()
        }
        if !text.isEmpty { outEndsMidLine = !Self.endsInLineFeed(text) }
        return !stdoutClosed
    }

    /// Writes styled text to stdout: each run's control characters made visible on a terminal (as `out` does), and
    /// vq's own styles coloured around them when stdout takes colour.
    @discardableResult
    public func out(_ text: StyledText) -> Bool {
        guard colorsStdout else { return out(text.plain) }
        let painted = text.runs.map { TerminalStyle.paint(shown($0.text, toStdout: true), style: $0.style) }
        return out(painted.joined(), escaped: true)
    }

    /// `vq: error: …`
    public func error(_ message: String) {
        line(message, prefix: "vq: " + TerminalStyle.paint("error:", TerminalStyle.bold + TerminalStyle.red, enabled: colorsStderr) + " ")
    }

    /// `vq: warning: …`, unless --quiet.
    public func warning(_ message: String) {
        if !quiet { line(message, prefix: "vq: " + TerminalStyle.paint("warning:", TerminalStyle.yellow, enabled: colorsStderr) + " ") }
    }

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

    /// Redraws the one-line progress indicator (`vq: masterpiecex: processing, 12 s`), only on a terminal: fitted to
    /// its width (`short` when the message is too long, then cut), so it never wraps, with the cursor left at the
    /// start of the line, so text another program prints there (the reader of a pipe) overwrites it instead of
    /// following it.
    public func progress(_ message: String) { draw(message, short: nil) }

    /// The same, with a shorter form for a narrow terminal.
    public func progress(_ message: String, short: String) { draw(message, short: short) }

    private func draw(_ message: String, short: String?) {
        guard showsProgress && !quiet else { return }
        lock.lock()
        defer { lock.unlock() }
        if Date().timeIntervalSince(lastPipedOutput) < Self.pipedOutputQuiet { return }
        let forms = [message] + (short.map { [$0] } ?? [])
        let line = ProgressLine.fit(forms.map { "vq: " + shown($0, toStdout: false) }, columns: TerminalWidth.ofDescriptor(errFD))
        progressShown = true
        _ = writeAll(errFD, "\r\u{1B}[K\(line)\r")
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

    /// Writes `prefix` (vq's own, coloured or not) and `text`, whose control characters are made visible on a terminal.
    private func line(_ text: String, prefix: String = "") {
        lock.lock()
        defer { lock.unlock() }
        clearProgressLocked()
        // After a partial answer on the same terminal (a stream cut off), the message starts on a line of its own.
        if sharesTerminal && outEndsMidLine {
            _ = writeAll(errFD, "\n")
            outEndsMidLine = false
        }
        let visible = prefix + shown(text, toStdout: false)
        _ = writeAll(errFD, visible.hasSuffix("\n") ? visible : visible + "\n")
    }

    /// `text.hasSuffix("\n")` from its last bytes: a line feed is a character of its own, except after a CR (CR LF is
    /// one character).
    static func endsInLineFeed(_ text: String) -> Bool {
        let bytes = text.utf8
        return bytes.last == 0x0A && bytes.dropLast().last != 0x0D
    }

    private func writeAll(_ fd: Int32, _ text: String) -> Bool {
        FileDescriptorWriter.writeAll(fd, text)
    }

    /// Whether a file descriptor is a terminal.
    public static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }
}
