import FoundationEssentials
import Glibc
import Interrupts
import Platform
import TextFormatting

/// Writes whole files so that a reader (or a crash) sees the old content or the new, never a mix: the one place vq
/// writes a temporary file beside the target, syncs it and moves it into place. Used for returned images, sidecars
/// and the `--out` file of a resumed batch.
public enum AtomicFile {
    /// Replaces `path` (or creates it): temporary file, fsync, rename over `path`. `noun` names the file in errors;
    /// `mode` (before the umask) is 0600 for files only the owner may read, such as the keys file.
    public static func replace(_ path: String, with data: Data, noun: String = "", mode: mode_t = 0o666) throws(VQError) {
        let (temporary, cleanup) = try writeTemporary(data, besides: path, noun: noun, mode: mode)
        defer { cleanup.release() }
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw VQError(.cannotCreate, "\(path): cannot replace\(noun): \(ErrnoText.reason(code))")
        }
        syncDirectory(parent(of: path))
    }

    /// Writes `data` to `path` only if no file of that name exists: the synced temporary file is hard-linked to the
    /// final name, which fails with EEXIST instead of replacing anything, even a file created a moment ago by someone
    /// else. Where hard links are unsupported, falls back to `open(O_CREAT|O_EXCL)` on the final name.
    /// Returns false (nothing written) when the name is taken.
    public static func create(_ path: String, with data: Data, noun: String = "") throws(VQError) -> Bool {
        let folder = parent(of: path)
        let (temporary, cleanup) = try writeTemporary(data, besides: path, noun: noun)
        defer { cleanup.release() }
        if link(temporary, path) == 0 {
            unlink(temporary)
            syncDirectory(folder)
            return true
        }
        let code = errno
        unlink(temporary)
        if code == EEXIST { return false }
        guard [EPERM, EOPNOTSUPP, ENOTSUP, EXDEV, EMLINK, ENOSYS].contains(code) else { throw cannotWrite(path, noun, code) }
        // No hard links here (FAT, some network file systems): exclusive create of the final name.
        let direct = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        if direct < 0 {
            if errno == EEXIST { return false }
            throw cannotWrite(path, noun, errno)
        }
        let partial = InterruptCleanup.track(path)  // a half-written final file must not survive an interrupt
        defer { partial.release() }
        if let failure = writeAndSync(direct, data) {
            unlink(path)
            throw cannotWrite(path, noun, failure)
        }
        syncDirectory(folder)
        return true
    }

    /// A synced temporary file next to `path` (created with the user's umask), registered for removal on an interrupt
    /// from the moment it exists; the caller releases the registration once the file is moved or removed.
    private static func writeTemporary(
        _ data: Data, besides path: String, noun: String,
        mode: mode_t = 0o666
    ) throws(VQError) -> (String, InterruptCleanup.Token) {
        let (temporary, fd, cleanup) = try openTemporary(with: data, besides: path, noun: noun, mode: mode)
        guard close(fd) == 0 else {
            let code = errno
            unlink(temporary)
            cleanup.release()
            throw cannotWrite(path, noun, code)
        }
        return (temporary, cleanup)
    }

    /// Like `writeTemporary`, but the file stays open (the resumed `--out` file is locked before it is renamed).
    static func openTemporary(
        with data: Data, besides path: String, noun: String = "",
        mode: mode_t = 0o666
    ) throws(VQError) -> (path: String, descriptor: Int32, cleanup: InterruptCleanup.Token) {
        let folder = parent(of: path)
        var temporary = ""
        var fd: Int32 = -1
        for _ in 0..<100 {
            temporary = PathText.appending(folder, ".vq-\(String(UInt64.random(in: .min ... .max), radix: 36)).tmp")
            fd = open(temporary, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, mode)  // read too: the locked --out file is read back
            if fd >= 0 || errno != EEXIST { break }
        }
        guard fd >= 0 else { throw VQError(.cannotCreate, "\(path): cannot create a temporary file in \(folder): \(ErrnoText.current)") }
        let cleanup = InterruptCleanup.track(temporary)
        guard FileDescriptorWriter.writeAll(fd, data) && fsync(fd) == 0 else {
            let code = errno
            close(fd)
            unlink(temporary)
            cleanup.release()
            throw cannotWrite(path, noun, code)
        }
        return (temporary, fd, cleanup)
    }

    static func parent(of path: String) -> String {
        let parent = PathText.deletingLastComponent(path)
        return parent.isEmpty ? "." : parent
    }

    /// Writes everything, fsyncs and closes; returns errno on failure.
    private static func writeAndSync(_ fd: Int32, _ data: Data) -> Int32? {
        let failure: Int32? = FileDescriptorWriter.writeAll(fd, data) && fsync(fd) == 0 ? nil : errno
        let closed = close(fd)
        return failure ?? (closed == 0 ? nil : errno)
    }

    private static func syncDirectory(_ folder: String) {
        let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
    }

    private static func cannotWrite(_ path: String, _ noun: String, _ code: Int32) -> VQError {
        VQError(.cannotCreate, "\(path): cannot write\(noun): \(ErrnoText.reason(code))")
    }
}
