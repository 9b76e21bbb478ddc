import Foundation
import Interrupts
import VisionQuery
import TextFormatting

/// The single writer of a batch's JSON Lines: each line goes out with one write(2) under a lock, so lines from
/// concurrent requests never interleave or tear. To `--out FILE` (O_APPEND, fsync after each line, so a crash loses
/// at most the line being written) or stdout.
final class BatchLineWriter: @unchecked Sendable {
    private let lock = NSLock()
    private let console: Console
    private let fd: Int32?
    let path: String?

    /// Opens `path` for appending, creating it; nil writes to stdout through the console.
    init(console: Console, path: String?) throws(VQError) {
        self.console = console
        self.path = path
        guard let path else { fd = nil; return }
        let opened = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard opened >= 0 else {
            throw VQError(.cannotCreate, "\(path): cannot open for appending: \(ErrnoText.current)")
        }
        fd = opened
        // Ctrl-C (or SIGTERM, SIGHUP) ends vq from the signal handler; it says how to continue.
        let clear = Console.isTerminal(STDERR_FILENO) ? "\r\u{1B}[K" : ""
        InterruptCleanup.setNotice("\(clear)vq: stopped; every finished answer is in \(path): run the same command with --resume to continue\n")
    }

    deinit {
        if fd != nil { InterruptCleanup.setNotice(nil) }
        if let fd { close(fd) }
    }

    /// Writes one line; false when it could not be written (disk full, stdout closed).
    func write(_ line: Data) -> Bool {
        guard let fd else { return console.out(String(decoding: line, as: UTF8.self)) }
        return lock.withLock { FileDescriptorWriter.writeAll(fd, line) && fsync(fd) == 0 }
    }
}
