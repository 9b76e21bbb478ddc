import FoundationEssentials
import TextFormatting
import Transport
import VisionQuery

/// `vq batch --provider-batch`, `vq gen --prompts FILE --provider-batch` and `vq batch status|cancel --out FILE`: wires
/// the provider batch runner to the console, the locked `--out` file and the state file beside it.
struct ProviderBatchCommand {
    let options: BatchOptions
    let session: QuerySession
    let console: Console

    private var out: String { options.outFile ?? "vq-batch.jsonl" }

    private func runner() throws(VQError) -> ProviderBatchRunner {
        guard let api = session.provider.batchAPI else {
            let apis = ProviderBatchSupport.apis.map(\.rawValue).joined(separator: ", ")
            throw VQError(
                .usage, "profile '\(session.profile.name)' (\(session.profile.api.rawValue)) has no batch API; '--provider-batch' works with api \(apis)")
        }
        var runner = ProviderBatchRunner(
            session: session, api: api, client: session.retrying(CurlHTTPClient()) { [console] in console.debug($0) },
            out: out)
        runner.outputDirectory = options.query.outputDirectory
        runner.keepFiles = options.keepFiles
        runner.onProgress = { [console] line in console.progress(line) }
        runner.onNotice = { [console] line in console.notice(line) }
        return runner
    }

    /// Prepares, submits (unless the state file says it was), waits and writes every result line.
    func run(_ plan: BatchPlan, batch: BatchRun) throws(VQError) -> Int32 {
        let (images, selection, answered, skipped, csv) = (plan.images, plan.selection, plan.answered, plan.skipped, plan.csv)
        var runner = try runner()
        let (load, sender) = batch.routes(for: plan)
        runner.sender = sender
        let writer = BatchLineWriter(console: console, file: plan.output)
        if let csvHeader = plan.csvHeader, !options.query.dryRun, !writer.write(csvHeader) {
            throw VQError(.cannotCreate, "\(writer.path ?? "stdout"): cannot write the CSV header")
        }
        let finisher = plan.finisher(schema: session.schema)
        let tally = BatchTally(total: images.count)
        let dryRun = options.query.dryRun
        // The job's results stay with the provider (and the state file) when they cannot be written: the first
        // failure stops the writing, and `--resume` writes them later.
        let writeFailure = BatchEarlyStop { _ in }
        let deliver: @Sendable (BatchResult) -> Void = { [console] result in
            let result = finisher.finish(result)
            guard !writeFailure.stoppedByCaller else { return }
            if !dryRun && !writer.write(csv?.row(for: result) ?? result.jsonLine()) {
                writeFailure.stop(
                    because: VQError(
                        .cannotCreate,
                        "\(writer.path ?? "standard output"): cannot write: \(ErrnoText.current); the results stay with the provider, and --resume writes them")
                )
                return
            }
            if let error = result.error { console.warning(error.message.hasPrefix(result.image) ? error.message : "\(result.image): \(error.message)") }
            _ = tally.record(result)
        }
        var state: ProviderBatchState
        if let existing = try ProviderBatchState.load(besides: out) {
            guard options.resume else {
                throw VQError(
                    .usage,
                    "a provider batch for \(out) is under way (\(ProviderBatchState.path(besides: out))): add --resume to wait for it, or run: vq batch cancel --out \(out)"
                )
            }
            guard existing.profile == session.profile.name else {
                throw VQError(.usage, "the provider batch for \(out) was submitted with profile '\(existing.profile)'; resume it with -p \(existing.profile)")
            }
            state = existing
            console.notice("resuming \(runner.api.name) for \(out): \(state.jobs.count) job(s), \(state.jobs.reduce(0) { $0 + $1.items.count }) request(s)")
        } else {
            let key: @Sendable (String) -> String? = { selection.key(for: $0) }
            let query: @Sendable (Input) throws(VQError) -> Query = { (input) throws(VQError) in try sender.preparedQuery(for: [input]) }
            let show: @Sendable (String) -> Void = { [console] line in _ = console.out(line + "\n") }
            let showLine = dryRun ? show : nil
            let built = try runner.build(
                images, key: key, query: query, load: load, workers: batch.workers, measuring: dryRun, showLine: showLine, deliver: deliver)
            state = built.state
            let (tokens, perRequest) = (built.tokens, built.cost)
            let requests = state.jobs.reduce(0) { $0 + $1.items.count }
            let template = sender.template
            let model = template.model.isEmpty ? nil : template.model
            let maxTokens = template.maxTokens
            // A generation's images have their own prices (per item, as each asks); a question's output is bounded by --max-tokens.
            let imageKey = ImagePriceKey(query: template)
            let imagesPriced = imageKey.flatMap { session.costCounter.quote(model: model)?.price.imagePrice($0) } != nil
            let estimate =
                imageKey != nil
                ? perRequest
                : session.costCounter.estimate(promptTokens: tokens, completionTokens: (maxTokens ?? 0) * requests, model: model, providerBatch: true)
            if dryRun {
                console.notice(
                    CostCounter.estimateLine(
                        estimate, outputTokens: maxTokens.map { $0 * requests }, what: " (batch rates)",
                        images: session.costCounter.imageNote(imageKey, model: model).map { imagesPriced ? $0 + " before the batch discount" : $0 }))
                return self.dryRun(state, runner: runner, tokens: tokens, failed: tally.failed)
            }
            // A provider batch is paid for whole once submitted: it goes only when its estimate fits the budget.
            if let limit = options.settings.maxCost, let usd = estimate.usd, usd > limit {
                state.remove(besides: out)  // the input files written for it
                let counted = imagesPriced ? "input and images" : maxTokens == nil ? "input only" : "input and --max-tokens output"
                console.error(
                    "the job's estimated cost \(estimate.text) at batch rates (\(counted)) exceeds --max-cost \(Cost.dollars(limit)); nothing submitted")
                return ExitCode.partialFailure.rawValue
            }
            guard !state.jobs.isEmpty else {
                console.notice(tally.summary(skipped: skipped + ["nothing to submit"]))
                return tally.failed > 0 ? ExitCode.partialFailure.rawValue : ExitCode.success.rawValue
            }
            try state.saveItems()
            try state.save(besides: out)  // before anything is submitted: an interruption from here on resumes
        }
        do throws(VQError) {
            try runner.submit(&state)
        } catch {
            throw Self.submissionFailed(error, state: state, out: out, profile: session.profile)
        }
        if options.detach {
            let waiting = state.jobs.filter { $0.batchID == nil }.count
            if waiting > 0 {
                console.notice(
                    "\(waiting) of \(state.jobs.count) job(s) wait for room under batch_max_enqueued_tokens: --resume submits each as an earlier one ends")
            }
            console.notice("detached; results go to \(out) when you run the same command with --resume (or see: vq batch status --out \(out))")
            return ExitCode.success.rawValue
        }
        if let failure = writeFailure.stopReason { throw failure }
        try runner.wait(&state, answered: answered, writable: { !writeFailure.stoppedByCaller }, deliver: { deliver($0) })
        if let failure = writeFailure.stopReason { throw failure }
        console.endProgress()
        console.notice(tally.summary(skipped: skipped))
        return tally.failed > 0 ? ExitCode.partialFailure.rawValue : ExitCode.success.rawValue
    }

