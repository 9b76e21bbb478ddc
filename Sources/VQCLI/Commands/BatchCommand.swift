import Foundation
import Imaging
import TextFormatting
import Transport
import VisionQuery

/// `vq batch [OPTIONS] PROMPT [IMAGE|DIR|- ...]`: one prompt over many images, concurrently, one JSON line per image.
struct BatchCommand {
    let options: BatchOptions
    let environment: [String: String]
    let console: Console

    func run() throws(VQError) -> Int32 {
        let query = options.query
        console.quiet = query.quiet
        console.verbose = query.verbose
        if options.providerBatchAction != nil, let out = options.outFile, try ProviderBatchState.load(besides: out) == nil {
            // Said before the key is looked for: without a job there is nothing to ask the provider about.
            throw VQError(.usage, "no provider batch is under way for \(out) (no \(ProviderBatchState.path(besides: out)))")
        }
        let session = try QuerySession(options: query, environment: environment, stream: false, console: console)
        let profile = session.profile
        if let action = options.providerBatchAction {
            return try ProviderBatchCommand(options: options, session: session, console: console).act(action)
        }
        if let limit = profile.maxImages, options.perRequest > limit {
            throw VQError(.usage, "'--per-request \(options.perRequest)' is over profile '\(profile.name)''s max_images of \(limit)")
        }
        let prompt = query.positionals[0]
        let arguments = Array(query.positionals.dropFirst())
        if arguments.contains("-") && Console.isTerminal(STDIN_FILENO) {
            throw VQError(.usage, "'-' reads a list of images from standard input, but standard input is a terminal; pipe the list in")
        }
        let shard = try ShardResolver.resolve(
            shard: options.shard, count: options.shardCount,
            indexVariable: options.shardIndexVariable, environment: environment)
        let output = query.dryRun ? nil : try options.outFile.map { (path) throws(VQError) in try LockedOutputFile.lock(path) }
        var inputs = BatchInputs()
        inputs.glob = options.glob
        inputs.nulSeparated = options.nulSeparated
        var selection = BatchSelection(try inputs.expand(arguments))
        if let shard { try selection.keep(shard) }
        let csv = options.format == .csv ? BatchCSV(schema: session.schema) : nil
        var answered = AnsweredImages()
        if options.resume, let out = options.outFile {
            answered = try BatchJournal.answered(
                resuming: output, at: out, csv: csv,
                keepingFailures: options.providerBatch && !options.retryFailed)
            try selection.drop(answered, in: out)
        }
        let csvHeader = query.dryRun ? nil : try csv.flatMap { (csv) throws(VQError) in try csv.headerToWrite(in: output) }
        var images = selection.images
        var skipped = selection.skipped
        let sidecars = options.sidecarExtension.map { SidecarWriter(fileExtension: $0, overwrite: options.overwrite) }
        if let sidecars {
            let before = images.count
            images = images.filter { !sidecars.isDone($0) }
            skipped.append("\(before - images.count) with a .\(sidecars.fileExtension) sidecar already")
        }

        let multi = CurlMultiClient(maxIdleHandles: options.jobs)
        let throttle = RequestThrottle(perMinute: options.ratePerMinute, maxConcurrent: options.jobs)
        let client = ThrottledHTTPClient(base: multi, throttle: throttle, maxWait: query.retryMaxWait ?? profile.retryMaxWait)
        let loader = session.loader(
            client: session.retrying(multi) { [console] in console.debug($0) },
            inlineImagesPerRequest: options.perRequest, prompt: prompt)
        let load: @Sendable (String) -> Result<Attachment, VQError> = { [loader] image in
            do throws(VQError) { return .success(try loader.load(image)) } catch { return .failure(error) }
        }
        var sender = BatchRequestSender(session: session, template: session.query(prompt: prompt, stream: false), client: client) {
            [console] in console.debug($0)
        }
        sender.outputDirectory = query.outputDirectory
        sender.onSavedImage = { [console] line in console.notice(line) }
        let ignored = session.provider.ignoredOptions(sender.template)
        if !ignored.isEmpty { console.warning("\(profile.name) (\(profile.api.rawValue)) ignores \(ignored.joined(separator: ", "))") }

        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        if options.providerBatch {
            let command = ProviderBatchCommand(options: options, session: session, console: console)
            return try command.run(
                images, selection: selection, answered: answered, skipped: skipped, template: sender.template,
                load: load, workers: workers, output: output, csv: csv, csvHeader: csvHeader)
        }
        let groups = stride(from: 0, to: images.count, by: options.perRequest).map {
            Array(images[$0..<min($0 + options.perRequest, images.count)])
        }
        console.debug(
            "batch: \(images.count) image(s) in \(groups.count) request(s), \(options.jobs) at a time, profile \(profile.name)"
                + (sender.template.model.isEmpty ? "" : ", model \(sender.template.model)"))
        if query.dryRun {
            return dryRun(groups, images: images.count, skipped: skipped, sender: sender, load: load, workers: workers)
        }

        let writer: BatchLineWriter? = sidecars != nil && output == nil ? nil : BatchLineWriter(console: console, file: output)
        if let csvHeader, let writer, !writer.write(csvHeader) { throw VQError(.cannotCreate, "\(writer.path ?? "stdout"): cannot write the CSV header") }
        let tally = BatchTally(total: images.count)
        console.showsProgress = TerminalCapabilities(environment: environment).showsProgress
        let exchangeLog = QueryLog(environment: environment) { [console] in console.warning($0) }
        let send = options.log ? BatchLog.sending(sender, to: exchangeLog) : sender.send
        var runner = BatchRunner(jobs: options.jobs, preparationWorkers: workers, prepare: load, send: send)
        let earlyStop = BatchEarlyStop { [console] lines in
            for line in lines { console.warning(line) }
        }
        runner.earlyStop = earlyStop
        runner.run(groups) { [console, selection] result in
            var result = result
            result.key = selection.key(for: result.image)
            if let schema = session.schema { result.check(against: schema) }
            if let sidecars, result.succeeded {
                do throws(VQError) {
                    _ = try sidecars.write(result.output ?? "", for: result.image)
                } catch {
                    result.error = error
                }
            }
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
                if !earlyStop.holdsBack(error, line: line) { console.warning(line) }
            }
            if let line = tally.record(result) { console.progress(line.full, short: line.short) }
        }
        console.endProgress()
        if let reason = earlyStop.stopReason, earlyStop.stoppedByCaller {
            if reason.message == Self.stdoutClosed { return ExitCode.stdoutClosed.rawValue }
            throw reason
        }
        if let reason = earlyStop.stopReason {
            console.error("\(reason.message) (the first requests all failed this way, so the batch stopped; once it is fixed, --resume sends the rest)")
            return ExitCode(reason.category).rawValue
        }
        earlyStop.finish()
        if throttle.slowDowns > 0 { skipped.append("\(throttle.slowDowns) rate-limit slow-down(s)") }
        console.notice(tally.summary(skipped: skipped))
        return tally.failed > 0 ? ExitCode.partialFailure.rawValue : ExitCode.success.rawValue
    }

    /// The stop reason when stdout's reader went away (vq then ends quietly with 141).
    private static let stdoutClosed = "standard output was closed"

    /// `--dry-run`: prepares every image (nothing is sent) and lists each with its sizes on stdout.
    private func dryRun(
        _ groups: [[String]], images: Int, skipped: [String], sender: BatchRequestSender,
        load: @escaping @Sendable (String) -> Result<Attachment, VQError>, workers: Int
    ) -> Int32 {
        let totals = DryRunTotals()
        let runner = BatchRunner(jobs: 1, preparationWorkers: workers, prepare: load) { attachments in
            let query = sender.query(for: attachments)
            let request: HTTPRequest
            do throws(VQError) { request = try sender.session.request(for: query) } catch {
                return attachments.map {
                    var result = BatchResult(image: $0.source)
                    result.error = error
                    return result
                }
            }
            totals.add(requestBytes: request.bodyLength, tokens: TokenEstimate(session: sender.session, query: query))
            return attachments.map { attachment in
                var result = BatchResult(image: attachment.source)
                result.output = attachment.summary
                return result
            }
        }
        runner.run(groups) { [console] result in
            if let error = result.error {
                totals.addFailure()
                console.warning(error.message.hasPrefix(result.image) ? error.message : "\(result.image): \(error.message)")
            } else {
                console.out("would send \(result.output!)\n")
            }
        }
        let (requests, bytes, failures, tokens, uncounted) = totals.values
        console.notice(
            "dry run: \(images) image(s) in \(requests) request(s) of \(ByteCountText.format(bytes)) in all, "
                + "~\(tokens) input tokens estimated\(uncounted > 0 ? " (\(uncounted) image(s) not counted)" : ""); \(failures) could not be prepared"
                + (skipped.isEmpty ? "" : "; skipped: " + skipped.joined(separator: ", ")))
        return failures > 0 ? ExitCode.partialFailure.rawValue : ExitCode.success.rawValue
    }
}

/// Request count, bytes and estimated input tokens a dry run would send, summed across threads.
final class DryRunTotals: @unchecked Sendable {
    private let lock = NSLock()
    private var requests = 0
    private var bytes = 0
    private var failures = 0
    private var tokens = 0
    private var uncounted = 0

    func add(requestBytes: Int, tokens estimate: TokenEstimate) {
        lock.withLock {
            requests += 1
            bytes += requestBytes
            tokens += estimate.total
            uncounted += estimate.unknownImages
        }
    }
    func addFailure() { lock.withLock { failures += 1 } }
    var values: (requests: Int, bytes: Int, failures: Int, tokens: Int, uncounted: Int) {
        lock.withLock { (requests, bytes, failures, tokens, uncounted) }
    }
}
