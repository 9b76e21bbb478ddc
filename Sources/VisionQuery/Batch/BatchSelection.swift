/// The images one run of a batch does: the inputs of its shard, minus those its `--out` file already answers, with
/// a note for each reason images were left out.
public struct BatchSelection: Sendable {
    public private(set) var items: [BatchItem]
    /// "3 in other shards (this is 1/4)", "5 already answered in out.jsonl".
    public private(set) var skipped: [String] = []
    private var keys: [String: String]
    /// Every input listed, before sharding: what a shard's record names so that shards of one job can be matched.
    public private(set) var listing: InputListing
    /// Inputs of this run's shard (all inputs without one), answered or not.
    public private(set) var inShard: Int

    public init(_ items: [BatchItem]) {
        self.items = items
        keys = Dictionary(items.map { ($0.path, $0.key) }, uniquingKeysWith: { first, _ in first })
        var listing = InputListing()
        for item in items { listing.add(key: item.key) }
        self.listing = listing
        inShard = items.count
    }

    /// The inputs `--inputs-from` selected for `shard` (nil: every one).
    public init(_ list: InputListFile.Selection, shard: Shard?) {
        self.items = list.items
        keys = Dictionary(items.map { ($0.path, $0.key) }, uniquingKeysWith: { first, _ in first })
        listing = list.listing
        inShard = items.count
        if let shard { skipped.append("\(list.otherShards) in other shards (this is \(shard.index)/\(shard.count))") }
    }

    /// The inputs of `shard` (all without one), from the image arguments or the `--inputs-from` list; `pages` splits
    /// each PDF into its pages (`--per-page`: before sharding for arguments, within the shard for a list, whose shard
    /// record names the listed files).
    public static func select(
        arguments: [String], inputs: BatchInputs, list: InputListFile?, shard: Shard?, pages: ((String) -> [Int]?)? = nil
    ) throws(VQError) -> BatchSelection {
        if let list {
            var selection = BatchSelection(try list.select(shard), shard: shard)
            if let pages { selection.splitPages(pages, relisting: false) }
            return selection
        }
        var selection = BatchSelection(try inputs.expand(arguments))
        if let pages { selection.splitPages(pages, relisting: true) }
        if let shard { try selection.keep(shard) }
        return selection
    }

    /// The paths to process, in order.
    public var images: [String] { items.map(\.path) }

    /// The key of an image this selection was made from (what its JSON line records).
    public func key(for path: String) -> String? { keys[path] }

    /// The items that carry their own prompt (a prompt list), by path.
    public var promptedItems: [String: BatchItem] {
        Dictionary(items.filter { $0.prompt != nil }.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// `--per-page`: each PDF becomes one item per page `pages` gives for it (`report.pdf#p3`, key `KEY#p3`).
    /// `relisting`: the pages, not the files, are the listed inputs (what a shard record names).
    public mutating func splitPages(_ pages: (String) -> [Int]?, relisting: Bool) {
        items = items.flatMap { item -> [BatchItem] in
            guard let numbers = pages(item.path) else { return [item] }
            return numbers.map { page in
                BatchItem(
                    path: PageItem.name(item.path, page: page), key: PageItem.name(item.key, page: page),
                    identity: PageItem.name(item.identity, page: page))
            }
        }
        keys = Dictionary(items.map { ($0.path, $0.key) }, uniquingKeysWith: { first, _ in first })
        inShard = items.count
        if relisting {
            listing = InputListing()
            for item in items { listing.add(key: item.key) }
        }
    }

    /// Keeps the inputs of `shard`.
    public mutating func keep(_ shard: Shard) throws(VQError) {
        try checkKeysAreDistinct(for: "--shard")
        let before = items.count
        items = items.filter { shard.contains($0.key) }
        inShard = items.count
        skipped.append("\(before - items.count) in other shards (this is \(shard.index)/\(shard.count))")
    }

    /// Drops the inputs `answered` (read from `path`) already has.
    public mutating func drop(_ answered: AnsweredImages, in path: String) throws(VQError) {
        try checkKeysAreDistinct(for: "--resume")
        let before = items.count
        items = items.filter { !answered.contains($0) }
        skipped.append("\(before - items.count) already answered in \(path)")
    }

    /// Two files with one key (`a/1.jpg` and `b/1.jpg` from directories `a` and `b`) would share a shard and a
    /// resume line, so one could be skipped: refused before anything is sent.
    private func checkKeysAreDistinct(for option: String) throws(VQError) {
        var first: [String: String] = [:]
        for item in items {
            if let other = first.updateValue(item.path, forKey: item.key) {
                throw VQError(
                    .usage,
                    "\(other) and \(item.path) have the same key '\(item.key)' (their path inside the directory given), so \(option) cannot tell them apart; give their common parent directory, or list the files on standard input (-)"
                )
            }
        }
    }
}
