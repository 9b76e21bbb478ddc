/// `--shard K/N`: this process handles the inputs whose stable hash (FNV-1a of the canonical key, see `BatchItem`)
/// is K modulo N, so N processes with K = 0…N-1 split a batch exactly, whatever order they list the inputs in.
public struct Shard: Equatable, Sendable {
    public let index: Int
    public let count: Int

    public init(index: Int, count: Int) {
        precondition(count > 0 && (0..<count).contains(index), "shard \(index)/\(count) out of range")
        self.index = index
        self.count = count
    }

    /// "K/N" with 0 ≤ K < N.
    public static func parse(_ text: String) throws(VQError) -> Shard {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count > 0, (0..<count).contains(index) else {
            throw VQError(.usage, "invalid value '\(text)' for '--shard': expected K/N with 0 <= K < N (e.g. 0/4)")
        }
        return Shard(index: index, count: count)
    }

    /// Whether the input with canonical key `key` belongs to this shard.
    public func contains(_ key: String) -> Bool { contains(keyHash: Self.fnv1a(key)) }

    /// Whether the input whose key hashes (`fnv1a`) to `keyHash` belongs to this shard.
    public func contains(keyHash: UInt64) -> Bool { Int(keyHash % UInt64(count)) == index }

    /// 64-bit FNV-1a of the UTF-8 bytes: stable across runs, machines and versions.
    public static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }
}
