/// What a sharded batch was run over: how many inputs were listed and an order-free digest of their keys, so shards
/// started from the same directory or list agree, and shards started from different ones can be told apart.
public struct InputListing: Equatable, Sendable, Codable {
    /// Inputs listed (before sharding).
    public private(set) var count = 0
    /// Sum of every key's mixed 64-bit hash: independent of the order the inputs were listed in.
    private var sum: UInt64 = 0

    public init() {}

    /// Counts the input whose key is `key`.
    public mutating func add(key: String) {
        add(keyHash: Shard.fnv1a(key))
    }

    /// Counts an input by the FNV-1a hash of its key (already computed to pick its shard).
    public mutating func add(keyHash: UInt64) {
        count += 1
        sum = sum &+ Self.mix(keyHash)
    }

    /// "2000 inputs, digest 0f3a…": how messages name a listing.
    public var digest: String {
        let hex = String(sum, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// The SplitMix64 finaliser: spreads FNV's bits so that sums of different key sets rarely meet.
    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    enum CodingKeys: String, CodingKey {
        case count = "inputs"
        case digest
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        count = try container.decode(Int.self, forKey: .count)
        let text = try container.decode(String.self, forKey: .digest)
        guard let value = UInt64(text, radix: 16) else {
            throw DecodingError.dataCorruptedError(forKey: .digest, in: container, debugDescription: "not a hexadecimal digest")
        }
        sum = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(count, forKey: .count)
        try container.encode(digest, forKey: .digest)
    }
}
