import FoundationEssentials
import Platform

/// `--sidecar EXT`: the answer for `photo.jpg` goes to `photo.EXT` beside it, written atomically; an existing
/// sidecar is kept unless `overwrite`.
public struct SidecarWriter: Sendable {
    public let fileExtension: String
    public let overwrite: Bool

    public init(fileExtension: String, overwrite: Bool) {
        self.fileExtension = fileExtension
        self.overwrite = overwrite
    }

    /// `photo.jpg` → `photo.txt`; nil for URLs, which have no place beside them.
    public func path(for image: String) -> String? {
        guard !InputLoader.isURL(image), image != "-" else { return nil }
        return PathText.deletingExtension(image) + "." + fileExtension
    }

    /// Whether the image is done already (its sidecar exists and may not be overwritten).
    public func isDone(_ image: String) -> Bool {
        guard !overwrite, let path = path(for: image) else { return false }
        return FileManager.default.fileExists(atPath: path)
    }

    /// Writes the answer (with a final newline); returns the sidecar's path.
    public func write(_ answer: String, for image: String) throws(VQError) -> String {
        guard let path = path(for: image) else { throw VQError(.usage, "\(image): '--sidecar' needs a local file, not a URL") }
        let text = Data((answer.hasSuffix("\n") ? answer : answer + "\n").utf8)
        if overwrite {
            try AtomicFile.replace(path, with: text)
        } else if try !AtomicFile.create(path, with: text) {
            throw VQError(.cannotCreate, "\(path) exists; not overwritten (use --overwrite)")
        }
        return path
    }
}
