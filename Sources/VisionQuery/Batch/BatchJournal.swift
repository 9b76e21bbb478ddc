import FoundationEssentials
import Platform

/// The `--out` file of a batch as a journal for `--resume`: which images already have a successful line.
public enum BatchJournal {
    /// The images the `--out` file at `path` answers: prepared for resuming when vq holds it locked, `file`; only read
    /// when it is nil (a dry run).
    /// `keepingFailures` (a provider batch resumed without `--retry-failed`): a failed line counts as done and stays,
    /// so what failed in a finished job is not paid for again unless asked.
    public static func answered(
        resuming file: LockedOutputFile?, at path: String, csv: BatchCSV? = nil,
        keepingFailures: Bool = false, profile: String? = nil
    ) throws(VQError) -> AnsweredImages {
        if let file { return try prepareForResume(file, csv: csv, keepingFailures: keepingFailures, profile: profile) }
        return try answered(inFileAt: path, csv: csv, keepingFailures: keepingFailures, profile: profile)
    }

    /// Reads the locked file and rewrites it (atomically, keeping the lock) with one successful line per image; failed
    /// lines and a torn last line (a crash mid-write) are dropped, so their images are done again and appear once.
    public static func prepareForResume(
        _ file: LockedOutputFile, csv: BatchCSV? = nil,
        keepingFailures: Bool = false, profile: String? = nil
    ) throws(VQError) -> AnsweredImages {
        let data = try file.contents()
        let (answered, kept) = csv?.journal(data) ?? read(data, keepingFailures: keepingFailures, profile: profile)
        if kept.count != data.count { try file.replace(with: kept) }
        return answered
    }

    /// The images `path` answers, reading only (a dry run); none when it does not exist.
    public static func answered(
        inFileAt path: String, csv: BatchCSV? = nil, keepingFailures: Bool = false, profile: String? = nil
    ) throws(VQError) -> AnsweredImages {
        guard let data = FileManager.default.contents(atPath: path) else {
            if FileManager.default.fileExists(atPath: path) { throw VQError(.inputMissing, "\(path): cannot read") }
            return AnsweredImages()
        }
        return (csv?.journal(data) ?? read(data, keepingFailures: keepingFailures, profile: profile)).answered
    }

    /// The successful lines of `data`, the first for each image (or prompt-list `id`), and what they answer. A line is
    /// matched by its `key`; lines written before keys existed, by the identity of their `image` path. With `profile` (`--profiles`: one
    /// line per image and profile), lines are told apart by their `profile` too and only that profile's count as
    /// answered; the other profiles' successful lines are kept for their own turn.
    static func read(_ data: Data, keepingFailures: Bool = false, profile: String? = nil) -> (answered: AnsweredImages, kept: Data) {
        var answered = AnsweredImages()
        var others: [String: AnsweredImages] = [:]
        var kept = Data()
        var start = data.startIndex
        while let newline = data[start...].firstIndex(of: 0x0A) {
            let line = data[start..<newline]
            start = newline + 1
            guard let object = try? JSONReader.value(line) as? [String: Any],
                let image = object["image"] as? String ?? object["id"] as? String, keepingFailures || object["error"] is JSONNull
            else { continue }
            let lineProfile = object["profile"] as? String
            if let profile, lineProfile != profile {
                guard others[lineProfile ?? "", default: AnsweredImages()].insert(key: object["key"] as? String, image: image) else { continue }
            } else {
                guard answered.insert(key: object["key"] as? String, image: image) else { continue }
            }
            kept.append(line)
            kept.append(0x0A)
        }
        return (answered, kept)
    }
}
