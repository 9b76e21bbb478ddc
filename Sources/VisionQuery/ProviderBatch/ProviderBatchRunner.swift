import FoundationEssentials
import Imaging
import Platform
import TextFormatting
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
    /// The batch's sender: each item's query (a prompt list's own prompt) and where its images go, so a result is
    /// saved and written as the direct route writes it.
    public var sender: BatchRequestSender? = nil
    public var onProgress: (String) -> Void = { _ in }
    public var onNotice: (String) -> Void = { _ in }
    /// `--keep-files`: leave the uploaded input and the result files at the provider.
    public var keepFiles = false
    /// Waits between polls; injectable so tests need not sleep.
    public var sleep: (Double) -> Void = { BackgroundThread.sleep(seconds: $0) }

    public init(session: QuerySession, api: any ProviderBatchAPI, client: HTTPClient, out: String) {
        self.session = session
        self.api = api
        self.client = client
        self.out = out
    }

    private var context: ExchangeContext { session.context(client: client) }

    /// Prepares the images on `workers` threads and streams each request into the input files (or, `measuring`,
    /// only counts them, and `showLine` hears each line with its images elided). `query` makes an item's query from
    /// its input, as the direct route would send it. Images that cannot be prepared reach `deliver` at once, as
    /// failed lines. Returns the state, the estimated input tokens and the estimated cost at batch rates.
    public func build(
        _ images: [String], key: @escaping @Sendable (String) -> String?, query: @escaping @Sendable (Input) throws(VQError) -> Query,
        load: @escaping @Sendable (String) -> Result<Input, VQError>, workers: Int, measuring: Bool = false,
        showLine: (@Sendable (String) -> Void)? = nil, deliver: @escaping @Sendable (BatchResult) -> Void
    ) throws(VQError) -> (state: ProviderBatchState, tokens: Int, cost: Cost) {
        let writer = BatchInputWriter(api: api, base: ProviderBatchState.path(besides: out), measuring: measuring)
        if let showLine { writer.onLine = { parts in showLine(String(decoding: DryRunRenderer.elided(parts), as: UTF8.self)) } }
        let collector = InputCollector(writer: writer)
        let session = self.session
        let runner = BatchRunner(jobs: 1, preparationWorkers: workers, prepare: load) { inputs in
            inputs.compactMap { input in
                do throws(VQError) {
                    var query = try query(input)
                    query.jsonBodyOnly = true  // a line of the input file
                    if session.provider.uploadsFirst(query) {
                        throw VQError(
                            .badInput,
                            "\(input.source): over profile '\(session.profile.name)''s inline cap; a provider batch cannot send media through the Files API: run without --provider-batch"
                        )
                    }
                    let tokens = TokenEstimate(session: session, query: query)
                    let cost = session.costCounter.estimate(
                        tokens, outputTokens: query.maxTokens, model: query.model.isEmpty ? nil : query.model, providerBatch: true,
                        images: ImagePriceKey(query: query))
                    try collector.append(
                        image: input.source, key: key(input.source), request: session.request(for: query), tokens: tokens, cost: cost, model: query.model)
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
        var state = ProviderBatchState(api: session.profile.api.rawValue, profile: session.profile.name, jobs: try collector.finish())
        if sender?.promptedItems.isEmpty == false { state.command = "vq gen" }
        return (state, collector.totals.values.tokens, collector.totals.cost)
    }

    /// Submits the jobs not yet created, in order, as far as the enqueued-token budget allows (the estimated input
    /// tokens of submitted jobs that have not ended); saves the state after each step. The rest wait for `wait`,
    /// which submits the next as each job ends.
    public func submit(_ state: inout ProviderBatchState) throws(VQError) {
        var enqueued = state.jobs.filter { $0.batchID != nil && !$0.written }.reduce(0) { $0 + ($1.tokens ?? 0) }
        for index in state.jobs.indices where state.jobs[index].batchID == nil && state.jobs[index].cancelledBeforeSubmission != true {
            let tokens = state.jobs[index].tokens ?? 0
            // A job whose submission began (an interruption mid-way) is finished first: it may exist already.
            if let budget = api.limits.enqueuedTokens, enqueued + tokens > budget, state.jobs[index].uploadStarted != true { break }
            enqueued += tokens
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
        // Jobs written by an earlier run that was interrupted before it deleted their files.
        for index in state.jobs.indices where state.jobs[index].written && state.jobs[index].filesDeleted != true && !keepFiles {
            try deleteFiles(of: index, in: &state, status: try api.status(of: state.jobs[index], context: context))
        }
        while true {
            var pending: [String] = []
            var done = 0
            var total = 0
            var submittedMore = false
            for index in state.jobs.indices where !state.jobs[index].written {
                let job = state.jobs[index]
                if job.cancelledBeforeSubmission == true {
                    for item in job.items {
                        var result = BatchResult(image: item.image)
                        result.key = item.key
                        result.error = VQError(.unavailable, "\(item.image): cancelled before its job was submitted; --resume --retry-failed submits it")
                        deliver(result)
                    }
                    guard writable() else { return }
                    state.jobs[index].written = true
                    try state.save(besides: out)
                    continue
                }
                guard job.batchID != nil else {
                    pending.append("waiting")
                    total += job.items.count
                    continue
                }
                let status = try api.status(of: job, context: context)
                if status.finished {
                    try deliverResults(of: job, status: status, answered: answered, deliver: deliver)
                    guard writable() else { return }
                    state.jobs[index].written = true
                    try state.save(besides: out)
                    try deleteFiles(of: index, in: &state, status: status)
                    submittedMore = true
                } else {
                    pending.append(status.state)
                    done += status.done + status.failed
                    total += status.total ?? job.items.count
                }
            }
            if pending.isEmpty { break }
            let inFlight = state.jobs.contains { $0.batchID != nil && !$0.written }
            let waiting = state.jobs.contains { $0.batchID == nil && !$0.written }
            if waiting && (submittedMore || !inFlight) {
                try submit(&state)  // room in the provider's queue: the next jobs go in
                continue
            }
            let elapsed = Date().timeIntervalSince(started)
            let eta = done > 0 && elapsed > 0 ? ", ETA \(DecimalText.fixed(elapsed / Double(done) * Double(total - done), places: 0)) s" : ""
            onProgress("\(api.name): \(Set(pending).sorted().joined(separator: "/")) \(Self.count(done))/\(Self.count(total))\(eta)")
            sleep(schedule.next())
        }
        state.remove(besides: out)
    }

    /// Deletes the files of a written job at the provider (unless `keepFiles`); a failure is a warning, since the
    /// results are safe and `--resume` tries again.
    private func deleteFiles(of index: Int, in state: inout ProviderBatchState, status: ProviderBatchStatus) throws(VQError) {
        guard !keepFiles, state.jobs[index].filesDeleted != true else { return }
        do {
            _ = try api.deleteFiles(of: state.jobs[index], status: status, context: context)
        } catch {
            onNotice("warning: could not delete the files of \(api.name) \(state.jobs[index].batchID ?? ""): \(error.message)")
            return
        }
        state.jobs[index].filesDeleted = true
        try state.save(besides: out)
    }

    /// Each job's provider-side status, for `vq batch status`.
    public func statuses(_ state: ProviderBatchState) throws(VQError) -> [(job: ProviderBatchState.Job, status: ProviderBatchStatus?)] {
        var list: [(job: ProviderBatchState.Job, status: ProviderBatchStatus?)] = []
        for job in state.jobs {
            list.append((job, job.batchID == nil ? nil : try api.status(of: job, context: context)))
        }
        return list
    }

    /// Cancels every job that has not ended, and marks those still waiting for room in the queue never to be
    /// submitted; returns the ids cancelled, those that had ended already (the provider refuses to cancel them; their
    /// results wait for `--resume`) and how many were waiting.
    public func cancel(_ state: inout ProviderBatchState) throws(VQError) -> (cancelled: [String], ended: [String], waiting: Int) {
        var cancelled: [String] = []
        var ended: [String] = []
        let waiting = state.jobs.indices.filter { !state.jobs[$0].written && state.jobs[$0].batchID == nil }
        for index in waiting { state.jobs[index].cancelledBeforeSubmission = true }
        if !waiting.isEmpty { try state.save(besides: out) }
        for job in state.jobs where !job.written {
            guard let id = job.batchID else { continue }
            if try api.status(of: job, context: context).finished {
                ended.append(id)
            } else {
                try api.cancel(job, context: context)
                cancelled.append(id)
            }
        }
        return (cancelled, ended, waiting.count)
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
                "\(item.image): no result in \(api.name) \(job.batchID ?? "") (\(status.failure ?? "it ended \(status.state)")); --resume --retry-failed submits it again"
            )
            deliver(result)
        }
    }

    /// One request's result as a batch line: the answer decoded as the synchronous API's (its images saved and
    /// described as the direct route does), or the job's error.
    private func result(for item: ProviderBatchState.Item, outcome: ProviderBatchItemResult, job: ProviderBatchState.Job) -> BatchResult {
        var result = BatchResult(image: item.image)
        result.key = item.key
        result.profile = session.profile.name
        result.attempts = 1
        let input = Input(source: item.image, medium: .image, parts: [])
        let query = sender?.query(for: [input]) ?? session.query(prompt: "", stream: false)
        let images = BatchItemImages(
            query: query, item: sender?.item(for: [input]), session: session, directory: outputDirectory ?? sender?.outputDirectory, report: onNotice)
        images.describe(&result)
        switch outcome {
        case .failed(let reason):
            result.error = VQError(.unavailable, "\(item.image): failed in \(api.name) \(job.batchID ?? ""): \(reason)")
        case .response(let status, let body) where !(200..<300).contains(status):
            result.error = session.provider.failure(status: status, body: body, headers: ["content-type": "application/json"])
        case .response(_, let body):
            let saved = images.collector
            var text = ""
            for event in session.provider.decodeResponse(body) {
                switch event {
                case .text(let piece): text += piece
                case .model(let model): result.model = model
                case .usage(let usage): result.usage = result.usage.map { $0.merged(with: usage) } ?? usage
                case .image(let image): saved.receive(image: image)
                case .revisedPrompt(let prompt): saved.receive(revisedPrompt: prompt)
                case .serviceError(let message), .malformed(let message):
                    result.error = VQError(.unavailable, "\(session.profile.name) reported an error: \(message)")
                case .refusal(let message): result.error = VQError(.refused, "\(session.profile.name) refused: \(message)")
                case .finish(let reason): result.finishReason = reason
                case .done, .partialImage: break
                }
            }
            if result.error == nil {
                result.output = saved.replaceDataURLs(in: text)
                do throws(VQError) { try images.checkSaved(query, profile: session.profile.name) } catch { result.error = error }
                images.record(&result)
            }
            if result.model == nil, query.generation != nil, !query.model.isEmpty { result.model = query.model }
            // Billed at the service's batch rates (half price on all three); a generation's images at their per-image price;
            // priced as the model the item asked for when the service names none.
            result.cost = session.costCounter.asking(query.model).cost(
                usage: result.usage, model: result.model, returnedImages: saved.paths.count, providerBatch: true, images: ImagePriceKey(query: query))
        }
        return result
    }

    /// "1,204".
    static func count(_ value: Int) -> String { DecimalText.grouped(value) }
}

/// The input writer shared by the preparation threads, one request at a time, with the totals of what it wrote.
private final class InputCollector: @unchecked Sendable {
    private let lock = Lock()
    private let writer: BatchInputWriter
    let totals = DryRunTotals()
    private var next = 0
    /// Random per build: `custom_id`s (`vq-RUN-N`) are this run's, so results of another run's job never match them.
    private let run = String(UInt32.random(in: .min ... .max), radix: 36)

    init(writer: BatchInputWriter) { self.writer = writer }

    func append(image: String, key: String?, request: HTTPRequest, tokens estimate: TokenEstimate, cost: Cost, model: String) throws(VQError) {
        lock.lock()
        defer { lock.unlock() }
        try writer.append(customID: "vq-\(run)-\(next)", image: image, key: key, request: request, tokens: estimate.total, model: model)
        next += 1
        totals.add(requestBytes: request.bodyLength, tokens: estimate, cost: cost)
    }

    func finish() throws(VQError) -> [ProviderBatchState.Job] {
        lock.lock()
        defer { lock.unlock() }
        return try writer.finish()
    }
}
