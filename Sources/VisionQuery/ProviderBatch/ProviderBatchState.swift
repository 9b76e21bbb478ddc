import FoundationEssentials
import Glibc
import Platform

/// What survives the client: the jobs of one provider batch, their ids as each step completes, and which image each
/// `custom_id` stands for. Kept beside `--out`: the jobs' progress in `OUT.vq-batch`, small and replaced atomically
/// after every step; each job's items (its `custom_id`s and images, the bulk) in `OUT.vq-batch-N.items`, written once
/// before anything is submitted. So a step writes what changed, not every item again. Removed once every result is
/// written.
public struct ProviderBatchState: Codable, Sendable, Equatable {
    public var version = 1
    public var api: String
    public var profile: String
    public var jobs: [Job]
    /// The command whose `--resume` writes the results (`vq gen` for a prompt list); nil: `vq batch`.
    public var command: String?

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
        /// When vq sent the create request (seconds since 1970, this machine's clock).
        public var createStartedAt: Double?
        /// The provider's creation time of the uploaded input (seconds): no job older than it can be this one.
        public var inputFileCreatedAt: Int?
        /// The files vq uploaded or its job produced have been deleted at the provider.
        public var filesDeleted: Bool?
        /// Estimated input tokens of its requests (what it adds to the provider's queue).
        public var tokens: Int?
        /// `vq batch cancel` came while the job waited for room in the queue: it is never submitted.
        public var cancelledBeforeSubmission: Bool?
        /// Where its requests go when not where the api's go (`ProviderBatchAPI.route(of:)`): `/v1/images/edits`, a
        /// Gemini image model.
        public var route: String?

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

    /// The file of a job's items, beside its input file.
    public static func itemsPath(of job: Job) -> String { job.input + ".items" }

    /// The input file vq writes for job `index`: `OUT.vq-batch-N`.
    public static func inputPath(besides out: String, job index: Int) -> String { path(besides: out) + "-\(index)" }

    /// The state beside `out` with each job's items (one pass over each file), nil when there is none. The state
    /// names files vq uploads and then deletes, so a job whose input is not the file vq itself writes beside `out`
    /// (an edited or planted state) is refused.
    public static func load(besides out: String) throws(VQError) -> ProviderBatchState? {
        let path = path(besides: out)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        var state: ProviderBatchState
        do {
            state = try JSONDecoder().decode(ProviderBatchState.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw VQError(.badInput, "\(path): provider batch state is unreadable (\(ErrorDescription.reason(error))); move it away to start over")
        }
        for index in state.jobs.indices {
            let expected = inputPath(besides: out, job: index)
            guard Self.samePath(state.jobs[index].input, expected) else {
                throw VQError(
                    .badInput,
                    "\(path): job \(index + 1) names the input file '\(state.jobs[index].input)', not \(expected) that vq writes; vq only uploads and deletes its own files, so move the state away to start over"
                )
            }
            state.jobs[index].input = expected
        }
        for index in state.jobs.indices where state.jobs[index].items.isEmpty {  // a state written before items had their own file keeps them inline
            let itemsPath = itemsPath(of: state.jobs[index])
            do {
                state.jobs[index].items = try JSONDecoder().decode([Item].self, from: Data(contentsOf: URL(fileURLWithPath: itemsPath)))
            } catch {
                throw VQError(
                    .badInput, "\(itemsPath): provider batch items are unreadable (\(ErrorDescription.reason(error))); move \(path) away to start over")
            }
        }
        return state
    }

    private static func samePath(_ a: String, _ b: String) -> Bool {
        URL(fileURLWithPath: a).standardizedFileURL.path == URL(fileURLWithPath: b).standardizedFileURL.path
    }

    /// Replaces the state file with the jobs' progress (not their items: see `saveItems`).
    public func save(besides out: String) throws(VQError) {
        var header = self
        for index in header.jobs.indices { header.jobs[index].items = [] }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(header) else { preconditionFailure("state does not encode") }
        try AtomicFile.replace(Self.path(besides: out), with: data)
    }

    /// Writes each job's items to its own file, once, before the state first names them.
    public func saveItems() throws(VQError) {
        for job in jobs {
            guard let data = try? JSONEncoder().encode(job.items) else { preconditionFailure("items do not encode") }
            try AtomicFile.replace(Self.itemsPath(of: job), with: data)
        }
    }

    /// Removes the state, then the input and items files (every result is written).
    public func remove(besides out: String) {
        unlink(Self.path(besides: out))
        for job in jobs {
            unlink(job.input)
            unlink(Self.itemsPath(of: job))
        }
    }
}
