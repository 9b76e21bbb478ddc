import Foundation
import Imaging
import TextFormatting
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
        console.raw = options.raw
        console.verbose = options.verbose
        let stdinIsTerminal = Console.isTerminal(STDIN_FILENO)
        let stdin = StandardInput()
        let exchangeLog = QueryLog(environment: environment, writes: options.log) { [console] in console.warning($0) }
        let continued = try exchangeLog.continuation(options.conversation)
        let options = continued?.applied(to: self.options) ?? self.options
        let history = try options.messagesFile.map { (path) throws(VQError) in try Conversation.load(path: path) }
        let (prompt, imageArguments) =
            history != nil && options.positionals.isEmpty
            ? ("", [])
            : try PromptSource.split(options.positionals, stdinIsTerminal: stdinIsTerminal, readStdin: stdin.read)
        if imageArguments.contains("-") && stdinIsTerminal {
            throw VQError(.usage, "'-' reads an image from standard input, but standard input is a terminal; pipe the image in")
        }
        var session = try QuerySession(options: options, environment: environment, stream: options.stream, deferKey: true, console: console)
        session.transfer.cancellation = console.stdoutCancellation  // a reader that goes away stops the download
        let profile = session.profile
        exchangeLog.writes = options.log && session.config?.log != false
        if let limit = profile.maxImages, imageArguments.count > limit {
            throw VQError(.badInput, "too many images: \(imageArguments.count) given, profile '\(profile.name)' accepts at most \(limit) per request")
        }

        let network = session.retrying(client) { [console] in console.debug($0) }
        var loader = session.loader(client: network, inlineImagesPerRequest: session.inlineCount(imageArguments), prompt: prompt)
        loader.readStandardInput = stdin.read
        var query = session.query(prompt: prompt, stream: options.stream)
        query.history = continued?.history ?? history
        query.attachments = try loader.load(imageArguments)
        try session.resolveKey { [console] message in console.warning(message) }
        report(query.attachments)
        let ignored = session.provider.ignoredOptions(query)
        if !ignored.isEmpty { console.warning("\(profile.name) (\(profile.api.rawValue)) ignores \(ignored.joined(separator: ", "))") }

        if options.dryRun { return try dryRun(query, session: session) }
        let saver = ImageSaver(directory: options.outputDirectory ?? ".", singleFile: options.outputFile, maxImages: profile.limits.maxSavedImages)
        try saver.checkBeforeSending()
        let output = AnswerOutput(console: console, printsText: !options.json && session.schema == nil, saver: saver)
        console.showsProgress = TerminalCapabilities(environment: environment).showsProgress
        console.debug(
            "profile \(profile.name) (\(profile.api.rawValue))\(query.model.isEmpty ? "" : ", model \(query.model)"), \(URLRedactor.redact(profile.baseURL))")
        let started = Date()
        let outcome: QueryOutcome
        var sent = false  // from here on a failure is reported in --json's shape as well
        do throws(VQError) {
            sent = true
            outcome = try session.run(query, client: network, sink: output) { [console] in console.debug($0) }
            console.endProgress()
            output.finish()
        } catch {
            console.endProgress()
            output.finish()
            let logged = exchangeLog.record(
                query: query, profile: profile, conversationID: continued?.id, started: started, outcome: nil,
                answer: output.text, savedImages: output.saved.map(\.path), error: error)
            if output.stdoutGone { return ExitCode.stdoutClosed.rawValue }  // the reader of stdout went away: stop quietly, like SIGPIPE
            if let failure = output.saveFailure { console.error(failure.message) }
            if options.json && (sent || !output.text.isEmpty || !output.saved.isEmpty) {
                // One shape for scripts: the error and its exit code; what arrived is kept, marked incomplete.
                var object = Self.jsonResult(QueryOutcome(), output: output, profile: profile, model: query.model)
                object["incomplete"] = !output.text.isEmpty || !output.saved.isEmpty
                object["error"] = error.message
                object["exit_code"] = Int(ExitCode(error.category).rawValue)
                object.merge(LoggedExchange.jsonFields(logged)) { _, new in new }
                console.out(JSONText.render(object) + "\n")
            }
            throw error
        }
        let logged = exchangeLog.record(
            query: query, profile: profile, conversationID: continued?.id, started: started, outcome: outcome,
            answer: output.text, savedImages: output.saved.map(\.path), error: nil)
        if output.stdoutGone { return ExitCode.stdoutClosed.rawValue }
        try finish(
            outcome, output: output, profile: profile, model: query.model, elapsed: Date().timeIntervalSince(started), schema: session.schema, logged: logged)
        return ExitCode.success.rawValue
    }

    /// `--dry-run`: the request as it would be sent (key redacted, base64 elided), with token estimates; sends nothing.
    private func dryRun(_ query: Query, session: QuerySession) throws(VQError) -> Int32 {
        let request = try session.request(for: query)
        let estimate = TokenEstimate(session: session, query: query)
        console.notice("request: \(request.method) \(URLRedactor.redact(request.url)), \(ByteCountText.format(request.bodyLength))")
        for line in estimate.lines { console.notice(line) }
        do throws(VQError) { try request.checkSize(for: session.profile) } catch { console.warning(error.message) }
        console.out(
            DryRunRenderer.render(
                request, json: options.json, images: query.attachments.map(\.summary),
                estimatedTokens: estimate.jsonObject))
        return ExitCode.success.rawValue
    }

    /// Prints the end of the answer (or the JSON object) and the summary, then reports a file that could not be saved.
    private func finish(
        _ outcome: QueryOutcome, output: AnswerOutput, profile: Profile, model: String, elapsed: Double,
        schema: AnswerSchema? = nil, logged: LoggedExchange? = nil
    ) throws(VQError) {
        var violation: VQError?
        if let schema {
            violation = StructuredAnswerPrinter(console: console, json: options.json).print(schema, outcome, output: output, profile: profile, model: model)
        } else if options.json {
            let object = Self.jsonResult(outcome, output: output, profile: profile, model: model)
                .merging(LoggedExchange.jsonFields(logged)) { _, new in new }
            console.out(JSONText.render(object) + "\n")
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
        if let violation { throw violation }
    }

    static func jsonResult(_ outcome: QueryOutcome, output: AnswerOutput, profile: Profile, model: String) -> [String: Any] {
        var object: [String: Any] = [
            "text": output.text,
            "model": outcome.model ?? (model.isEmpty ? NSNull() : model as Any),
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
            lock.lock()
            defer { lock.unlock() }
            if let cached { return cached }
            let data = FileHandle.standardInput.readDataToEndOfFile()
            cached = data
            return data
        }
    }
}
