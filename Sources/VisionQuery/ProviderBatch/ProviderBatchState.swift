import Foundation

/// What survives the client: the jobs of one provider batch, their ids as each step completes, and which image each
/// `custom_id` stands for. Kept beside `--out` as `OUT.vq-batch`, replaced atomically after every step, removed
/// once every result is written.
public struct ProviderBatchState: Codable, Sendable, Equatable {
    public var version = 1
    public var api: String
    public var profile: String
    public var jobs: [Job]

    /// One submitted (or to be submitted) job: its input file and the requests in it.
    public struct Job: Codable, Sendable, Equatable {
        /// The input file on disk (`OUT.vq-batch-N`).
        public var input: String
        public var bytes: Int
        public var items: [Item]
        public var inputFileID: String?
        public var batchID: String?
        /// Every result of this job is in `--out`.
        public var written = false
    }

    /// One request: its `custom_id` and the image it asks about.
    public struct Item: Codable, Sendable, Equatable {
        public var id: String
        public var image: String
        public var key: String?
    }

    /// `OUT.vq-batch`.
    public static func path(besides out: String) -> String { out + ".vq-batch" }

    public static func load(besides out: String) throws(VQError) -> ProviderBatchState? {
        let path = path(besides: out)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do {
            return try JSONDecoder().decode(ProviderBatchState.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw VQError(.badInput, "\(path): provider batch state is unreadable (\(error.localizedDescription)); move it away to start over")
        }
    }

    public func save(besides out: String) throws(VQError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        guard let data = try? encoder.encode(self) else { preconditionFailure("state does not encode") }
        try AtomicFile.replace(Self.path(besides: out), with: data)
    }

    /// Removes the state and the input files (every result is written).
    public func remove(besides out: String) {
        for job in jobs { unlink(job.input) }
        unlink(Self.path(besides: out))
    }
}
