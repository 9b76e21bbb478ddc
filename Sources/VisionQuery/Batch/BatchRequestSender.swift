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
        if inputs.count == 1, let item = promptedItems[inputs[0].source], let prompt = item.prompt {
            query.prompt = prompt
            item.options.apply(to: &query)
        }
        return query
    }

    /// Sends the inputs as one request; one result per input.
    public func send(_ inputs: [Input]) -> [BatchResult] {
        let counter = AttemptCountingClient(base: client)
        let item = inputs.count == 1 ? promptedItems[inputs[0].source] : nil
        let saver = ImageSaver(directory: outputDirectory ?? ".", maxImages: session.profile.limits.maxSavedImages, stem: item?.imageStem)
        let saved = ReturnedImageCollector(saver: saver, report: onSavedImage)
        var query = query(for: inputs)
        let provenance = query.generation.map { _ in ImageProvenance(query: query, profile: session.profile) }
        if query.generation?.metadata == true { saver.provenance = provenance }
        let outcome: Result<QueryOutcome, VQError>
        do throws(VQError) {
            let client = session.retrying(counter, onRetry: onRetry)
            try prepare(&query, item: item)
            var answer: QueryOutcome
            do throws(VQError) {
                answer = try session.run(query, client: client, sink: saved)
            } catch {
                guard let fallback = documentFallback, let rendered = try fallback.rendered(query, after: error) else { throw error }
                answer = try session.run(rendered, client: client, sink: saved)
            }
            answer.text = saved.replaceDataURLs(in: answer.text)
            if query.generation != nil, saved.paths.isEmpty {  // nothing to show for it: an error, so --resume asks again
                throw saved.firstFailure ?? VQError(.unavailable, "\(session.profile.name) answered without an image")
            }
            outcome = .success(answer)
        } catch {
            outcome = .failure(error)
        }
        return inputs.map { input in
            var result = BatchResult(image: input.source)
            result.profile = session.profile.name
            result.prompt = item?.prompt
            result.sources = item?.sources ?? []
            result.provenance = provenance
            result.attempts = counter.attempts
            let original = input.parts.compactMap { $0.preparation?.originalByteCount }
            result.originalBytes = original.isEmpty ? nil : original.reduce(0, +)
            let sent = input.parts.compactMap(\.inlineByteCount)
            result.preparedBytes = sent.isEmpty ? nil : sent.reduce(0, +)
            switch outcome {
            case .success(let answer):
                result.output = answer.text
                result.model = answer.model ?? (query.model.isEmpty ? nil : query.model)
                result.usage = answer.usage
                result.cost = answer.cost.map { $0.share(of: inputs.count) }
                result.finishReason = answer.finishReason
                result.savedImages = saved.paths
                result.revisedPrompts = saved.revisedPrompts
            case .failure(let error):
                result.error = error
            }
            return result
        }
    }

    /// Checks the request's parts against the profile's limits (a PDF's rendered pages count), reads and checks the
    /// mask against the first image, and warns of a line's options the api ignores: what sending and a dry run share.
    func prepare(_ query: inout Query, item: BatchItem?) throws(VQError) {
        try InputLimits(profile: session.profile).check(parts: query.parts)
        if let path = query.generation?.mask { query.mask = try GenerationPreparation.mask(path, first: query.parts.first, notice: onSavedImage) }
        if let item, !item.options.isEmpty { warnOfIgnoredOptions(query, item: item) }
    }

    /// Warns, once for each set, of the options a line asks that the api ignores for its request (beyond those the
    /// run's start already named).
    private func warnOfIgnoredOptions(_ query: Query, item: BatchItem) {
        let already = Set(session.provider.unusedOptions(template))
        let ignored = session.provider.unusedOptions(query).filter { !already.contains($0) }
        guard !ignored.isEmpty, saidIgnored.first(ignored.joined(separator: ", ")) else { return }
        let profile = session.profile
        onIgnoredLineOptions(
            "\(item.path): \(profile.name) (\(profile.api.rawValue)) ignores \(ignored.joined(separator: ", "))"
                + (query.model.isEmpty ? "" : " with model \(query.model)"))
    }
}

/// Which messages were said already, across a batch's threads.
private final class SaidOnce: @unchecked Sendable {
    private let lock = Lock()
    private var said: Set<String> = []

    /// True the first time `message` is seen.
    func first(_ message: String) -> Bool { lock.withLock { said.insert(message).inserted } }
}
