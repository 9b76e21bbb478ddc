import Foundation
import Interrupts
import TextFormatting

/// Writes whole files so that a reader (or a crash) sees the old content or the new, never a mix.
public enum AtomicFile {
    /// Temporary file in the same directory, fsync, rename over `path`.
    public static func replace(_ path: String, with data: Data) throws(VQError) {
        let temporary = try write(data, besides: path)
        let cleanup = InterruptCleanup.track(temporary)   // removed if a signal ends vq before the rename
        defer { cleanup.release() }
        guard rename(temporary, path) == 0 else {
            let reason = ErrnoText.current
            unlink(temporary)
            throw VQError(.cannotCreate, "\(path): cannot replace: \(reason)")
        }
    }

    /// Like `replace`, but never over an existing file: returns false (nothing written) when `path` exists.
    public static func create(_ path: String, with data: Data) throws(VQError) -> Bool {
        let temporary = try write(data, besides: path)
        let cleanup = InterruptCleanup.track(temporary)
        defer { unlink(temporary); cleanup.release() }
        if link(temporary, path) == 0 { return true }
        if errno == EEXIST { return false }
        throw VQError(.cannotCreate, "\(path): cannot create: \(ErrnoText.current)")
    }

    /// A synced temporary file next to `path`; returns its path.
    private static func write(_ data: Data, besides path: String) throws(VQError) -> String {
        let directory = (path as NSString).deletingLastPathComponent
        var template = Array(((directory.isEmpty ? "." : directory) + "/.vq-tmp-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw VQError(.cannotCreate, "\(path): cannot create a temporary file: \(ErrnoText.current)") }
        let temporary = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let ok = FileDescriptorWriter.writeAll(fd, data) && fsync(fd) == 0
        close(fd)
        guard ok else {
            unlink(temporary)
            throw VQError(.cannotCreate, "\(path): cannot write: \(ErrnoText.current)")
        }
        return temporary
    }
}