    /// `--dry-run --provider-batch`: the jobs, requests, bytes and estimated input tokens, nothing written or sent.
    private func dryRun(_ state: ProviderBatchState, runner: ProviderBatchRunner, tokens: Int, failed: Int) -> Int32 {
        let requests = state.jobs.reduce(0) { $0 + $1.items.count }
        let bytes = state.jobs.reduce(0) { $0 + $1.bytes }
        console.notice(
            "dry run: \(runner.api.name): \(state.jobs.count) job(s), \(requests) request(s), \(ByteCountText.format(bytes)) of input, "
                + "~\(tokens) input tokens estimated; \(failed) could not be prepared; nothing sent")
        return failed > 0 ? ExitCode.partialFailure.rawValue : ExitCode.success.rawValue
    }

    /// `vq batch status|cancel --out FILE`.
    func act(_ action: BatchOptions.ProviderBatchAction) throws(VQError) -> Int32 {
        guard let state = try ProviderBatchState.load(besides: out) else {
            preconditionFailure("BatchCommand checks that a provider batch is under way before acting on it")
        }
        let runner = try runner()
        switch action {
        case .status:
            let statuses = try runner.statuses(state)
            for (job, status) in statuses {
                let id = job.batchID ?? "not submitted yet"
                let line: String
                if let status {
                    line =
                        "\(id): \(status.state) \(status.done + status.failed)/\(status.total ?? job.items.count) (\(status.failed) failed)"
                        + (job.written ? ", results written" : "")
                } else {
                    line = "\(id): \(job.items.count) request(s) in \(job.input)"
                }
                console.out(line + "\n")
            }
            console.notice(Self.nextStep(statuses.map { ($0.job, $0.status?.finished ?? false) }, out: out, command: state.command ?? "vq batch"))
        case .cancel:
            var state = state
            let (cancelled, ended, waiting) = try runner.cancel(&state)
            if waiting > 0 { console.notice("\(waiting) job(s) waiting for room in the queue will not be submitted") }
            if !ended.isEmpty {
                console.notice(
                    "\(ended.joined(separator: ", ")) already finished, so there is nothing to cancel; the same batch command with --resume writes the results to \(out)"
                )
            }
            if !cancelled.isEmpty {
                console.notice("cancel requested for \(cancelled.count) job(s); run the same command with --resume to write what finished")
            } else if ended.isEmpty && waiting == 0 {
                console.notice("nothing to cancel: no job is running for \(out)")
            }
        }
        return ExitCode.success.rawValue
    }

    /// What `vq batch status` suggests doing next, from each job and whether it has ended; `command` submitted them.
    static func nextStep(_ jobs: [(job: ProviderBatchState.Job, ended: Bool)], out: String, command: String) -> String {
        if jobs.contains(where: { $0.job.batchID == nil }) {
            return "next: run the same \(command) command with --resume to submit what is not submitted yet"
        }
        if jobs.allSatisfy({ $0.ended || $0.job.written }) {
            return "next: every job has ended; run the same \(command) command with --resume to write the results to \(out)"
        }
        return "next: run the same \(command) command with --resume to wait and write the results to \(out), or: vq batch cancel --out \(out)"
    }

    /// A submission that failed: when nothing reached the provider, the state and input files written for it are removed
    /// (so the same command simply starts over); a 404 on the batch route means the service has no batch API.
    static func submissionFailed(_ error: VQError, state: ProviderBatchState, out: String, profile: Profile) -> VQError {
        var error = error
        // The batch API wraps the service's error with the step it was at; its text still starts with the status.
        if error.httpStatus == 404 || error.message.hasPrefix("HTTP 404 ") {
            error = VQError(
                .config, "this service has no batch API at \(profile.baseURL) (HTTP 404 from \(profile.name)); run without --provider-batch")
        }
        guard state.jobs.allSatisfy({ $0.batchID == nil }) else { return error }
        state.remove(besides: out)
        var cleaned = VQError(error.category, error.message + "; nothing was submitted, and the batch files beside \(out) are removed")
        cleaned.httpStatus = error.httpStatus
        return cleaned
    }
}
