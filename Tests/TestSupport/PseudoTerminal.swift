internal import CTestSupport
import Foundation

/// A pseudo-terminal pair, so a test can give a program a real terminal as stdin, stdout and stderr and read what
/// it shows. The controlling side is read until every holder of the terminal side has closed it.
public final class PseudoTerminal {
    /// The controlling side: reads what was written to the terminal.
    public let controller: FileHandle
    /// The terminal side: hand it to the program (and close the test's copy with `closeTerminalSide`).
    public let terminal: FileHandle

    public init() throws {
        var fd: Int32 = -1
        var slave: Int32 = -1
        guard vq_test_open_pty(&fd, &slave) == 0 else { throw NSError(domain: NSPOSIXErrorDomain, code: Int(errno)) }
        controller = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        terminal = FileHandle(fileDescriptor: slave, closeOnDealloc: false)
        // No echo of what the test types, and "\n" stays "\n" on output, so assertions see the bytes written.
        var settings = termios()
        tcgetattr(slave, &settings)
        settings.c_lflag &= ~tcflag_t(ECHO)
        settings.c_oflag &= ~tcflag_t(OPOST)
        tcsetattr(slave, TCSANOW, &settings)
    }

    /// Closes the test's copy of the terminal side; do it after the program has started.
    public func closeTerminalSide() { try? terminal.close() }

    /// Sets the window size programs on the terminal see (TIOCGWINSZ).
    public func setColumns(_ columns: Int, rows: Int = 24) {
        var size = winsize(ws_row: UInt16(rows), ws_col: UInt16(columns), ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(terminal.fileDescriptor, UInt(TIOCSWINSZ), &size)
    }

    /// Turns output processing back on ("\n" shown as "\r\n"), as on a terminal a person uses.
    public func processOutput() {
        var settings = termios()
        tcgetattr(terminal.fileDescriptor, &settings)
        settings.c_oflag |= tcflag_t(OPOST | ONLCR)
        tcsetattr(terminal.fileDescriptor, TCSANOW, &settings)
    }

    /// What was written to the terminal up to and including the first `text` (nil when the terminal closed or
    /// `seconds` passed first); `shown` gathers everything read.
    public func read(until text: String, seconds: Double = 30, shown: inout Data) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !String(decoding: shown, as: UTF8.self).contains(text) {
            let left = Int32(max(0, deadline.timeIntervalSinceNow) * 1000)
            var descriptor = pollfd(fd: controller.fileDescriptor, events: Int16(POLLIN), revents: 0)
            guard left > 0, poll(&descriptor, 1, left) > 0 else { return false }
            let count = buffer.withUnsafeMutableBytes { Glibc.read(controller.fileDescriptor, $0.baseAddress, 4096) }
            if count <= 0 { return false }
            shown.append(contentsOf: buffer[0..<count])
        }
        return true
    }

    /// Everything written to the terminal until it was closed by all (Linux reports EIO at the end).
    public func readAll() -> String {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(controller.fileDescriptor, $0.baseAddress, 4096) }
            if count > 0 {
                data.append(contentsOf: buffer[0..<count])
                continue
            }
            if count < 0 && errno == EINTR { continue }
            break
        }
        return String(decoding: data, as: UTF8.self)
    }
}
