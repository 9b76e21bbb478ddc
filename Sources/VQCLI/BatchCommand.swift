import Foundation
import Imaging
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
        let config = try ConfigLocator.load(flag: query.configPath, environment: environment)
        let profile = try ProfileResolver(config: config, environment: environment)
            .resolve(profileFlag: query.profile, modelFlag: query.model)
        guard profile.api == .openai else {
            throw VQError(.usage, "'vq batch' works with openai-style profiles; profile '\(profile.name)' is \(profile.api.rawValue)")
        }
        if let limit = profile.maxImages, options.perRequest > limit {
            throw VQError(.usage, "'--per-request \(options.perRequest)' is over profile '\(profile.name)''s max_images of \(limit)")
        }
        let prompt = query.positionals[0]
        let arguments = Array(query.positionals.dropFirst())
        if arguments.contains("-") && Console.isTerminal(STDIN_FILENO) {
            throw VQError(.usage, "'-' reads a list of images from standard input, but standard input is a terminal; pipe the list in")
        }
        var inputs = BatchInputs()
        inputs.glob = options.glob
        inputs.nulSeparated = options.nulSeparated
        var images = try inputs.expand(arguments)
        var skipped: [String] = []

        let shard: Shard?
        if let given = options.shard { shard = given } else { shard = try Shard.fromEnvironment(environment, count: options.shardCount) }
        if let shard {
            let before = images.count
            images = images.filter(shard.contains)
            skipped.append("\(before - images.count) in other shards (this is \(shard.index)/\(shard.count))")
        }
        if options.resume, let out = options.outFile {
            let answered = try BatchJournal.prepareForResume(path: out, rewrite: !query.dryRun)
            let before = images.count
            images = images.filter { !answered.contains($0) }
            skipped.append("\(before - images.count) already answered in \(out)")
        }
        let sidecars = options.sidecarExtension.map { SidecarWriter(fileExtension: $0, overwrite: options.overwrite) }
        if let sidecars {
            let before = images.count
            images = images.filter { !sidecars.isDone($0) }
            skipped.append("\(before - images.count) with a .\(sidecars.fileExtension) sidecar already")
        }

        let keys = KeyResolver(environment: environment, configPath: config?.path ?? ConfigLocator.locate(flag: query.configPath, environment: environment).path)
        let key: String?
        if query.dryRun {
            key = try? keys.key(for: profile)
        } else {
            key = try keys.key(for: profile)
        }

        var transfer = try ProfileTransfer.options(for: profile, environment: environment)
        transfer.totalTimeout = query.timeout
        // Whole answers send nothing until complete: only the overall timeout applies, unless a stall timeout is given.
        transfer.stallTimeout = query.stallTimeout ?? query.timeout ?? 900
        if query.verbose { transfer.verbose = { [console] line in console.debug(line) } }
        let multi = CurlMultiClient(maxIdleHandles: options.jobs)
        let throttle = RequestThrottle(perMinute: options.ratePerMinute, maxConcurrent: options.jobs)
        let client = ThrottledHTTPClient(base: multi, throttle: throttle, maxWait: query.retryMaxWait ?? profile.retryMaxWait)

        var loader = ImageInputLoader(urlMode: profile.imageURLs, client: multi, transfer: transfer)
        loader.preparation = options.query.preparationOptions(profile: profile, inlineImagesPerRequest: options.perRequest, prompt: prompt)
        let load: @Sendable (String) -> Result<Attachment, VQError> = { [loader] image in
            do throws(VQError) { return .success(try loader.load(image)) } catch { return .failure(error) }
        }

        var template = Query(prompt: prompt, model: profile.model!)
        template.system = query.system
        template.temperature = query.temperature
        template.topP = query.topP
        template.maxTokens = query.maxTokens
        template.stop = query.stop
        template.detail = query.detail
        template.stream = false
        template.modalities = query.modalities ?? profile.modalities
        let policy = RetryPolicy(retries: query.retries ?? profile.retries, maxWait: query.retryMaxWait ?? profile.retryMaxWait)
        var sender = BatchRequestSender(
            template: template, adapter: OpenAIAdapter(profile: profile), key: key,
            headers: query.headers.map { BatchRequestSender.Header(name: $0.name, value: $0.value) },
            client: client, policy: policy, transfer: transfer) { [console] notice in
                console.debug(String(format: "%@ from %@, retrying in %.1f s (%d/%d)", notice.reason, profile.name, notice.delay,
                                     notice.attempt, notice.maxAttempts))
            }
        sender.outputDirectory = query.outputDirectory
        sender.onSavedImage = { [console] line in console.notice(line) }

        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let groups = stride(from: 0, to: images.count, by: options.perRequest).map {
            Array(images[$0..<min($0 + options.perRequest, images.count)])
        }
        console.debug("batch: \(images.count) image(s) in \(groups.count) request(s), \(options.jobs) at a time, profile \(profile.name), model \(profile.model!)")
        if query.dryRun {
            return dryRun(groups, images: images.count, skipped: skipped, sender: sender, load: load, workers: workers)
        }

        let writer: BatchLineWriter? = sidecars != nil && options.outFile == nil ? nil : try BatchLineWriter(console: console, path: options.outFile)
        let tally = BatchTally(total: images.count)
        console.showsProgress = Console.isTerminal(STDERR_FILENO) && environment["TERM"] != "dumb"
        var runner = BatchRunner(jobs: options.jobs, preparationWorkers: workers, prepare: load, send: sender.send)
        let earlyStop = BatchEarlyStop { [console] lines in lines.forEach { console.warning($0) } }
        runner.earlyStop = earlyStop
        runner.run(groups) { [console] result in
            var result = result
            if let sidecars, result.succeeded {
                do throws(VQError) {
                    _ = try sidecars.write(result.output ?? "", for: result.image)
                } catch {
                    result.error = error
                }
            }
            if let writer, !writer.write(result.jsonLine()) {
                if writer.path == nil { exit(141) }   // stdout's reader went away: stop quietly, like SIGPIPE
                console.error("\(writer.path!): cannot write: \(String(decoding: UnsafeRawBufferPointer(start: strerror(errno), count: strlen(strerror(errno))), as: UTF8.self).lowercased())")
                exit(ExitCode.cannotCreate.rawValue)
            }
            if let error = result.error {
                let line = error.message.hasPrefix(result.image) ? error.message : "\(result.image): \(error.message)"
                if !earlyStop.holdsBack(error, line: line) { console.warning(line) }
            }
            if let line = tally.record(result) { console.progress(line) }
        }
        console.endProgress()
        if let reason = earlyStop.stopReason {
            console.error("\(reason.message) (the first requests all failed this way, so the batch stopped; once it is fixed, --resume sends the rest)")
            return ExitCode(reason.category).rawValue
        }
        earlyStop.finish()
        if throttle.slowDowns > 0 { skipped.append("\(throttle.slowDowns) rate-limit slow-down(s)") }
        console.notice(tally.summary(skipped: skipped))
        return tally.failed > 0 ? ExitCode.partialFailure.rawValue : ExitCode.success.rawValue
    }

    /// `--dry-run`: prepares every image (nothing is sent) and lists each with its sizes on stdout.
    private func dryRun(_ groups: [[String]], images: Int, skipped: [String], sender: BatchRequestSender,
                        load: @escaping @Sendable (String) -> Result<Attachment, VQError>, workers: Int) -> Int32 {
        let totals = DryRunTotals()
        let runner = BatchRunner(jobs: 1, preparationWorkers: workers, prepare: load) { attachments in
            totals.add(requestBytes: sender.request(for: attachments).bodyLength)
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
        let (requests, bytes, failures) = totals.values
        console.notice("dry run: \(images) image(s) in \(requests) request(s) of \(ByteCountText.format(bytes)) in all; \(failures) could not be prepared"
                       + (skipped.isEmpty ? "" : "; skipped: " + skipped.joined(separator: ", ")))
        return failures > 0 ? ExitCode.partialFailure.rawValue : ExitCode.success.rawValue
    }
}

/// Request count and bytes a dry run would send, summed across threads.
final class DryRunTotals: @unchecked Sendable {
    private let lock = NSLock()
    private var requests = 0
    private var bytes = 0
    private var failures = 0

    func add(requestBytes: Int) { lock.withLock { requests += 1; bytes += requestBytes } }
    func addFailure() { lock.withLock { failures += 1 } }
    var values: (requests: Int, bytes: Int, failures: Int) { lock.withLock { (requests, bytes, failures) } }
}
