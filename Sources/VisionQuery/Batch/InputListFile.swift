import FoundationEssentials

/// `--inputs-from FILE`: a list of paths or URLs made once (one per line, or NUL-separated with `-0`) that every shard
/// reads instead of walking the directories. A shard keeps its own lines by the hash of their keys and never stats,
/// opens or sniffs the others, so a task's start costs one read of the list, whatever the filesystem.
public struct InputListFile: Sendable {
    public let path: String
    public var nulSeparated = false

    public init(path: String, nulSeparated: Bool = false) {
        self.path = path
        self.nulSeparated = nulSeparated
    }

    /// What one shard (or, without one, the whole run) takes from the list, and the listing of every line.
    public struct Selection: Sendable {
        public var items: [BatchItem] = []
        public var listing = InputListing()
        /// Lines of other shards.
        public var otherShards = 0
    }

    /// Reads the list, keeping the lines of `shard` (each input once, however often it is listed).
    public func select(_ shard: Shard?) throws(VQError) -> Selection {
        var isDirectory = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw VQError(.inputMissing, "\(path): no such file (given to --inputs-from)")
        }
        guard !isDirectory else { throw VQError(.inputMissing, "\(path): is a directory; --inputs-from takes a file listing one input per line") }
        let directory = FileManager.default.currentDirectoryPath
        var selection = Selection()
        var seen: Set<String> = []
        let separator: UInt8 = nulSeparated ? 0 : 0x0A
        try FileLines.forEachLine(of: path, separatedBy: separator) { (line) throws(VQError) in
            var entry = String(decoding: line, as: UTF8.self)
            if !nulSeparated, entry.hasSuffix("\r") { entry.removeLast() }
            guard !entry.isEmpty else { return }
            let identity = InputLoader.isURL(entry) ? CanonicalInput.url(entry) : CanonicalInput.path(entry, relativeTo: directory)
            let hash = Shard.fnv1a(identity)
            selection.listing.add(keyHash: hash)
            guard shard?.contains(keyHash: hash) ?? true else {
                selection.otherShards += 1
                return
            }
            if seen.insert(identity).inserted { selection.items.append(BatchItem(path: entry, key: identity, identity: identity)) }
        }
        return selection
    }
}
