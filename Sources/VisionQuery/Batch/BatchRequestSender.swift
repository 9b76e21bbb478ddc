import FoundationEssentials
import Imaging
import Platform
import TextFormatting
import Transport

/// Sends one batch request (one or more images with the shared prompt) through the session's engine and turns the
/// outcome into one result per image. Whole answers; retries through the session's policy; every attempt goes
/// through the batch's shared (throttled) client.
public struct BatchRequestSender: Sendable {
    public let session: QuerySession
    /// The query every request starts from; each request adds its images.
    public let template: Query
    public let client: HTTPClient
    /// Receives one -v line per retry.
    public let onRetry: @Sendable (String) -> Void
    /// Where images the model returns are saved (`-o`); nil means the current directory.
    public var outputDirectory: String? = nil
    /// Receives one line per saved image and per returned image that could not be saved.
    public var onSavedImage: @Sendable (String) -> Void = { _ in }
    /// Renders the PDFs of a request whose file part the service refused, and sends it once more.
    var documentFallback: DocumentFallback?
    /// Items that carry their own prompt (a prompt list), by path: such an item is sent alone, with its prompt, and
    /// the images it makes are named after its id.
    public var promptedItems: [String: BatchItem] = [:]
    /// Hears, once per kind, that a prompt list line's own options ask what the profile's api has no field for.
    public var onIgnoredLineOptions: @Sendable (String) -> Void = { _ in }
    private let saidIgnored = SaidOnce()

    public init(session: QuerySession, template: Query, client: HTTPClient, onRetry: @escaping @Sendable (String) -> Void) {
        self.session = session
        self.template = template
        self.client = client
        self.onRetry = onRetry
    }

    /// The query for these inputs: all their parts, in order (and an item's own prompt, options and model).
    public func query(for inputs: [Input]) -> Query {
        var query = template
        query.parts = inputs.flatMap(\.parts)
        if let item = item(for: inputs), let prompt = item.prompt {
            query.prompt = prompt
            item.options.apply(to: &query)
        }
        return query
    }

    /// The query ready to send: its parts within the profile's limits (a PDF's rendered pages count), an edit's mask
    /// read and checked against its first image, a prompt line's options its api ignores named. The provider-batch
    /// route and a dry run build their lines from it too.
    public func preparedQuery(for inputs: [Input]) throws(VQError) -> Query {
        var query = query(for: inputs)
        try InputLimits(profile: session.profile).check(parts: query.parts)
        if let path = query.generation?.mask { query.mask = try GenerationPreparation.mask(path, first: query.parts.first, notice: onSavedImage) }
        if let item = item(for: inputs) { warnOfIgnoredOptions(query, item: item) }
        return query
    }

    /// The options the api ignores in every request of the run, which its start names: for image making, those it
    /// ignores both when generating and when editing (a prompt list mixes both; `--fidelity` only applies to edits,
    /// `--moderation` only to generations on OpenAI), so a line's own request may add others.
    public var runWideIgnoredOptions: [String] {
        let generating = session.provider.unusedOptions(template)
        guard template.generation != nil else { return generating }
        var editing = template
        editing.parts = [InputPart(source: "", content: .remoteURL(""))]
        let ignoredWhenEditing = Set(session.provider.unusedOptions(editing))
        return generating.filter(ignoredWhenEditing.contains)
    }

    /// Warns, once for each set, of the options a line's request has that the api ignores (beyond those the run's
    /// start already named).
    private func warnOfIgnoredOptions(_ query: Query, item: BatchItem) {
        let already = Set(runWideIgnoredOptions)
        let ignored = session.provider.unusedOptions(query).filter { !already.contains($0) }
        guard !ignored.isEmpty, saidIgnored.first(ignored.joined(separator: ", ")) else { return }
        let profile = session.profile
        onIgnoredLineOptions(
            "\(item.path): \(profile.name) (\(profile.api.rawValue)) ignores \(ignored.joined(separator: ", "))"
                + (query.model.isEmpty ? "" : " with model \(query.model)"))
    }

    /// The prompt-list item these inputs are, when they are one.
    func item(for inputs: [Input]) -> BatchItem? { inputs.count == 1 ? promptedItems[inputs[0].source] : nil }

    /// Sends the inputs as one request; one result per input.
    public func send(_ inputs: [Input]) -> [BatchResult] {
        let counter = AttemptCountingClient(base: client)
        let asked = query(for: inputs)
        let images = BatchItemImages(query: asked, item: item(for: inputs), session: session, directory: outputDirectory, report: onSavedImage)
        let saved = images.collector
        let outcome: Result<QueryOutcome, VQError>
        do throws(VQError) {
            let client = session.retrying(counter, onRetry: onRetry)
            let query = try preparedQuery(for: inputs)
            var answer: QueryOutcome
            do throws(VQError) {
                answer = try session.run(query, client: client, sink: saved)
            } catch {
                guard let fallback = documentFallback, let rendered = try fallback.rendered(query, after: error) else { throw error }
                answer = try session.run(rendered, client: client, sink: saved)
            }
            answer.text = saved.replaceDataURLs(in: answer.text)
            try images.checkSaved(query, profile: session.profile.name)
            outcome = .success(answer)
        } catch {
            outcome = .failure(error)
        }
        return inputs.map { input in
            var result = BatchResult(image: input.source)
            result.profile = session.profile.name
            images.describe(&result)
            result.attempts = counter.attempts
            let original = input.parts.compactMap { $0.preparation?.originalByteCount }
            result.originalBytes = original.isEmpty ? nil : original.reduce(0, +)
            let sent = input.parts.compactMap(\.inlineByteCount)
            result.preparedBytes = sent.isEmpty ? nil : sent.reduce(0, +)
            switch outcome {
            case .success(let answer):
                result.output = answer.text
                result.model = answer.model ?? (asked.model.isEmpty ? nil : asked.model)
                result.usage = answer.usage
                result.cost = answer.cost.map { $0.share(of: inputs.count) }
                result.finishReason = answer.finishReason
                images.record(&result)
            case .failure(let error):
                result.error = error
            }
            return result
        }
    }
}

/// Which messages were said already, across a batch's threads.
private final class SaidOnce: @unchecked Sendable {
    private let lock = Lock()
    private var said: Set<String> = []

    /// True the first time `message` is seen.
    func first(_ message: String) -> Bool { lock.withLock { said.insert(message).inserted } }
}
