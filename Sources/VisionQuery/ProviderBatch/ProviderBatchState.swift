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

    /// The input file vq writes for job `index`: `OUT.vq-batch-N`.
    public static func inputPath(besides out: String, job index: Int) -> String { path(besides: out) + "-\(index)" }

    /// The state beside `out`, nil when there is none. The state names files vq uploads and then deletes, so a job
    /// whose input is not the file vq itself writes beside `out` (an edited or planted state) is refused.
    public static func load(besides out: String) throws(VQError) -> ProviderBatchState? {
        let path = path(besides: out)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        var state: ProviderBatchState
        do {
            state = try JSONDecoder().decode(ProviderBatchState.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw VQError(.badInput, "\(path): provider batch state is unreadable (\(error.localizedDescription)); move it away to start over")
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
        return state
    }

    private static func samePath(_ a: String, _ b: String) -> Bool {
        URL(fileURLWithPath: a).standardizedFileURL.path == URL(fileURLWithPath: b).standardizedFileURL.path
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
