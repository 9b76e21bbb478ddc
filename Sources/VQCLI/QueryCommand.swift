import Foundation
import Imaging
import Transport
import VisionQuery

/// `vq [OPTIONS] PROMPT [IMAGE ...]`: resolve the profile, validate every input, then send and print the answer.
struct QueryCommand {
    let options: QueryOptions
    let environment: [String: String]
    let console: Console
    let client: HTTPClient

    func run() throws(VQError) -> Int32 {
        console.quiet = options.quiet
        console.verbose = options.verbose
        let config = try ConfigLocator.load(flag: options.configPath, environment: environment)
        let profile = try ProfileResolver(config: config, environment: environment)
            .resolve(profileFlag: options.profile, modelFlag: options.model)
        let model = profile.model!   // resolve() guarantees a model

        let stdinIsTerminal = Console.isTerminal(STDIN_FILENO)
        let stdin = StandardInput()
        let history = try options.messagesFile.map { (path) throws(VQError) in try Conversation.load(path: path) }
        if history != nil && profile.api != .openai {
            throw VQError(.usage, "'--messages' applies to openai-style profiles; profile '\(profile.name)' is \(profile.api.rawValue)")
        }
        let (prompt, imageArguments) = history != nil && options.positionals.isEmpty ? ("", [])
            : try PromptSource.split(options.positionals, stdinIsTerminal: stdinIsTerminal, readStdin: stdin.read)
        if imageArguments.contains("-") && stdinIsTerminal {
            throw VQError(.usage, "'-' reads an image from standard input, but standard input is a terminal; pipe the image in")
        }
        if let limit = profile.maxImages, imageArguments.count > limit {
            throw VQError(.badInput, "too many images: \(imageArguments.count) given, profile '\(profile.name)' accepts at most \(limit) per request")
        }

        var transfer = try ProfileTransfer.options(for: profile, environment: environment)
        transfer.totalTimeout = options.timeout
        transfer.stallTimeout = options.stallTimeout ?? profile.stallTimeout
        // A whole (non-streamed) answer sends nothing until it is complete; only the overall timeout applies.
        if !options.stream && options.stallTimeout == nil { transfer.stallTimeout = options.timeout ?? 900 }
        if options.verbose { transfer.verbose = { [console] line in console.debug(line) } }
        transfer.cancellation = console.stdoutCancellation
        let network = retryingClient(profile: profile)

        var loader = ImageInputLoader(urlMode: profile.imageURLs, client: network, transfer: transfer)
        loader.readStandardInput = stdin.read
        let inline = imageArguments.filter { !ImageInputLoader.isURL($0) || profile.imageURLs == .inline }.count
        loader.preparation = options.preparationOptions(profile: profile, inlineImagesPerRequest: inline, prompt: prompt)
        let attachments = try loader.load(imageArguments)
        report(attachments)

        var query = Query(prompt: prompt, model: model)
        query.system = options.system
        query.history = history
        query.attachments = attachments
        query.temperature = options.temperature
        query.topP = options.topP
        query.maxTokens = options.maxTokens
        query.stop = options.stop
        query.detail = options.detail
        query.stream = options.stream
        query.modalities = options.modalities ?? profile.modalities

        let keys = KeyResolver(environment: environment, configPath: config?.path ?? ConfigLocator.locate(flag: options.configPath, environment: environment).path)
        let headers = options.headers.map { (name: $0.name, value: $0.value) }
        let key: String?
        if options.dryRun {
            do { key = try keys.key(for: profile) } catch {
                console.warning("\(error.message) (dry run: shown without it)")
                key = nil
            }
        } else {
            key = try keys.key(for: profile)
            if profile.key != nil, key == profile.key, config?.readableByOthers == true {
                console.warning("\(config!.path) holds a key and is readable by others; run: chmod 600 \(config!.path)")
            }
        }
        let saver = ImageSaver(directory: options.outputDirectory ?? ".", singleFile: options.outputFile)
        if !options.dryRun { try saver.checkBeforeSending() }
        let output = AnswerOutput(console: console, printsText: !options.json, saver: saver)
        let started = Date()
        let outcome: QueryOutcome
        var sent = false   // from here on a failure is reported in --json's shape as well
        do throws(VQError) {
            switch profile.api {
            case .openai:
                let request = OpenAIAdapter(profile: profile).makeRequest(query, key: key, extraHeaders: headers)
                if options.dryRun {
                    console.notice("request: \(request.method) \(request.url), \(ByteCountText.format(request.bodyLength))")
                    console.out(DryRunRenderer.render(request, json: options.json, images: attachments.map(\.summary)))
                    return ExitCode.success.rawValue
                }
                if let limit = profile.maxRequestBytes, request.bodyLength > limit {
                    throw VQError(.badInput, "the request is \(ByteCountText.format(request.bodyLength)), over profile '\(profile.name)''s max_request_bytes of \(ByteCountText.format(limit)); send fewer or smaller images")
                }
                console.debug("profile \(profile.name) (\(profile.api.rawValue)), model \(model), \(request.method) \(request.url), \(ByteCountText.format(request.bodyLength))")
                sent = true
                let runner = QueryRunner(client: network, transfer: transfer, adapter: OpenAIAdapter(profile: profile))
                outcome = try cutStreamRetry(profile: profile).run { () throws(VQError) in
                    try runner.run(request, stream: options.stream, onText: output.receive(text:), onImage: output.receive(image:))
                }
            case .masterpiecex:
                var withHeaders = profile
                for header in headers { withHeaders.headers[header.name] = header.value }
                let adapter = MasterpiecexAdapter(profile: withHeaders)
                if options.dryRun {
                    console.out(DryRunRenderer.render(Self.plannedImageQuery(query, adapter: adapter, key: key), json: options.json,
                                                      images: attachments.map(\.summary)))
                    return ExitCode.success.rawValue
                }
                sent = true
                outcome = try runMasterpiecex(query, adapter: adapter, key: key, transfer: transfer, client: network)
                output.receive(text: outcome.text)
            }
            output.finish()
        } catch {
            console.endProgress()
            output.finish()
            if output.stdoutGone { return 141 }   // the reader of stdout went away: stop quietly, like SIGPIPE
            if let failure = output.saveFailure { console.error(failure.message) }
            if options.json && (sent || !output.text.isEmpty || !output.saved.isEmpty) {
                // One shape for scripts: the error and its exit code; what arrived is kept, marked incomplete.
                var object = Self.jsonResult(QueryOutcome(), output: output, profile: profile, model: model)
                object["incomplete"] = !output.text.isEmpty || !output.saved.isEmpty
                object["error"] = error.message
                object["exit_code"] = Int(ExitCode(error.category).rawValue)
                console.out(JSONText.render(object) + "\n")
            }
            throw error
        }
        if output.stdoutGone { return 141 }
        try finish(outcome, output: output, profile: profile, model: model, elapsed: Date().timeIntervalSince(started))
        return ExitCode.success.rawValue
    }

