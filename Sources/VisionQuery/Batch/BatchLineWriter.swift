import FoundationEssentials
import Glibc
import Interrupts
import Platform
import TextFormatting

/// The single writer of a batch's JSON Lines: each line goes out with one write(2) under a lock, so lines from
/// concurrent requests never interleave or tear. To the locked `--out FILE` (O_APPEND, fsync after each line, so a
/// crash loses at most the line being written) or stdout.
public final class BatchLineWriter: @unchecked Sendable {
    private let lock = Lock()
    private let console: RunSink
    private let file: LockedOutputFile?
    public var path: String? { file?.path }

    /// Appends to `file`; nil writes to stdout through the console.
    public init(console: RunSink, file: LockedOutputFile?) {
        self.console = console
        self.file = file
        guard let path = file?.path else { return }
        // Ctrl-C (or SIGTERM, SIGHUP) ends vq from the signal handler; it says how to continue.
        let clear = isatty(STDERR_FILENO) == 1 ? "\r\u{1B}[K" : ""
        InterruptCleanup.setNotice("\(clear)vq: stopped; every finished answer is in \(path): run the same command with --resume to continue\n")
    }

    deinit {
        if file != nil { InterruptCleanup.setNotice(nil) }
    }

    /// Writes one line; false when it could not be written (disk full, stdout closed).
    public func write(_ line: Data) -> Bool {
        guard let file else { return console.out(String(decoding: line, as: UTF8.self)) }
        return lock.withLock { FileDescriptorWriter.writeAll(file.descriptor, line) && fsync(file.descriptor) == 0 }
    }
}
