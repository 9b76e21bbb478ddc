/// `--shard K/N`: this process handles the inputs whose stable hash (FNV-1a of the path) is K modulo N, so N
/// processes with K = 0…N-1 split a batch exactly, whatever order they list the inputs in.
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

    /// From a job scheduler's environment: Slurm array tasks (`SLURM_ARRAY_TASK_ID` minus `SLURM_ARRAY_TASK_MIN`, of
    /// `SLURM_ARRAY_TASK_COUNT`) or a Kubernetes Indexed Job (`JOB_COMPLETION_INDEX`, of `count`). nil when neither is set.
    public static func fromEnvironment(_ environment: [String: String], count given: Int?) throws(VQError) -> Shard? {
        let index: Int, count: Int?
        if let id = environment["SLURM_ARRAY_TASK_ID"].flatMap({ Int($0) }) {
            index = id - (environment["SLURM_ARRAY_TASK_MIN"].flatMap { Int($0) } ?? 0)
            count = given ?? environment["SLURM_ARRAY_TASK_COUNT"].flatMap { Int($0) }
        } else if let id = environment["JOB_COMPLETION_INDEX"].flatMap({ Int($0) }) {
            index = id
            count = given
        } else {
            return nil
        }
        guard let count else {
            throw VQError(.usage, "a job array index is set but not the number of shards; give --shard-count N (or --shard K/N)")
        }
        guard count > 0, (0..<count).contains(index) else {
            throw VQError(.usage, "job array index \(index) is not below the shard count \(count)")
        }
        return Shard(index: index, count: count)
    }

    public func contains(_ path: String) -> Bool { Int(Self.fnv1a(path) % UInt64(count)) == index }

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
