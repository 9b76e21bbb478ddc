import FoundationEssentials
import Glibc
import Imaging
import Interrupts
import Platform
import TextFormatting

/// A video read from stdin or downloaded, written to a private temporary file for FFmpeg (which reads files).
/// Removed once its frames are sampled, else when vq exits (a video sent whole is read again while sending), and on
/// an interrupt.
struct TemporaryVideoFile {
    let path: String
    private let token: InterruptCleanup.Token

    /// Writes `data` to a new file only this user can read.
    static func write(_ data: Data, format: VideoFormat, label: String) throws(VQError) -> TemporaryVideoFile {
        let path = PathText.appending(SystemDirectories.temporary, "vq-video-\(UUID().uuidString).\(format.rawValue)")
        let token = InterruptCleanup.track(path)
        guard FileManager.default.createFile(atPath: path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            token.release()
            throw VQError(.cannotCreate, "\(label): cannot write a temporary copy of the video to \(path): \(ErrnoText.current)")
        }
        RemovedAtExit.add(path)
        return TemporaryVideoFile(path: path, token: token)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
        token.release()
        RemovedAtExit.remove(path)
    }
}

/// Temporary files vq removes when it exits normally.
private enum RemovedAtExit {
    nonisolated(unsafe) private static var paths: Set<String> = []
    private static let lock = Lock()
    private static let installed: Void = { atexit { RemovedAtExit.removeAll() } }()

    static func add(_ path: String) {
        lock.lock()
        defer { lock.unlock() }
        _ = installed
        paths.insert(path)
    }

    static func remove(_ path: String) {
        lock.lock()
        defer { lock.unlock() }
        paths.remove(path)
    }

    static func removeAll() {
        lock.lock()
        defer { lock.unlock() }
        for path in paths { unlink(path) }
        paths.removeAll()
    }
}
