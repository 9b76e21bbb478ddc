import FoundationEssentials
import Glibc

/// The width text is fitted to: $COLUMNS when set, else the terminal's width when the stream is one, else 80.
enum TerminalWidth {
    static let fallback = 80

    static func columns(environment: [String: String], fd: Int32 = STDOUT_FILENO) -> Int {
        if let text = environment["COLUMNS"], let columns = Int(text), columns > 0 { return columns }
        return ofDescriptor(fd)
    }

    /// The width of the terminal `fd` is (now: the window may have been resized), else 80.
    static func ofDescriptor(_ fd: Int32) -> Int {
        guard isatty(fd) == 1 else { return fallback }
        var size = winsize()
        guard ioctl(fd, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return fallback }
        return Int(size.ws_col)
    }
}
