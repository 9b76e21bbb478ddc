import FoundationEssentials
import Imaging
import TextFormatting
import Transport

/// The one batch run: one prompt over many inputs, prepared on a pool and sent `jobs` at a time, one result line
/// per input (or a sidecar), resumable, with the output policy's progress line and summary on the sink.
public struct BatchRun: Sendable {
    public let session: QuerySession
    public let settings: BatchSettings
    public let policy: OutputPolicy
    public let sink: RunSink
    public let prompt: String
    public let environment: [String: String]
    /// Turns one input argument into its input (read, validate, shrink), on the preparation pool.
    public let load: @Sendable (String) -> Result<Input, VQError>
    /// Turns an item with its own sources (a prompt list's) into one input holding all their parts.
    private let loadSources: @Sendable (BatchItem) -> Result<Input, VQError>
    /// Sends one request of inputs (with the shared prompt) through the throttled client.
    public let sender: BatchRequestSender
    private let throttle: RequestThrottle
    /// The work of a kind of batch on each answer (`vq batch detect`); it checks the answer itself, so `--schema`'s
    /// check of the line is left to it.
    public var itemWork: BatchItemWork?
    /// Threads preparing inputs while the jobs send.
    public let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)

    public init(
        session: QuerySession, settings: BatchSettings, policy: OutputPolicy, sink: RunSink, prompt: String,
        environment: [String: String]
    ) throws(VQError) {
        try InputLimits(profile: session.profile).check(perRequest: settings.perRequest)
        self.session = session
        self.settings = settings
        self.policy = policy
        self.sink = sink
        self.prompt = prompt
        self.environment = environment
        sink.apply(policy)
        if session.options.generation != nil { try GenerationPreparation.checkMakesImages(session) }
        let multi = CurlMultiClient(maxIdleHandles: settings.jobs)
        throttle = RequestThrottle(perMinute: settings.ratePerMinute, maxConcurrent: settings.jobs)
        let client = ThrottledHTTPClient(
            base: multi, throttle: throttle, maxWait: session.options.retryMaxWait ?? session.profile.retryMaxWait)
        var loader = session.loader(
            client: session.retrying(multi) { [sink] in sink.debug($0) }, inlineImagesPerRequest: settings.perRequest, prompt: prompt)
        if session.options.generation != nil { loader.urlMode = .inline }  // image makers edit image bytes
        let dryRun = session.options.dryRun
        let perPage = settings.perPage
        load = { [loader, sink] argument in
            do throws(VQError) {
                let input = try Self.load(argument, with: loader, perPage: perPage)
                PreparationReport.report([input], to: sink, dryRun: dryRun, listParts: false)
                return .success(input)
            } catch { return .failure(error) }
        }
        loadSources = { [loader, sink] item in
            do throws(VQError) {
                let inputs = try item.sources.map { (source) throws(VQError) in try loader.load(source) }
                PreparationReport.report(inputs, to: sink, dryRun: dryRun, listParts: false)
                return .success(Input(source: item.path, medium: .image, parts: inputs.flatMap(\.parts)))
            } catch { return .failure(VQError(error.category, "\(item.path): \(error.message)")) }
        }
        var sender = BatchRequestSender(session: session, template: session.query(prompt: prompt, stream: false), client: client) {
            [sink] in sink.debug($0)
        }
        sender.outputDirectory = session.options.outputDirectory
        sender.onSavedImage = { [sink] line in sink.notice(line) }
        sender.onIgnoredLineOptions = { [sink] line in sink.warning(line) }
        sender.documentFallback = DocumentFallback(session: session, preparer: loader.documents) { [sink] in sink.notice($0) }
        self.sender = sender
        try checkPriced(model: sender.template.model)
        let ignored = sender.runWideIgnoredOptions
        if !ignored.isEmpty { sink.warning("\(session.profile.name) (\(session.profile.api.rawValue)) ignores \(ignored.joined(separator: ", "))") }
    }

    /// With `--max-cost`, every request must have a price to count against the budget: `model` (the run's, or a prompt
    /// list line's own) must have one.
    private func checkPriced(model: String) throws(VQError) {
        guard settings.maxCost != nil, !session.options.dryRun else { return }
        let model = model.isEmpty ? nil : model
        guard session.costCounter.asking(model ?? "").quote(model: model) != nil else {
            let name = model ?? "(none)"
            throw VQError(
                .config,
                "--max-cost needs the price of model '\(name)' on profile '\(session.profile.name)': none is known (see 'vq prices'; add [prices.\"\(name)\"] with input and output to the config)"
            )
        }
    }

    /// One item's input; with `--per-page`, `report.pdf#p3` is page 3 of report.pdf, on the profile's route.
    static func load(_ argument: String, with loader: InputLoader, perPage: Bool) throws(VQError) -> Input {
        guard perPage, let (path, page) = PageItem.split(argument), var documents = loader.documents,
            InputLoader.sniffedKind(path)?.documentFormat != nil
        else { return try loader.load(argument) }
        var pageLoader = loader
        documents.policy.pages = try? PageSelection(parsing: String(page))
        pageLoader.documents = documents
        let input = try pageLoader.load(path)
        return Input(source: argument, medium: input.medium, parts: input.parts)
    }

    /// Which inputs this run does (its shard, minus what is answered already); `items` are the items themselves
    /// (a prompt list, each with its own prompt and sources) instead of `arguments`.
    public func plan(_ arguments: [String], locked: LockedOutputFile? = nil, items: [BatchItem]? = nil) throws(VQError) -> BatchPlan {
        for model in Set((items ?? []).compactMap(\.options.model)).sorted() { try checkPriced(model: model) }
        return try BatchPlan(
            arguments: arguments, settings: settings, schema: session.schema, dryRun: session.options.dryRun, environment: environment,
            pages: session.options.pages, locked: locked, items: items)
    }

    /// How the plan's items are loaded and sent: an item with its own prompt loads its sources and goes with its prompt.
    public func routes(for plan: BatchPlan) -> (load: @Sendable (String) -> Result<Input, VQError>, sender: BatchRequestSender) {
        let items = plan.selection.promptedItems
        guard !items.isEmpty else { return (load, sender) }
        var sender = self.sender
        sender.promptedItems = items
        let load = self.load
        let loadSources = self.loadSources
        return ({ path in items[path].map(loadSources) ?? load(path) }, sender)
    }

    /// Sends every request of the plan and writes each result as it completes.
    public func run(_ plan: BatchPlan) throws(VQError) -> ExitCode {
        let groups = stride(from: 0, to: plan.images.count, by: settings.perRequest).map {
            Array(plan.images[$0..<min($0 + settings.perRequest, plan.images.count)])
        }
        let (load, sender) = routes(for: plan)
        sink.debug(
            "batch: \(plan.images.count) image(s) in \(groups.count) request(s), \(settings.jobs) at a time, profile \(session.profile.name)"
                + (sender.template.model.isEmpty ? "" : ", model \(sender.template.model)"))
        if session.options.dryRun { return dryRun(groups, plan: plan, load: load, sender: sender) }

        let shardRecord = try plan.output.flatMap { (file) throws(VQError) in
            try plan.shard.map { (shard) throws(VQError) in
                try ShardRecord.started(shard, of: plan.selection, format: settings.csv ? "csv" : "jsonl", besides: file.path)
            }
        }
        let writer: BatchLineWriter? = plan.sidecars != nil && plan.output == nil ? nil : BatchLineWriter(console: sink, file: plan.output)
        if let csvHeader = plan.csvHeader, let writer, !writer.write(csvHeader) {
            throw VQError(.cannotCreate, "\(writer.path ?? "stdout"): cannot write the CSV header")
        }
        let tally = BatchTally(total: plan.images.count)
        let logged = settings.log ? BatchLog.sending(sender, to: QueryLog(environment: environment) { [sink] in sink.warning($0) }) : sender.send
        let budget = settings.maxCost.map(CostBudget.init(limit:))
        let worked = itemWork?.applied(to: logged) ?? logged
        let send = budget.map { Self.withinBudget($0, send: worked, sender: sender) } ?? worked
        var runner = BatchRunner(jobs: settings.jobs, preparationWorkers: workers, prepare: load, send: send)
        let earlyStop = BatchEarlyStop { [sink] lines in
            for line in lines { sink.warning(line) }
        }
        runner.earlyStop = earlyStop
        let finisher = plan.finisher(schema: itemWork == nil ? session.schema : nil)
        let csv = plan.csv
        runner.run(groups) { [sink] result in
            if result.heldBack { return }  // no line: --resume sends it
            let result = finisher.finish(result)
            guard !earlyStop.stoppedByCaller else { return }  // the output is gone: nothing more is written
            if let writer, !writer.write(csv?.row(for: result) ?? result.jsonLine()) {
                // stdout's reader went away (stop quietly, like SIGPIPE) or the --out file cannot be written.
                earlyStop.stop(
                    because: writer.path.map { VQError(.cannotCreate, "\($0): cannot write: \(ErrnoText.current)") }
                        ?? VQError(.cannotCreate, Self.stdoutClosed))
                return
            }
            if let error = result.error {
                let line = error.message.hasPrefix(result.image) ? error.message : "\(result.image): \(error.message)"
                if !earlyStop.holdsBack(error, line: line) { sink.warning(line) }
            }
            if let line = tally.record(result) { sink.progress(line.full, short: line.short) }
        }
        sink.endProgress()
        if let reason = earlyStop.stopReason, earlyStop.stoppedByCaller {
            if reason.message == Self.stdoutClosed { return .stdoutClosed }
            throw reason
        }
        if let reason = earlyStop.stopReason {
            // --resume needs the --out file that holds the answers so far; without one, running again is what works.
            let next =
                settings.outFile == nil
                ? "once it is fixed, run the command again (with --out FILE, a batch that stops can be resumed with --resume)"
                : "once it is fixed, the same command with --resume sends the rest"
            sink.error("\(reason.message) (the first requests all failed this way, so the batch stopped; \(next))")
            return ExitCode(reason.category)
        }
        earlyStop.finish()
        if let shardRecord, let output = plan.output { try shardRecord.finish(file: output) }
        var skipped = plan.skipped
        if throttle.slowDowns > 0 { skipped.append("\(throttle.slowDowns) rate-limit slow-down(s)") }
        if let budget, budget.state.stopped {
            skipped.append("\(budget.state.heldBack) not sent (budget)")
            sink.warning(
                "--max-cost \(Cost.dollars(budget.limit)) reached after \(Cost.dollars(CostCalculator.rounded(budget.state.spent))): "
                    + "\(budget.state.heldBack) request(s) not sent; "
                    + (plan.output != nil ? "run the same command with --resume and a new --max-cost to continue" : "with --out FILE, --resume would continue"))
        }
        let summary = tally.summary(skipped: skipped)
        // With --profiles each profile's run says whose summary it is.
        sink.notice(settings.journalProfile.map { "batch (\($0)): " + summary.dropFirst("batch: ".count) } ?? summary)
        return tally.failed > 0 || budget?.state.stopped == true ? .partialFailure : .success
    }

    /// `send` held to `budget`: each request's estimate is reserved before it goes (or it is held back, unsent), and
    /// settled at its actual cost.
    static func withinBudget(
        _ budget: CostBudget, send: @escaping @Sendable ([Input]) -> [BatchResult], sender: BatchRequestSender
    ) -> @Sendable ([Input]) -> [BatchResult] {
        { inputs in
            let query = sender.query(for: inputs)
            let counter = sender.session.costCounter.asking(query.model)
            let estimate =
                counter.estimate(
                    TokenEstimate(session: sender.session, query: query), outputTokens: budget.expectedOutputTokens(maxTokens: query.maxTokens),
                    model: query.model.isEmpty ? nil : query.model, images: ImagePriceKey(query: query)
                ).usd ?? 0
            guard budget.reserve(estimate) else {
                return inputs.map { input in
                    var result = BatchResult(image: input.source)
                    result.heldBack = true
                    result.error = VQError(.usage, CostBudget.heldBackMessage)
                    return result
                }
            }
            let results = send(inputs)
            let costs = results.compactMap { $0.cost?.usd }
            budget.settle(
                estimate: estimate, actual: costs.count == results.count && !costs.isEmpty ? costs.reduce(0, +) : nil,
                outputTokens: results.first?.usage?.completionTokens)
            return results
        }
    }

    /// The stop reason when stdout's reader went away (vq then ends quietly with 141).
    private static let stdoutClosed = "standard output was closed"

    /// `--dry-run`: prepares every input (nothing is sent) and lists each with its sizes on stdout.
    private func dryRun(
        _ groups: [[String]], plan: BatchPlan, load: @escaping @Sendable (String) -> Result<Input, VQError>, sender: BatchRequestSender
    ) -> ExitCode {
        let totals = DryRunTotals()
        let providerBatch = settings.providerBatch
        let runner = BatchRunner(jobs: 1, preparationWorkers: workers, prepare: load) { inputs in
            var query = sender.query(for: inputs)
            let request: HTTPRequest
            do throws(VQError) {
                query = try sender.preparedQuery(for: inputs)
                request = try sender.session.request(for: query)
            } catch {
                return inputs.map {
                    var result = BatchResult(image: $0.source)
                    result.error = error
                    return result
                }
            }
            let estimate = TokenEstimate(session: sender.session, query: query)
            totals.add(
                requestBytes: request.bodyLength, tokens: estimate,
                cost: sender.session.costCounter.asking(query.model).estimate(
                    estimate, outputTokens: query.maxTokens, model: query.model.isEmpty ? nil : query.model, providerBatch: providerBatch,
                    images: ImagePriceKey(query: query)))
            return inputs.map { input in
                var result = BatchResult(image: input.source)
                let parts = input.parts.map(\.summary).joined(separator: "; ")
                result.output =
                    sender.promptedItems[input.source].map { item in
                        "\(item.path): \(query.prompt)" + (item.options.isEmpty ? "" : " [\(item.options.summary)]") + (parts.isEmpty ? "" : " with \(parts)")
                    } ?? parts
                return result
            }
        }
        runner.run(groups) { [sink] result in
            if let error = result.error {
                totals.addFailure()
                sink.warning(error.message.hasPrefix(result.image) ? error.message : "\(result.image): \(error.message)")
            } else {
                sink.out("would send \(result.output!)\n")
            }
        }
        let (requests, bytes, failures, tokens, uncounted) = totals.values
        let model = sender.template.model.isEmpty ? nil : sender.template.model
        sink.notice(
            CostCounter.estimateLine(
                totals.cost, outputTokens: sender.template.maxTokens, what: providerBatch ? " (provider batch rates)" : "",
                images: sender.promptedItems.values.contains { !$0.options.isEmpty }
                    ? "input, and each prompt's images at the per-image price of its own options where one is known"
                    : sender.session.costCounter.imageNote(ImagePriceKey(query: sender.template), model: model)))
        sink.notice(
            "dry run: \(plan.images.count) image(s) in \(requests) request(s) of \(ByteCountText.format(bytes)) in all, "
                + "~\(tokens) input tokens estimated\(uncounted > 0 ? " (\(uncounted) image(s) not counted)" : ""); \(failures) could not be prepared"
                + (plan.skipped.isEmpty ? "" : "; skipped: " + plan.skipped.joined(separator: ", ")))
        return failures > 0 ? .partialFailure : .success
    }
}
