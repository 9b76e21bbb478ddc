import FoundationEssentials
import Imaging
import Platform
import TextFormatting
import Transport

/// What one exchange asks: the prompt, the input arguments (paths, URLs, `-`), and earlier turns from a file
/// (`--messages`; otherwise the transcript's).
public struct ExchangeRequest: Sendable {
    public var prompt: String
    public var inputs: [String]
    public var history: Conversation?

    public init(prompt: String, inputs: [String], history: Conversation? = nil) {
        self.prompt = prompt
        self.inputs = inputs
        self.history = history
    }
}

/// How one exchange ended.
public struct ExchangeResult: Sendable {
    public var outcome = QueryOutcome()
    /// The answer as printed.
    public var text = ""
    public var savedImages: [String] = []
    /// What was sent, as prepared (sizes and turns: what `vq detect` maps coordinates back through).
    public var parts: [InputPart] = []
    /// stdout's reader went away: the front end stops quietly, as after SIGPIPE.
    public var stdoutClosed = false
}

/// The one run of a single exchange, used by `vq`, by every `vq chat` turn (and by the next front end): checks the
/// inputs against the profile's limits before anything is read, loads them, warns of options the service ignores,
/// then shows the dry run or sends, and prints the answer as the output policy says, recording it in the transcript.
public final class ExchangeRun: @unchecked Sendable {
    public private(set) var session: QuerySession
    public let policy: OutputPolicy
    public let sink: RunSink
    /// The service's network, with the session's retries; inline image URLs are downloaded through it too.
    public let client: HTTPClient
    public let saver: ImageSaver
    /// The conversation this exchange belongs to, recorded in the log.
    public let transcript: Transcript
    /// Reads standard input for a `-` argument (once; the prompt may have read it first).
    public var readStandardInput: @Sendable () -> Data = { FileIO.readStandardInput() }
    /// True when the user stopped the exchange (Ctrl-C in a chat); the error then says so.
    public var wasStopped: () -> Bool = { false }
    /// False when the caller checks the answer itself (`vq detect` also takes a bare list, as Qwen-VL answers): the
    /// session's schema is still sent, but not applied to the answer here.
    public var checksAnswer = true
    private var warnedIgnored: Set<String> = []
    /// Renders the PDFs of a request whose file part the service refused (see `DocumentFallback`).
    private var documentFallback: DocumentFallback?

    public init(session: QuerySession, policy: OutputPolicy, sink: RunSink, client: HTTPClient, saver: ImageSaver, transcript: Transcript) {
        self.session = session
        self.policy = policy
        self.sink = sink
        self.client = client
        self.saver = saver
        self.transcript = transcript
        sink.apply(policy)
        documentFallback = DocumentFallback(
            session: session, preparer: session.loader(client: client, inlineImagesPerRequest: 1, prompt: "").documents
        ) { [sink] in sink.notice($0) }
    }

    /// Runs one exchange; throws its error (already recorded in the transcript and, with `--json`, printed).
    public func run(_ request: ExchangeRequest) throws(VQError) -> ExchangeResult {
        var query = try prepare(request)
        if session.options.dryRun {
            try dryRun(query)
            return ExchangeResult(parts: query.parts)
        }
        if session.options.countTokens {
            try countTokens(query)
            return ExchangeResult()
        }
        try saver.checkBeforeSending()
        saver.startAnswer()  // each answer (each chat turn) has its own allowance of saved images
        let provenance = query.generation.map { _ in ImageProvenance(query: query, profile: session.profile) }
        saver.provenance = query.generation?.metadata == true ? provenance : nil
        let output = AnswerOutput(console: sink, printsText: policy.streamsText, saver: saver)
        var printer = AnswerPrinter(sink: sink, policy: policy, profile: session.profile, model: query.model)
        printer.provenance = provenance
        sink.debug(
            "profile \(session.profile.name) (\(session.profile.api.rawValue))\(query.model.isEmpty ? "" : ", model \(query.model)"), \(URLRedactor.redact(session.profile.baseURL))"
        )
        let started = Date()
        var outcome: QueryOutcome
        do throws(VQError) {
            do throws(VQError) {
                outcome = try session.run(query, client: client, sink: output) { [sink] in sink.debug($0) }
            } catch {
                guard output.text.isEmpty, let fallback = documentFallback, let rendered = try fallback.rendered(query, after: error) else { throw error }
                session.documents = session.documents.rendering  // later turns render from the start
                documentFallback = nil
                query = rendered
                PreparationReport.report(rendered.parts.filter { $0.page != nil }, to: sink, dryRun: false)
                outcome = try session.run(query, client: client, sink: output) { [sink] in sink.debug($0) }
            }
        } catch {
            sink.endProgress()
            output.finish()
            let failure = wasStopped() ? VQError(error.category, "stopped by Ctrl-C") : error
            let logged = transcript.record(
                query: query, profile: session.profile, started: started, outcome: nil, answer: output.text,
                savedImages: output.saved.map(\.path), error: failure)
            if output.stdoutGone { return ExchangeResult(text: output.text, savedImages: output.saved.map(\.path), stdoutClosed: true) }
            printer.failed(failure, output: output, logged: logged)
            throw failure
        }
        sink.endProgress()
        output.finish()
        let logged = transcript.record(
            query: query, profile: session.profile, started: started, outcome: outcome, answer: output.text,
            savedImages: output.saved.map(\.path), error: output.saveFailure)
        let result = ExchangeResult(
            outcome: outcome, text: output.text, savedImages: output.saved.map(\.path), parts: query.parts, stdoutClosed: output.stdoutGone)
        if output.stdoutGone { return result }
        try printer.finish(outcome, output: output, schema: checksAnswer ? session.schema : nil, elapsed: Date().timeIntervalSince(started), logged: logged)
        return result
    }

