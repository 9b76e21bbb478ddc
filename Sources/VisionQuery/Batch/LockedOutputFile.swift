import FoundationEssentials
import Glibc
import Interrupts
import TextFormatting

/// The `--out` file of a batch, opened for appending under an exclusive flock(2) held for the whole run, so a second
/// vq on the same file (another task given the same name, a retry started too early) stops at once instead of
/// appending beside it or rewriting it under its feet. The kernel drops the lock when vq ends, even by `kill -9`.
public final class LockedOutputFile: @unchecked Sendable {
    public let path: String
    /// Open for appending, locked; replaced by `replace(with:)`.
    public private(set) var descriptor: Int32

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// Opens (creating) and locks `path`; a file another process holds is a `.cannotCreate` error naming it and,
    /// when the kernel says, that process's pid.
    public static func lock(_ path: String) throws(VQError) -> LockedOutputFile {
        while true {
            let fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw VQError(.cannotCreate, "\(path): cannot open for appending: \(ErrnoText.current)") }
            guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
                let code = errno
                let holder = code == EWOULDBLOCK ? FileLockHolder.pid(of: fd) : nil
                close(fd)
                if code != EWOULDBLOCK { throw VQError(.cannotCreate, "\(path): cannot lock: \(ErrnoText.reason(code))") }
                let who = holder.map { "process \($0)" } ?? "another process"
                throw VQError(.cannotCreate, "\(path): locked by \(who), another vq writing to it; wait for it to end or give each run its own --out file")
            }
            // Locked; but if a resume rewrite renamed a new file over the path meanwhile, this is the old one: start again.
            if isStill(fd, at: path) { return LockedOutputFile(path: path, descriptor: fd) }
            close(fd)
        }
    }

    /// The whole file as it is now (or its first `limit` bytes).
    public func contents(limit: Int = .max) throws(VQError) -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var offset: off_t = 0
        while true {
            let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, offset) }
            if count < 0 {
                if errno == EINTR { continue }
                throw VQError(.inputMissing, "\(path): cannot read: \(ErrnoText.current)")
            }
            if count == 0 { return data }
            data.append(contentsOf: buffer[0..<count])
            offset += off_t(count)
            if data.count >= limit { return data.prefix(limit) }
        }
    }

    /// Replaces the contents atomically (a reader or a crash sees the old file or the new, never a mix) without ever
    /// letting go of the lock: the new file is locked before it is renamed over the old one.
    public func replace(with data: Data) throws(VQError) {
        let (temporary, fd, cleanup) = try AtomicFile.openTemporary(with: data, besides: path)
        defer { cleanup.release() }  // until then removed if a signal ends vq before the rename
        var old = stat()
        let kept = fstat(descriptor, &old) == 0 && fchmod(fd, old.st_mode & 0o7777) == 0
        guard kept, flock(fd, LOCK_EX | LOCK_NB) == 0, fcntl(fd, F_SETFL, O_APPEND) == 0, rename(temporary, path) == 0 else {
            let reason = ErrnoText.current
            close(fd)
            unlink(temporary)
            throw VQError(.cannotCreate, "\(path): cannot replace: \(reason)")
        }
        close(descriptor)
        descriptor = fd
    }

    /// Whether `path` still names the file open as `fd`.
    private static func isStill(_ fd: Int32, at path: String) -> Bool {
        var open = stat()
        var named = stat()
        return fstat(fd, &open) == 0 && stat(path, &named) == 0 && open.st_dev == named.st_dev && open.st_ino == named.st_ino
    }
}
