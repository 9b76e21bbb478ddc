import Foundation
import Interrupts

/// The `--out` file of a batch as a journal for `--resume`: which images already have a successful line.
public enum BatchJournal {
    /// Reads `path` and rewrites it atomically keeping one successful line per image; failed lines and a torn last
    /// line (a crash mid-write) are dropped, so their images are done again and appear once. Returns the images kept.
    /// With `rewrite` false (a dry run) the file is only read.
    public static func prepareForResume(path: String, rewrite: Bool = true) throws(VQError) -> Set<String> {
        guard let data = FileManager.default.contents(atPath: path) else {
            if FileManager.default.fileExists(atPath: path) { throw VQError(.inputMissing, "\(path): cannot read") }
            return []
        }
        var answered: Set<String> = []
        var kept = Data()
        var start = data.startIndex
        while let newline = data[start...].firstIndex(of: 0x0A) {
            let line = data[start..<newline]
            start = newline + 1
            guard let object = try? JSONSerialization.jsonObject(with: line) as? [String: Any],
                  let image = object["image"] as? String, object["error"] is NSNull, !answered.contains(image) else { continue }
            answered.insert(image)
            kept.append(line)
            kept.append(0x0A)
        }
        if rewrite && kept.count != data.count { try AtomicFile.replace(path, with: kept) }
        return answered
    }
}

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
    private static func track(_ path: String) -> InterruptCleanup.Token { trackingLock.withLock { InterruptCleanup.track(path) } }
    private static func untrack(_ token: InterruptCleanup.Token) { trackingLock.withLock { token.release() } }

    static func reason(_ code: Int32) -> String { String(decoding: UnsafeRawBufferPointer(start: strerror(code), count: strlen(strerror(code))), as: UTF8.self).lowercased() }

    /// A synced temporary file next to `path`; returns its path.
    private static func write(_ data: Data, besides path: String) throws(VQError) -> String {
        let directory = (path as NSString).deletingLastPathComponent
        var template = Array(((directory.isEmpty ? "." : directory) + "/.vq-tmp-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw VQError(.cannotCreate, "\(path): cannot create a temporary file: \(Self.reason(errno))") }
        let temporary = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let ok = FileDescriptorWriter.writeAll(fd, data) && fsync(fd) == 0
        close(fd)
        guard ok else {
            unlink(temporary)
            throw VQError(.cannotCreate, "\(path): cannot write: \(Self.reason(errno))")
        }
        return temporary
    }
}
