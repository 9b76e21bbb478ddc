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
        /// Random, chosen when the job is built: names its upload (`vq-NONCE.jsonl`) and tags the job's metadata, so an
        /// interrupted submission finds what it left at the provider for certain.
        public var nonce: String?
        /// Recorded before the upload starts and before the create request, so a resume knows it must look for an
        /// orphan file or a job created without vq hearing its id.
        public var uploadStarted: Bool?
        public var createStarted: Bool?
        /// The provider's creation time of the uploaded input (seconds): no job older than it can be this one.
        public var inputFileCreatedAt: Int?
        /// The files vq uploaded or its job produced have been deleted at the provider.
        public var filesDeleted: Bool?
        /// Estimated input tokens of its requests (what it adds to the provider's queue).
        public var tokens: Int?

        public init(input: String, bytes: Int, items: [Item], nonce: String? = nil) {
            self.input = input
            self.bytes = bytes
            self.items = items
            self.nonce = nonce
        }

        /// The name vq gives the job's upload: found again by it after an interruption.
        public var uploadName: String? { nonce.map { "vq-\($0).jsonl" } }
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
