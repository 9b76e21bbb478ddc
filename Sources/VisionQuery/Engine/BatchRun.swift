import Foundation
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
    /// Sends one request of inputs (with the shared prompt) through the throttled client.
    public let sender: BatchRequestSender
    private let throttle: RequestThrottle
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
        let multi = CurlMultiClient(maxIdleHandles: settings.jobs)
        throttle = RequestThrottle(perMinute: settings.ratePerMinute, maxConcurrent: settings.jobs)
        let client = ThrottledHTTPClient(
            base: multi, throttle: throttle, maxWait: session.options.retryMaxWait ?? session.profile.retryMaxWait)
        let loader = session.loader(
            client: session.retrying(multi) { [sink] in sink.debug($0) }, inlineImagesPerRequest: settings.perRequest, prompt: prompt)
        let dryRun = session.options.dryRun
        load = { [loader, sink] argument in
            do throws(VQError) {
                let input = try loader.load(argument)
                PreparationReport.report(input.parts, to: sink, dryRun: dryRun, listParts: false)
                return .success(input)
            } catch { return .failure(error) }
        }
        var sender = BatchRequestSender(session: session, template: session.query(prompt: prompt, stream: false), client: client) {
            [sink] in sink.debug($0)
        }
        sender.outputDirectory = session.options.outputDirectory
        sender.onSavedImage = { [sink] line in sink.notice(line) }
        self.sender = sender
        let ignored = session.provider.ignoredOptions(sender.template)
        if !ignored.isEmpty { sink.warning("\(session.profile.name) (\(session.profile.api.rawValue)) ignores \(ignored.joined(separator: ", "))") }
    }

    /// Which inputs this run does (its shard, minus what is answered already).
    public func plan(_ arguments: [String]) throws(VQError) -> BatchPlan {
        try BatchPlan(arguments: arguments, settings: settings, schema: session.schema, dryRun: session.options.dryRun, environment: environment)
    }

    /// Sends every request of the plan and writes each result as it completes.
    public func run(_ plan: BatchPlan) throws(VQError) -> ExitCode {
        let groups = stride(from: 0, to: plan.images.count, by: settings.perRequest).map {
            Array(plan.images[$0..<min($0 + settings.perRequest, plan.images.count)])
        }
        sink.debug(
            "batch: \(plan.images.count) image(s) in \(groups.count) request(s), \(settings.jobs) at a time, profile \(session.profile.name)"
                + (sender.template.model.isEmpty ? "" : ", model \(sender.template.model)"))
        if session.options.dryRun { return dryRun(groups, plan: plan) }

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
        let send = settings.log ? BatchLog.sending(sender, to: QueryLog(environment: environment) { [sink] in sink.warning($0) }) : sender.send
        var runner = BatchRunner(jobs: settings.jobs, preparationWorkers: workers, prepare: load, send: send)
        let earlyStop = BatchEarlyStop { [sink] lines in
            for line in lines { sink.warning(line) }
        }
        runner.earlyStop = earlyStop
        let finisher = plan.finisher(schema: session.schema)
        let csv = plan.csv
        runner.run(groups) { [sink] result in
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
        sink.notice(tally.summary(skipped: skipped))
        return tally.failed > 0 ? .partialFailure : .success
    }

    /// The stop reason when stdout's reader went away (vq then ends quietly with 141).
    private static let stdoutClosed = "standard output was closed"

    /// `--dry-run`: prepares every input (nothing is sent) and lists each with its sizes on stdout.
    private func dryRun(_ groups: [[String]], plan: BatchPlan) -> ExitCode {
        let totals = DryRunTotals()
        let sender = self.sender
        let runner = BatchRunner(jobs: 1, preparationWorkers: workers, prepare: load) { inputs in
            let query = sender.query(for: inputs)
            let request: HTTPRequest
            do throws(VQError) { request = try sender.session.request(for: query) } catch {
                return inputs.map {
                    var result = BatchResult(image: $0.source)
                    result.error = error
                    return result
                }
            }
            totals.add(requestBytes: request.bodyLength, tokens: TokenEstimate(session: sender.session, query: query))
            return inputs.map { input in
                var result = BatchResult(image: input.source)
                result.output = input.parts.map(\.summary).joined(separator: "; ")
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
        sink.notice(
            "dry run: \(plan.images.count) image(s) in \(requests) request(s) of \(ByteCountText.format(bytes)) in all, "
                + "~\(tokens) input tokens estimated\(uncounted > 0 ? " (\(uncounted) image(s) not counted)" : ""); \(failures) could not be prepared"
                + (plan.skipped.isEmpty ? "" : "; skipped: " + plan.skipped.joined(separator: ", ")))
        return failures > 0 ? .partialFailure : .success
    }
}
