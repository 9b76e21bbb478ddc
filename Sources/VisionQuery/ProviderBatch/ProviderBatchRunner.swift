import Foundation
import Imaging
import Transport

/// `vq batch --provider-batch`: prepares every image as a normal batch does, writes the provider's input files,
/// records the job in the state file before anything is submitted, submits, polls until every job has ended, and
/// turns each `custom_id`'s result into the same batch line a normal batch writes.
public struct ProviderBatchRunner {
    public let session: QuerySession
    public let api: any ProviderBatchAPI
    /// Retrying client for the batch API's calls.
    public let client: HTTPClient
    /// The `--out` file the state and input files sit beside.
    public let out: String
    /// Where images the model returns are saved (`-o`).
    public var outputDirectory: String? = nil
    public var onProgress: (String) -> Void = { _ in }
    public var onNotice: (String) -> Void = { _ in }
    /// Waits between polls; injectable so tests need not sleep.
    public var sleep: (Double) -> Void = { Thread.sleep(forTimeInterval: $0) }

    public init(session: QuerySession, api: any ProviderBatchAPI, client: HTTPClient, out: String) {
        self.session = session
        self.api = api
        self.client = client
        self.out = out
    }

    private var context: ExchangeContext { session.context(client: client) }

    /// Prepares the images on `workers` threads and streams each request into the input files (or, `measuring`,
    /// only counts them). Images that cannot be prepared reach `deliver` at once, as failed lines.
    public func build(
        _ images: [String], key: @escaping @Sendable (String) -> String?, template: Query,
        load: @escaping @Sendable (String) -> Result<Input, VQError>, workers: Int, measuring: Bool = false,
        deliver: @escaping @Sendable (BatchResult) -> Void
    ) throws(VQError) -> (state: ProviderBatchState, tokens: Int) {
        let collector = InputCollector(writer: BatchInputWriter(api: api, base: ProviderBatchState.path(besides: out), measuring: measuring))
        let session = self.session
        let runner = BatchRunner(jobs: 1, preparationWorkers: workers, prepare: load) { inputs in
            inputs.compactMap { input in
                var query = template
                query.parts = input.parts
                do throws(VQError) {
                    try collector.append(
                        image: input.source, key: key(input.source), request: session.request(for: query),
                        tokens: TokenEstimate(session: session, query: query).total)
                    return nil
                } catch {
                    var result = BatchResult(image: input.source)
                    result.key = key(input.source)
                    result.error = error
                    return result
                }
            }
        }
        runner.run(images.map { [$0] }) { result in
            var result = result
            result.key = key(result.image)
            deliver(result)
        }
        let state = ProviderBatchState(api: session.profile.api.rawValue, profile: session.profile.name, jobs: try collector.finish())
        return (state, collector.tokens)
    }

    /// Submits every job not yet created, saving the state after each step.
    public func submit(_ state: inout ProviderBatchState) throws(VQError) {
        for index in state.jobs.indices where state.jobs[index].batchID == nil {
            var job = state.jobs[index]
            var current = state
            try api.submit(&job, context: context) { (saved) throws(VQError) in
                current.jobs[index] = saved
                try current.save(besides: out)
            }
            state = current
            state.jobs[index] = job
            onNotice("submitted \(api.name) \(job.batchID ?? "?") with \(job.items.count) request(s)")
        }
    }

    /// Polls until every job has ended, delivering each job's results as it ends; removes the state when all are written.
    /// `writable` turns false when the output failed: the job is then not marked written, so `--resume` writes it.
    public func wait(
        _ state: inout ProviderBatchState, answered: AnsweredImages, writable: () -> Bool = { true },
        deliver: (BatchResult) -> Void
    ) throws(VQError) {
        var schedule = PollSchedule(initial: session.profile.pollInterval, cap: 60)
        let started = Date()
        while true {
            var pending: [String] = []
            var done = 0
            var total = 0
            for index in state.jobs.indices where !state.jobs[index].written {
                let job = state.jobs[index]
                let status = try api.status(of: job, context: context)
                if status.finished {
                    try deliverResults(of: job, status: status, answered: answered, deliver: deliver)
                    guard writable() else { return }
                    state.jobs[index].written = true
                    try state.save(besides: out)
                } else {
                    pending.append(status.state)
                    done += status.done + status.failed
                    total += status.total ?? job.items.count
                }
            }
            if pending.isEmpty { break }
            let elapsed = Date().timeIntervalSince(started)
            let eta = done > 0 && elapsed > 0 ? String(format: ", ETA %.0f s", elapsed / Double(done) * Double(total - done)) : ""
            onProgress("\(api.name): \(Set(pending).sorted().joined(separator: "/")) \(Self.count(done))/\(Self.count(total))\(eta)")
            sleep(schedule.next())
        }
        state.remove(besides: out)
    }