    /// Uploads, submits and polls; the answer arrives whole at the end.
    private func runMasterpiecex(_ query: Query, adapter: MasterpiecexAdapter, key: String?, transfer: TransferOptions,
                                 client: HTTPClient) throws(VQError) -> QueryOutcome {
        let ignored = Self.optionsMasterpiecexIgnores(options)
        if !ignored.isEmpty { console.warning("\(adapter.profile.name) ignores \(ignored.joined(separator: ", "))") }
        guard !query.attachments.isEmpty else {
            throw VQError(.usage, "profile '\(adapter.profile.name)' (masterpiecex) needs at least one IMAGE")
        }
        console.showsProgress = Console.isTerminal(STDERR_FILENO) && environment["TERM"] != "dumb"
        console.debug("profile \(adapter.profile.name) (masterpiecex), \(adapter.profile.baseURL), \(query.attachments.count) image(s)")
        let runner = MasterpiecexRunner(client: client, transfer: transfer, adapter: adapter, key: key)
        let outcome = try runner.run(query, onProgress: console.progress, onDebug: console.debug)
        console.endProgress()
        return outcome
    }

    /// `--dry-run` for Masterpiecex: the image query, with local images named where their uploaded URLs will go.
    static func plannedImageQuery(_ query: Query, adapter: MasterpiecexAdapter, key: String?) -> HTTPRequest {
        let urls = query.attachments.map { attachment -> String in
            if case .remoteURL(let url) = attachment.content { return url }
            return "[\(attachment.source == "-" ? "stdin" : attachment.source), uploaded first via /assets/create]"
        }
        return adapter.imageQueryRequest(prompt: query.prompt, imageURLs: urls, key: key)
    }

    /// Options that have no meaning for Masterpiecex, as the user wrote them.
    static func optionsMasterpiecexIgnores(_ options: QueryOptions) -> [String] {
        var names: [String] = []
        if options.system != nil { names.append("--system") }
        if options.temperature != nil { names.append("--temperature") }
        if options.topP != nil { names.append("--top-p") }
        if options.maxTokens != nil { names.append("--max-tokens") }
        if !options.stop.isEmpty { names.append("--stop") }
        if options.detail != nil { names.append("--detail") }
        if options.modalities != nil { names.append("--modalities") }
        return names
    }

