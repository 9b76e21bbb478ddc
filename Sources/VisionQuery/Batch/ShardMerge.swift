import FoundationEssentials
import Glibc
import Platform
import TextFormatting

/// `vq batch merge OUT...`: proves that the output files of a sharded batch are complete before joining them. Every
/// shard K/N of one N must be there once, finished, cut from the same input listing, unchanged since it finished, and
/// answer each of its images on exactly one line; otherwise nothing is written and the error names what is missing.
public struct ShardMerge: Sendable {
    /// One shard's output file and its record.
    public struct Part: Sendable {
        public let path: String
        public let record: ShardRecord
        /// Lines whose `error` is not null (JSON Lines only).
        public fileprivate(set) var failed = 0
    }

    /// The files in shard order.
    public private(set) var parts: [Part]

    /// Most shards a message lists by name before it says how many more there are.
    static let namedInMessages = 12

    /// Reads and checks every file; throws naming the missing, unfinished or inconsistent shards.
    public init(checking files: [String]) throws(VQError) {
        guard !files.isEmpty else { throw VQError(.usage, "'vq batch merge' needs the output files of every shard (e.g. captions-*.jsonl)") }
        var parts: [Part] = []
        for file in files {
            var isDirectory = false
            guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory), !isDirectory else {
                throw VQError(.inputMissing, "\(file): no such file")
            }
            guard let record = try ShardRecord.load(besides: file) else {
                throw VQError(
                    .inputMissing,
                    "\(file): no shard record (\(ShardRecord.path(besides: file))); it is written by 'vq batch --shard K/N' or '--shard-count N' with '--out'")
            }
            parts.append(Part(path: file, record: record))
        }
        try Self.checkOneJob(parts)
        parts.sort { $0.record.shard < $1.record.shard }
        try Self.checkComplete(parts)
        for index in parts.indices { try Self.checkLines(&parts[index]) }
        self.parts = parts
    }

    /// The number of shards, the input listing and the format all agree; no shard appears twice.
    private static func checkOneJob(_ parts: [Part]) throws(VQError) {
        let first = parts[0]
        for part in parts.dropFirst() {
            if part.record.count != first.record.count {
                throw VQError(
                    .badInput,
                    "\(first.path) is shard \(first.record.name) but \(part.path) is shard \(part.record.name): the files come from runs with different shard counts"
                )
            }
            if part.record.listing != first.record.listing {
                throw VQError(
                    .badInput,
                    "\(first.path) and \(part.path) were cut from different input listings (\(first.record.listing.count) and \(part.record.listing.count) inputs, digests \(first.record.listing.digest) and \(part.record.listing.digest)): give every shard the same inputs"
                )
            }
            if part.record.format != first.record.format {
                throw VQError(.badInput, "\(first.path) is \(first.record.format) but \(part.path) is \(part.record.format)")
            }
        }
        var seen: [Int: String] = [:]
        for part in parts {
            if let other = seen.updateValue(part.path, forKey: part.record.shard) {
                throw VQError(.badInput, "\(other) and \(part.path) are both shard \(part.record.name); give each shard's file once")
            }
        }
    }

    /// Every shard 0..N-1 is present and finished, and its file has not changed since.
    private static func checkComplete(_ parts: [Part]) throws(VQError) {
        let count = parts[0].record.count
        let present = Set(parts.map(\.record.shard))
        let missing = (0..<count).filter { !present.contains($0) }
        let unfinished = parts.filter { !$0.record.finished }
        guard missing.isEmpty && unfinished.isEmpty else {
            var problems: [String] = []
            if !missing.isEmpty {
                let named = missing.prefix(namedInMessages).map { "\($0)/\(count)" }.joined(separator: ", ")
                let more = missing.count > namedInMessages ? " and \(missing.count - namedInMessages) more" : ""
                problems.append("\(missing.count) of \(count) shards missing (\(named)\(more))")
            }
            if !unfinished.isEmpty {
                let named = unfinished.prefix(namedInMessages).map { "\($0.path) (\($0.record.name))" }.joined(separator: ", ")
                let more = unfinished.count > namedInMessages ? " and \(unfinished.count - namedInMessages) more" : ""
                problems.append("\(unfinished.count) not finished: \(named)\(more)")
            }
            throw VQError(
                .inputMissing,
                "incomplete: " + problems.joined(separator: "; ")
                    + "; run those shards (again, with --resume) until each ends, then merge")
        }
        for part in parts {
            var status = stat()
            guard stat(part.path, &status) == 0 else { throw VQError(.inputMissing, "\(part.path): cannot read: \(ErrnoText.current)") }
            if let bytes = part.record.bytes, bytes != Int(status.st_size) {
                throw VQError(
                    .badInput,
                    "\(part.path) changed after shard \(part.record.name) finished (\(bytes) bytes then, \(status.st_size) now); run that shard again with --resume"
                )
            }
        }
    }

    /// JSON Lines: each line is a result whose key belongs to the shard, each key once, one line per image.
    private static func checkLines(_ part: inout Part) throws(VQError) {
        guard part.record.format == "jsonl" else { return }
        let shard = Shard(index: part.record.shard, count: part.record.count)
        var keys: Set<String> = []
        var failed = 0
        var number = 0
        try FileLines.forEachLine(of: part.path) { (line) throws(VQError) in
            number += 1
            guard let object = try? JSONReader.value(line) as? [String: Any], let key = object["key"] as? String else {
                throw VQError(.badInput, "\(part.path):\(number): not a vq batch result line with a key")
            }
            guard shard.contains(key) else {
                throw VQError(.badInput, "\(part.path):\(number): '\(key)' belongs to another shard than \(part.record.name)")
            }
            guard keys.insert(key).inserted else { throw VQError(.badInput, "\(part.path):\(number): '\(key)' is answered twice") }
            if !(object["error"] is JSONNull) { failed += 1 }
        }
        guard keys.count == part.record.images else {
            throw VQError(
                .badInput,
                "\(part.path) answers \(keys.count) images but shard \(part.record.name) has \(part.record.images); run it again with --resume")
        }
        part.failed = failed
    }

    /// Lines that failed in all shards.
    public var failed: Int { parts.reduce(0) { $0 + $1.failed } }

    /// Writes the files one after the other in shard order (a CSV header once); `write` returns false when it
    /// cannot take more.
    public func write(_ write: (Data) -> Bool) throws(VQError) {
        for (index, part) in parts.enumerated() {
            var skippingHeader = part.record.format == "csv" && index > 0
            try FileLines.forEachBlock(of: part.path) { (block, _) throws(VQError) in
                var block = block
                if skippingHeader {
                    guard let newline = block.firstIndex(of: 0x0A) else { return }
                    block = block[(newline + 1)...]
                    skippingHeader = false
                }
                guard write(block) else { throw VQError(.cannotCreate, "standard output: cannot write: \(ErrnoText.current)") }
            } end: { _ throws(VQError) in
            }
        }
    }
}
