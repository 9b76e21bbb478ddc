import FoundationEssentials
import Glibc
import TextFormatting

/// What a sharded `vq batch --out FILE` leaves beside its output (`FILE.vq-shard`): which shard of how many it is, the
/// input listing it was cut from, and whether it ran to the end, so `vq batch merge` can prove the shards complete.
/// Written as unfinished before the first new line is appended, and as finished, with the output's size, at the end.
public struct ShardRecord: Codable, Equatable, Sendable {
    /// The record's format.
    public var version = 1
    public var shard: Int
    public var count: Int
    /// Every input listed, before sharding (the same for every shard of one job).
    public var listing: InputListing
    /// Inputs of this shard (answered before or now).
    public var images: Int
    /// `jsonl` or `csv`.
    public var format: String
    public var finished = false
    /// Size of the output file when the shard finished: a file changed since (appended, truncated) is not trusted.
    public var bytes: Int?

    public init(shard: Shard, listing: InputListing, images: Int, format: String) {
        self.shard = shard.index
        self.count = shard.count
        self.listing = listing
        self.images = images
        self.format = format
    }

    /// "3/8".
    public var name: String { "\(shard)/\(count)" }

    /// The record of the output file `out`.
    public static func path(besides out: String) -> String { out + ".vq-shard" }

    /// The record beside `out`; nil when there is none.
    public static func load(besides out: String) throws(VQError) -> ShardRecord? {
        let path = path(besides: out)
        guard let data = FileManager.default.contents(atPath: path) else {
            if FileManager.default.fileExists(atPath: path) { throw VQError(.inputMissing, "\(path): cannot read") }
            return nil
        }
        do { return try JSONDecoder().decode(ShardRecord.self, from: data) } catch {
            throw VQError(.badInput, "\(path): not a vq shard record")
        }
    }

    /// Replaces the record beside `out` atomically.
    public func save(besides out: String) throws(VQError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data: Data
        do { data = try encoder.encode(self) + Data([0x0A]) } catch { throw VQError(.internal, "cannot encode the shard record: \(error)") }
        try AtomicFile.replace(Self.path(besides: out), with: data, noun: "shard record")
    }

    /// Marks the shard as running (before anything new is written to `out`).
    public static func started(_ shard: Shard, of selection: BatchSelection, format: String, besides out: String) throws(VQError) -> ShardRecord {
        let record = ShardRecord(shard: shard, listing: selection.listing, images: selection.inShard, format: format)
        try record.save(besides: out)
        return record
    }

    /// Marks the shard as run to the end: every one of its images has a line in `file`.
    public func finish(file: LockedOutputFile) throws(VQError) {
        var record = self
        var status = stat()
        guard fstat(file.descriptor, &status) == 0 else { throw VQError(.cannotCreate, "\(file.path): cannot stat: \(ErrnoText.current)") }
        record.finished = true
        record.bytes = Int(status.st_size)
        try record.save(besides: file.path)
    }
}