    /// Prints the end of the answer (or the JSON object) and the summary, then reports a file that could not be saved.
    private func finish(_ outcome: QueryOutcome, output: AnswerOutput, profile: Profile, model: String, elapsed: Double) throws(VQError) {
        if options.json {
            console.out(JSONText.render(Self.jsonResult(outcome, output: output, profile: profile, model: model)) + "\n")
        } else if !output.text.isEmpty && !output.text.hasSuffix("\n") {
            console.out("\n")
        }
        if output.text.isEmpty && output.saved.isEmpty && output.saveFailure == nil {
            console.warning("\(profile.name) returned an empty answer (finish reason: \(outcome.finishReason ?? "none"))")
        }
        var summary = String(format: "HTTP %d in %.2f s", outcome.status, elapsed)
        if let usage = outcome.usage {
            summary += ", tokens: \(usage.promptTokens.map(String.init) ?? "?") in, \(usage.completionTokens.map(String.init) ?? "?") out"
        }
        if let reason = outcome.finishReason { summary += ", finish: \(reason)" }
        if let seconds = outcome.processingSeconds { summary += String(format: ", processing time %.2f s", seconds) }
        if let balance = outcome.balance { summary += ", balance: \(Self.plain(balance))" }
        if let credits = outcome.responseHeaders["x-remaining-credits"] { summary += ", remaining credits: \(credits)" }
        console.debug(summary)
        if outcome.finishReason == "length" {
            console.warning("the answer was cut at the token limit (finish reason: length); raise --max-tokens")
        }
        if let failure = output.saveFailure { throw failure }
    }

    static func jsonResult(_ outcome: QueryOutcome, output: AnswerOutput, profile: Profile, model: String) -> [String: Any] {
        var object: [String: Any] = [
            "text": output.text,
            "model": outcome.model ?? model,
            "profile": profile.name,
            "finish_reason": outcome.finishReason ?? NSNull(),
            "usage": outcome.usage?.jsonObject ?? NSNull(),
            "saved_images": output.saved.map(\.path),
            "incomplete": false,
            "error": NSNull(),
            "exit_code": 0,
        ]
        if let balance = outcome.balance { object["balance"] = balance == balance.rounded() ? Int(balance) as Any : balance }
        if let seconds = outcome.processingSeconds { object["processing_time_s"] = seconds }
        if let credits = outcome.responseHeaders["x-remaining-credits"] {
            object["credits"] = Double(credits).map { $0 == $0.rounded() && abs($0) < 1e15 ? Int($0) as Any : $0 } ?? credits
        }
        return object
    }

    /// 42 → "42", 4.5 → "4.5".
    static func plain(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    /// The profile's retry policy, as the options adjust it.
    private func retryPolicy(profile: Profile) -> RetryPolicy {
        RetryPolicy(retries: options.retries ?? profile.retries, maxWait: options.retryMaxWait ?? profile.retryMaxWait)
    }

    /// The client every request goes through: the profile's retry policy, retries announced with -v.
    private func retryingClient(profile: Profile) -> HTTPClient {
        RetryingHTTPClient(base: client, policy: retryPolicy(profile: profile)) { [console] notice in
            console.debug(String(format: "%@ from %@, retrying in %.1f s (%d/%d)", notice.reason, profile.name, notice.delay,
                                 notice.attempt, notice.maxAttempts))
        }
    }

    /// Sends a query again when its stream broke before any text was printed, announced with -v.
    private func cutStreamRetry(profile: Profile) -> CutStreamRetry {
        CutStreamRetry(policy: retryPolicy(profile: profile)) { [console] notice in
            console.debug(String(format: "%@ from %@, retrying in %.1f s (%d/%d)", notice.reason, profile.name, notice.delay,
                                 notice.attempt, notice.maxAttempts))
        }
    }

    /// One -v line per image; what had to be done to fit a byte limit is said even without -v.
    private func report(_ attachments: [Attachment]) {
        for attachment in attachments {
            if options.dryRun { console.notice("image \(attachment.summary)") } else { console.debug("image \(attachment.summary)") }
            for note in attachment.preparation?.notes ?? [] {
                let name = attachment.source == "-" ? "stdin" : attachment.source
                if note.contains(" to fit ") { console.notice("\(name): \(note)") } else { console.debug("\(name): \(note)") }
            }
        }
    }
}

/// Reads standard input at most once, whoever asks first (the prompt or a `-` image).
final class StandardInput: @unchecked Sendable {
    private var cached: Data?
    private let lock = NSLock()

    var read: @Sendable () -> Data {
        { [self] in
            lock.lock(); defer { lock.unlock() }
            if let cached { return cached }
            let data = FileHandle.standardInput.readDataToEndOfFile()
            cached = data
            return data
        }
    }
}
