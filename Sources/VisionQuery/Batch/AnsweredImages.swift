/// The images an `--out` file already answers, by key (and by identity for lines without one).
public struct AnsweredImages: Sendable {
    private var keys: Set<String> = []
    private var identities: Set<String> = []

    public init() {}

    /// Lines kept.
    public var count: Int { keys.count + identities.count }

    /// Whether `item` has a successful line.
    public func contains(_ item: BatchItem) -> Bool { keys.contains(item.key) || identities.contains(item.identity) }

    /// Records one successful line; false when its image already had one.
    mutating func insert(key: String?, image: String) -> Bool {
        if let key { return keys.insert(key).inserted }
        return identities.insert(CanonicalInput.identity(image)).inserted
    }
}
