import Foundation
import Interrupts

/// Writes whole files so that a reader (or a crash) sees the old content or the new, never a mix.
public enum AtomicFile {
    /// Temporary file in the same directory, fsync, rename over `path`.
    public static func replace(_ path: String, with data: Data) throws(VQError) {
        let temporary = try write(data, besides: path)
        let cleanup = track(temporary)   // removed if a signal ends vq before the rename
        defer { untrack(cleanup) }
        guard rename(temporary, path) == 0 else {
            let reason = Self.reason(errno)
            unlink(temporary)
            throw VQError(.cannotCreate, "\(path): cannot replace: \(reason)")
        }
    }

    /// Like `replace`, but never over an existing file: returns false (nothing written) when `path` exists.
    public static func create(_ path: String, with data: Data) throws(VQError) -> Bool {
        let temporary = try write(data, besides: path)
        let cleanup = track(temporary)
        defer { unlink(temporary); untrack(cleanup) }
        if link(temporary, path) == 0 { return true }
        if errno == EEXIST { return false }
        throw VQError(.cannotCreate, "\(path): cannot create: \(Self.reason(errno))")
    }

    /// The interrupt cleanup table is not safe for concurrent registration; batch senders write sidecars in parallel.
    private static let trackingLock = NSLock()
    static func track(_ path: String) -> InterruptCleanup.Token { trackingLock.withLock { InterruptCleanup.track(path) } }
    static func untrack(_ token: InterruptCleanup.Token) { trackingLock.withLock { token.release() } }

    static func reason(_ code: Int32) -> String { String(decoding: UnsafeRawBufferPointer(start: strerror(code), count: strlen(strerror(code))), as: UTF8.self).lowercased() }

    /// A synced temporary file next to `path`; returns its path.
    private static func write(_ data: Data, besides path: String) throws(VQError) -> String {
        let (temporary, fd) = try temporaryFile(with: data, besides: path)
        close(fd)
        return temporary
    }

    /// A temporary file next to `path` holding `data`, synced; returns its path and its still open descriptor.
    static func temporaryFile(with data: Data, besides path: String) throws(VQError) -> (path: String, descriptor: Int32) {
        let directory = (path as NSString).deletingLastPathComponent
        var template = Array(((directory.isEmpty ? "." : directory) + "/.vq-tmp-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0, fcntl(fd, F_SETFD, FD_CLOEXEC) == 0 else { throw VQError(.cannotCreate, "\(path): cannot create a temporary file: \(Self.reason(errno))") }
        let temporary = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard FileDescriptorWriter.writeAll(fd, data) && fsync(fd) == 0 else {
            let reason = Self.reason(errno)
            close(fd)
            unlink(temporary)
            throw VQError(.cannotCreate, "\(path): cannot write: \(reason)")
        }
        return (temporary, fd)
    }
}