    /// The query with its inputs loaded and checked, the key found, the preparation reported.
    private func prepare(_ request: ExchangeRequest) throws(VQError) -> Query {
        let limits = InputLimits(profile: session.profile)
        try limits.check(arguments: request.inputs, documentsGoWhole: session.documents.route == .native, videosGoWhole: session.videos.sendsWhole)
        var loader = session.loader(client: client, inlineImagesPerRequest: session.inlineCount(request.inputs), prompt: request.prompt)
        loader.videos?.frameBudget = limits.frameBudget(arguments: request.inputs)
        loader.readStandardInput = readStandardInput
        loader.onProgress = { [sink] in sink.prepared($0) }
        if session.options.generation != nil { loader.urlMode = .inline }  // image makers edit image bytes
        var query = session.query(prompt: request.prompt, stream: session.options.stream)
        query.history = transcript.history ?? request.history
        if let history = query.history, session.documents.route == .render, history.holdsDocuments, let documents = loader.documents {
            query.history = try history.renderingDocuments { (bytes) throws(VQError) in try documents.pageImages(bytes, label: "an earlier PDF") }
        }
        let inputs = try loader.load(request.inputs)
        query.parts = inputs.flatMap(\.parts)
        try limits.check(parts: query.parts)
        if !session.keyResolved { try session.resolveKey { [sink] in sink.warning($0) } }
        PreparationReport.report(inputs, to: sink, dryRun: session.options.dryRun)
        try GenerationPreparation.prepare(&query, session: session, sink: sink)
        let ignored = session.provider.unusedOptions(query)
        let line = "\(session.profile.name) (\(session.profile.api.rawValue)) ignores \(ignored.joined(separator: ", "))"
        if !ignored.isEmpty && warnedIgnored.insert(line).inserted { sink.warning(line) }
        return query
    }

    /// `--count-tokens`: the service's exact input count on stdout (`--json`: with its cost), nothing generated.
    private func countTokens(_ query: Query) throws(VQError) {
        let count = try session.countTokens(query, client: client) { [sink] in sink.debug($0) }
        // The count is exact, so the input's cost is too.
        let cost = session.costCounter.cost(usage: Usage(promptTokens: count, completionTokens: 0), model: query.model.isEmpty ? nil : query.model)
        sink.notice("\(count) input tokens, counted by \(session.profile.name); input cost \(cost.text)")
        if policy.json {
            sink.out(JSONText.render(["input_tokens": count, "profile": session.profile.name, "model": query.model, "input_cost": cost.jsonObject]) + "\n")
        } else {
            sink.out("\(count)\n")
        }
    }

    /// `--dry-run`: the request as it would be sent (key redacted, base64 elided), with token estimates; sends nothing.
    private func dryRun(_ query: Query) throws(VQError) {
        let request = try session.request(for: query)
        let estimate = TokenEstimate(session: session, query: query)
        sink.notice("request: \(request.method) \(URLRedactor.redact(request.url)), \(ByteCountText.format(request.bodyLength))")
        for line in session.provider.routeNotes(query) { sink.notice(line) }
        for line in estimate.lines { sink.notice(line) }
        let model = query.model.isEmpty ? nil : query.model
        let images = ImagePriceKey(query: query)
        let cost = session.costCounter.estimate(estimate, outputTokens: query.maxTokens, model: model, images: images)
        sink.notice(CostCounter.estimateLine(cost, outputTokens: query.maxTokens, images: session.costCounter.imageNote(images, model: model)))
        do throws(VQError) { try request.checkSize(for: session.profile) } catch { sink.warning(error.message) }
        sink.out(
            DryRunRenderer.render(
                request, json: policy.json, images: query.parts.map(\.summary), estimatedTokens: estimate.jsonObject, estimatedCost: cost))
    }
}
