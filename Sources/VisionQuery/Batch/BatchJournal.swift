import Foundation

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
