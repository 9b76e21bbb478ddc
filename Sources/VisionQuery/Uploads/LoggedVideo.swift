import FoundationEssentials
import Glibc
import Platform

/// A video an earlier turn sent whole, as the log keeps it: the `file://` URL of where it was (videos are not copied
/// into the log). `-c` on Gemini sends it again from there (inline, or the file kept on the service).
struct LoggedVideo: Sendable {
    let path: String
    let byteCount: Int
    let mimeType: String

    /// Nil when `url` is not a file URL of a readable video file.
    init?(url: String) {
        guard url.hasPrefix("file://"), let path = URL(string: url)?.path,
            let size = Self.byteCount(ofFile: path),
            let mime = Self.mimeTypes[PathText.fileExtension(path).lowercased()]
        else { return nil }
        self.path = path
        byteCount = size
        mimeType = mime
    }

    /// The size of the regular file at `path`, or nil when there is none.
    private static func byteCount(ofFile path: String) -> Int? {
        var status = stat()
        guard stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int(status.st_size)
    }

    /// The containers vq reads videos from, by extension (the log keeps no MIME type for a file it points to).
    static let mimeTypes = [
        "mp4": "video/mp4", "m4v": "video/mp4", "mov": "video/quicktime", "webm": "video/webm", "mkv": "video/x-matroska",
        "avi": "video/x-msvideo",
    ]
}
