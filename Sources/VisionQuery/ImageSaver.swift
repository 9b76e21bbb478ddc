import Foundation
import Interrupts
import Imaging
import TextFormatting

/// Writes images a model returned: validated first, named `vq-YYYYMMDD-HHMMSS-N.ext` (or the one file the user
/// named), the extension taken from the bytes, never overwriting a file, written atomically.
public final class ImageSaver {
    /// One image on disk.
    public struct SavedImage: Equatable, Sendable {
        /// As shown to the user: relative to the current directory when the user gave a relative directory.
        public let path: String
        public let info: ImageInfo
        public let bytes: Int
    }

    public let directory: String
    public let singleFile: String?
    private let stamp: String
    private var nextNumber = 1
    private var savedCount = 0

    /// `directory` receives generated names; `singleFile` (from `--output`) names the first image exactly.
    /// `now` and `timeZone` make names reproducible in tests.
    public init(directory: String = ".", singleFile: String? = nil, now: Date = Date(), timeZone: TimeZone = .current) {
        self.directory = directory.isEmpty ? "." : directory
        self.singleFile = singleFile
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        stamp = formatter.string(from: now)
    }

    /// Fails before anything is sent when saving could not work: `--output` names an existing file, or the
    /// directory is a file.
    public func checkBeforeSending() throws(VQError) {
        if let singleFile {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: singleFile, isDirectory: &isDirectory) {
                throw VQError(.cannotCreate, isDirectory.boolValue
                    ? "\(singleFile): --output names a directory; use --output-dir \(singleFile)"
                    : "\(singleFile): already exists; vq never overwrites files (remove it or choose another --output)")
            }
            return
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw VQError(.cannotCreate, "\(directory): --output-dir is not a directory")
        }
    }

    /// Validates and writes one image. `.badInput` when the bytes are not an image; `.cannotCreate` when the file
    /// cannot be written (or `--output` exists).
    public func save(_ data: Data) throws(VQError) -> SavedImage {
        let info: ImageInfo
        do {
            info = try ImageValidator.validate(data)
        } catch {
            throw VQError(.badInput, "a returned image was not saved: \(error.message)")
        }
        let path: String
        if let singleFile, savedCount == 0 {
            try ensureDirectory(Self.parent(of: singleFile))
            guard try Self.writeNoClobber(data, to: singleFile) else {
                throw VQError(.cannotCreate, "\(singleFile): already exists; vq never overwrites files (nothing written)")
            }
            path = singleFile
        } else {
            path = try writeNumbered(data, ext: info.format.fileExtension)
        }
        savedCount += 1
        return SavedImage(path: path, info: info, bytes: data.count)
    }

    /// Writes under the next free number: `vq-<stamp>-N.ext`, or `<stem>-N.ext` beside `--output`.
    private func writeNumbered(_ data: Data, ext: String) throws(VQError) -> String {
        let (folder, stem): (String, String)
        if let singleFile {
            let name = (singleFile as NSString).lastPathComponent
            let base = (name as NSString).deletingPathExtension
            (folder, stem) = (Self.parent(of: singleFile), base.isEmpty ? name : base)
            if nextNumber == 1 { nextNumber = 2 }
        } else {
            (folder, stem) = (directory, "vq-\(stamp)")
        }
        try ensureDirectory(folder)
        while nextNumber < 100_000 {
            let name = "\(stem)-\(nextNumber).\(ext)"
            nextNumber += 1
            let path = folder == "." ? name : (folder as NSString).appendingPathComponent(name)
            if try Self.writeNoClobber(data, to: path) { return path }
        }
        throw VQError(.cannotCreate, "\(folder): no free file name for \(stem)-N.\(ext)")
    }

    private func ensureDirectory(_ path: String) throws(VQError) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            if !isDirectory.boolValue { throw VQError(.cannotCreate, "\(path): not a directory") }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw VQError(.cannotCreate, "\(path): cannot create directory: \(FileErrors.reason(error, path: path))")
        }
    }

    static func parent(of path: String) -> String {
        let parent = (path as NSString).deletingLastPathComponent
        return parent.isEmpty ? "." : parent
    }

    /// Writes `data` to `path` only if no file of that name exists: a temporary file in the same directory
    /// (created with the user's umask) is written and fsynced, then hard-linked to the final name, which fails
    /// with EEXIST instead of replacing anything, even a file created a moment ago by someone else.
    /// Where hard links are unsupported, falls back to `open(O_CREAT|O_EXCL)` on the final name.
    /// Returns false when the name is taken.
    static func writeNoClobber(_ data: Data, to path: String) throws(VQError) -> Bool {
        let folder = parent(of: path)
        var temp = ""
        var fd: Int32 = -1
        for _ in 0..<100 {
            temp = (folder as NSString).appendingPathComponent(".vq-\(String(UInt64.random(in: .min ... .max), radix: 36)).tmp")
            fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
            if fd >= 0 || errno != EEXIST { break }
        }
        guard fd >= 0 else { throw cannotWrite(folder, errno) }
        // Until it is linked into place or removed, an interrupt (SIGINT/SIGTERM/SIGHUP) removes the temp file.
        let cleanup = InterruptCleanup.track(temp)
        defer { cleanup.release() }
        if let code = writeAndSync(fd, data) {
            unlink(temp)
            throw cannotWrite(path, code)
        }
        if link(temp, path) == 0 {
            unlink(temp)
            syncDirectory(folder)
            return true
        }
        let code = errno
        unlink(temp)
        if code == EEXIST { return false }
        guard [EPERM, EOPNOTSUPP, ENOTSUP, EXDEV, EMLINK, ENOSYS].contains(code) else { throw cannotWrite(path, code) }
        // No hard links here (FAT, some network file systems): exclusive create of the final name.
        let direct = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        if direct < 0 {
            if errno == EEXIST { return false }
            throw cannotWrite(path, errno)
        }
        let partial = InterruptCleanup.track(path)   // a half-written final file must not survive an interrupt
        defer { partial.release() }
        if let failure = writeAndSync(direct, data) {
            unlink(path)
            throw cannotWrite(path, failure)
        }
        syncDirectory(folder)
        return true
    }

    /// Writes everything, fsyncs and closes; returns errno on failure.
    private static func writeAndSync(_ fd: Int32, _ data: Data) -> Int32? {
        let failure: Int32? = FileDescriptorWriter.writeAll(fd, data) && fsync(fd) == 0 ? nil : errno
        let closed = close(fd)
        return failure ?? (closed == 0 ? nil : errno)
    }

    private static func syncDirectory(_ folder: String) {
        let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 { fsync(fd); close(fd) }
    }

    private static func cannotWrite(_ path: String, _ code: Int32) -> VQError {
        VQError(.cannotCreate, "\(path): cannot write image: \(ErrnoText.reason(code))")
    }
}
