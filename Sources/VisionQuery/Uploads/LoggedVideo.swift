import Foundation

/// A video an earlier turn sent whole, as the log keeps it: the `file://` URL of where it was (videos are not copied
/// into the log). `-c` on Gemini sends it again from there (inline, or the file kept on the service).
struct LoggedVideo: Sendable {
    let path: String
    let byteCount: Int
    let mimeType: String

    /// Nil when `url` is not a file URL of a readable video file.
    init?(url: String) {
        guard url.hasPrefix("file://"), let path = URL(string: url)?.path,
            let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int,
            let mime = Self.mimeTypes[(path as NSString).pathExtension.lowercased()]
        else { return nil }
        self.path = path
        byteCount = size
        mimeType = mime
    }

    /// The containers vq reads videos from, by extension (the log keeps no MIME type for a file it points to).
    static let mimeTypes = [
        "mp4": "video/mp4", "m4v": "video/mp4", "mov": "video/quicktime", "webm": "video/webm", "mkv": "video/x-matroska",
        "avi": "video/x-msvideo",
    ]
}
