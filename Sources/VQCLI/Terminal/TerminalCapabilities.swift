import FoundationEssentials
import Glibc

/// What vq may draw on the terminal, decided in this one place: a progress line only when stderr is a terminal whose
/// `TERM` is not `dumb`; colour only there too, and never when `NO_COLOR` is set (https://no-color.org: any value
/// that is not empty), unless `--color always` asks for it (`--color never` turns it off everywhere).
public struct TerminalCapabilities: Sendable, Equatable {
    public var stdoutIsTerminal: Bool
    public var stderrIsTerminal: Bool
    public var termIsDumb: Bool
    public var noColor: Bool
    public var colorMode: ColorMode

    public init(stdoutIsTerminal: Bool, stderrIsTerminal: Bool, termIsDumb: Bool, noColor: Bool, colorMode: ColorMode = .auto) {
        self.stdoutIsTerminal = stdoutIsTerminal
        self.stderrIsTerminal = stderrIsTerminal
        self.termIsDumb = termIsDumb
        self.noColor = noColor
        self.colorMode = colorMode
    }

    /// Reads the streams and the environment of this process.
    public init(
        environment: [String: String], colorMode: ColorMode = .auto, outFD: Int32 = STDOUT_FILENO, errFD: Int32 = STDERR_FILENO
    ) {
        self.init(
            stdoutIsTerminal: isatty(outFD) == 1, stderrIsTerminal: isatty(errFD) == 1,
            termIsDumb: environment["TERM"] == "dumb", noColor: !(environment["NO_COLOR"] ?? "").isEmpty, colorMode: colorMode)
    }

    /// A progress line (rewritten in place with `\r`) may be drawn on stderr.
    public var showsProgress: Bool { stderrIsTerminal && !termIsDumb }

    /// Colour may be written to stderr.
    public var colorsStderr: Bool { colors(terminal: stderrIsTerminal) }

    /// Colour may be written to stdout.
    public var colorsStdout: Bool { colors(terminal: stdoutIsTerminal) }

    /// Whether a line editor may run: stdin and stderr are terminals (checked by the caller) that are not `dumb`.
    public var editsLines: Bool { stderrIsTerminal && !termIsDumb }

    private func colors(terminal: Bool) -> Bool {
        switch colorMode {
        case .always: return true
        case .never: return false
        case .auto: return terminal && !termIsDumb && !noColor
        }
    }

    /// Control characters in what goes to stdout are made visible (unless `--raw`): only a terminal would run them;
    /// a pipe or a file gets the text untouched.
    public var escapesStdoutControls: Bool { stdoutIsTerminal }

    /// The same for stderr, where service error bodies are quoted.
    public var escapesStderrControls: Bool { stderrIsTerminal }
}