    /// Each job's provider-side status, for `vq batch status`.
    public func statuses(_ state: ProviderBatchState) throws(VQError) -> [(job: ProviderBatchState.Job, status: ProviderBatchStatus?)] {
        var list: [(job: ProviderBatchState.Job, status: ProviderBatchStatus?)] = []
        for job in state.jobs {
            list.append((job, job.batchID == nil ? nil : try api.status(of: job, context: context)))
        }
        return list
    }

    /// Cancels every job that is not finished.
    public func cancel(_ state: ProviderBatchState) throws(VQError) {
        for job in state.jobs where !job.written && job.batchID != nil { try api.cancel(job, context: context) }
    }

    private func deliverResults(
        of job: ProviderBatchState.Job, status: ProviderBatchStatus, answered: AnsweredImages,
        deliver: (BatchResult) -> Void
    ) throws(VQError) {
        let items = Dictionary(job.items.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var seen: Set<String> = []
        // A failed job may still carry an error file with each request's reason: read it rather than hide them all.
        if status.failure == nil || !status.resultLocations.isEmpty {
            try api.results(of: job, status: status, context: context) { id, outcome in
                guard let item = items[id], seen.insert(id).inserted else { return }
                if answered.contains(BatchItem(path: item.image, key: item.key ?? item.image, identity: CanonicalInput.identity(item.image))) { return }
                deliver(result(for: item, outcome: outcome, job: job))
            }
        }
        for item in job.items where !seen.contains(item.id) {
            var result = BatchResult(image: item.image)
            result.key = item.key
            result.attempts = 1
            result.error = VQError(
                .unavailable,
                "\(item.image): no result in \(api.name) \(job.batchID ?? "") (\(status.failure ?? "it ended \(status.state)")); --resume submits it again")
            deliver(result)
        }
    }

    /// One request's result as a batch line: the answer decoded as the synchronous API's, or the job's error.
    private func result(for item: ProviderBatchState.Item, outcome: ProviderBatchItemResult, job: ProviderBatchState.Job) -> BatchResult {
        var result = BatchResult(image: item.image)
        result.key = item.key
        result.profile = session.profile.name
        result.attempts = 1
        switch outcome {
        case .failed(let reason):
            result.error = VQError(.unavailable, "\(item.image): failed in \(api.name) \(job.batchID ?? ""): \(reason)")
        case .response(let status, let body) where !(200..<300).contains(status):
            result.error = session.provider.failure(status: status, body: body, headers: ["content-type": "application/json"])
        case .response(_, let body):
            let saved = ReturnedImageCollector(
                saver: ImageSaver(directory: outputDirectory ?? ".", maxImages: session.profile.limits.maxSavedImages), report: onNotice)
            var text = ""
            for event in session.provider.decodeResponse(body) {
                switch event {
                case .text(let piece): text += piece
                case .model(let model): result.model = model
                case .usage(let usage): result.usage = result.usage.map { $0.merged(with: usage) } ?? usage
                case .image(let image): saved.receive(image: image)
                case .serviceError(let message), .malformed(let message):
                    result.error = VQError(.unavailable, "\(session.profile.name) reported an error: \(message)")
                case .refusal(let message): result.error = VQError(.refused, "\(session.profile.name) refused: \(message)")
                case .finish(let reason): result.finishReason = reason
                case .done: break
                }
            }
            if result.error == nil {
                result.output = saved.replaceDataURLs(in: text)
                result.savedImages = saved.paths
            }
        }
        return result
    }

    /// "1,204".
    static func count(_ value: Int) -> String {
        let formatter = NumberFormatter()
        formatter.numberStyle = .decimal
        formatter.locale = Locale(identifier: "en_US")
        return formatter.string(from: NSNumber(value: value)) ?? String(value)
    }
}

/// The input writer shared by the preparation threads, one request at a time.
private final class InputCollector: @unchecked Sendable {
    private let lock = NSLock()
    private let writer: BatchInputWriter
    private(set) var tokens = 0
    private var next = 0

    init(writer: BatchInputWriter) { self.writer = writer }

    func append(image: String, key: String?, request: HTTPRequest, tokens estimate: Int) throws(VQError) {
        lock.lock()
        defer { lock.unlock() }
        try writer.append(customID: "vq-\(next)", image: image, key: key, request: request)
        next += 1
        tokens += estimate
    }

    func finish() throws(VQError) -> [ProviderBatchState.Job] {
        lock.lock()
        defer { lock.unlock() }
        return try writer.finish()
    }
}
