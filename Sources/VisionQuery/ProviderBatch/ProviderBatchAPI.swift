import FoundationEssentials
import Platform
import TextFormatting
import Transport

/// A provider's own asynchronous batch API (OpenAI Batch, Anthropic Message Batches, Gemini batch mode): about half the price, results
/// within hours. Builds the input, submits it, reports progress, fetches per-request results, cancels.
public protocol ProviderBatchAPI: Sendable {
    /// "openai batch", for progress lines.
    var name: String { get }
    /// The provider's limits per job (requests, input bytes).
    var limits: ProviderBatchLimits { get }
    /// Bytes before the first item, between items and after the last in the input file.
    var inputFraming: (prefix: Data, separator: Data, suffix: Data) { get }
    /// One request of the input file, wrapped with its `custom_id`; `request` is what a single query would send.
    func inputItem(customID: String, request: HTTPRequest) -> [BodyPart]
    /// Where a job holding `request` is sent when that is not where every job of this api goes (OpenAI's endpoint of
    /// an Images API request, Gemini's model of an image maker); nil for the api's own. Requests of different routes
    /// go into different jobs, as one job has one endpoint.
    func route(of request: HTTPRequest) -> String?
    /// Uploads and creates the job as far as it has not been done; `save` records each step (file id, batch id)
    /// before the next, so an interrupted submission resumes instead of submitting twice.
    func submit(
        _ job: inout ProviderBatchState.Job, context: ExchangeContext,
        save: (ProviderBatchState.Job) throws(VQError) -> Void) throws(VQError)
    /// The job's state now.
    func status(of job: ProviderBatchState.Job, context: ExchangeContext) throws(VQError) -> ProviderBatchStatus
    /// Every finished request's raw result, by `custom_id`: the response body to decode, or an error.
    func results(
        of job: ProviderBatchState.Job, status: ProviderBatchStatus, context: ExchangeContext,
        each: (String, ProviderBatchItemResult) -> Void) throws(VQError)
    func cancel(_ job: ProviderBatchState.Job, context: ExchangeContext) throws(VQError)
    /// Deletes the files vq uploaded for `job` and the result files its job produced (stored and billed at the
    /// provider) once every result is written; returns how many. Providers that keep no files delete nothing.
    func deleteFiles(of job: ProviderBatchState.Job, status: ProviderBatchStatus?, context: ExchangeContext) throws(VQError) -> Int
}

extension ProviderBatchAPI {
    public func route(of request: HTTPRequest) -> String? { nil }

    public func deleteFiles(of job: ProviderBatchState.Job, status: ProviderBatchStatus?, context: ExchangeContext) throws(VQError) -> Int { 0 }
}

/// The most one job may hold.
public struct ProviderBatchLimits: Sendable, Equatable {
    public var requests: Int
    public var bytes: Int
    /// Estimated input tokens in jobs submitted and not ended (`batch_max_enqueued_tokens`); nil: no limit.
    public var enqueuedTokens: Int? = nil
}

/// Where a job stands.
public struct ProviderBatchStatus: Sendable, Equatable {
    /// The provider's word: `validating`, `in_progress`, `ended`, `completed`, …
    public var state: String
    public var finished: Bool
    public var total: Int?
    public var done: Int
    public var failed: Int
    /// Where results are (OpenAI's output and error file ids, Anthropic's results URL).
    public var resultLocations: [String]
    /// Why a job failed as a whole (validation errors), when it did.
    public var failure: String?
}

/// One request's outcome in a finished job.
public enum ProviderBatchItemResult: Sendable {
    /// The response body, as the synchronous API would have answered.
    case response(status: Int, body: Data)
    /// Failed, expired or cancelled, with the provider's reason.
    case failed(String)
}

extension Provider {
    /// This service's batch API, when it has one.
    public var batchAPI: (any ProviderBatchAPI)? {
        switch profile.api {
        case .openai: OpenAIBatchAPI(profile: profile, endpoint: "/chat/completions")
        case .openaiResponses: OpenAIBatchAPI(profile: profile, endpoint: "/responses")
        case .anthropic: AnthropicBatchAPI(profile: profile)
        case .gemini: GeminiBatchAPI(profile: profile)
        case .ollama, .masterpiecex, .bedrock, .vertex, .azure: nil
        }
    }
}

/// The apis with a batch API, for the error that names them.
public enum ProviderBatchSupport {
    public static let apis: [APIKind] = [.openai, .openaiResponses, .anthropic, .gemini]

    /// `vq gen --provider-batch`: fails (exit 64, before anything is read or sent) unless the session makes images
    /// through a batch API that takes image requests: OpenAI's Images API (`/v1/images/generations` and `/edits`
    /// are batch endpoints; an edit goes in its JSON form, which dall-e does not take) and Gemini's batch mode for
    /// its image models.
    public static func checkMakesImages(_ session: QuerySession) throws(VQError) {
        let profile = session.profile
        try GenerationPreparation.checkMakesImages(session)
        guard (profile.api == .openai && profile.imagesAPI) || profile.api == .gemini else {
            let why =
                profile.api == .openai
                ? "its image requests go to the chat endpoint (set images = true for the Images API)"
                : "vq sends its image requests only directly"
            throw VQError(
                .usage,
                "'--provider-batch' makes images through api openai with the Images API (images = true) or api gemini; profile '\(profile.name)' (\(profile.api.rawValue)) cannot: \(why); use -j N instead"
            )
        }
    }

    /// Fails (exit 64, before the run's files are opened) when an item of the prompt list edits with a model whose
    /// edits the batch cannot carry (dall-e's are multipart only); each item's model is the one its query through
    /// `sender` names, as its line will.
    public static func checkEdits(_ items: [BatchItem], sender: BatchRequestSender) throws(VQError) {
        guard sender.session.profile.api == .openai else { return }
        var sender = sender
        sender.promptedItems = Dictionary(items.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        for item in items where !item.sources.isEmpty {
            let model = sender.query(for: [Input(source: item.path, medium: .image, parts: [])]).model
            if let refusal = OpenAIImagesAPI.jsonEditRefusal(model: model) { throw VQError(.usage, "\(item.key): \(refusal.message)") }
        }
    }
}

/// Shared plumbing of the batch APIs: authenticated JSON calls with the service's error messages.
struct BatchAPICalls {
    let profile: Profile
    let provider: any Provider

    init(profile: Profile) {
        self.profile = profile
        provider = profile.provider
    }

    /// `{base_url}` + tail.
    func url(_ tail: String) -> String {
        (profile.baseURL.hasSuffix("/") ? String(profile.baseURL.dropLast()) : profile.baseURL) + tail
    }

    /// A URL the service returned (`results_url`), resolved against `base_url` as RFC 3986 says when it is relative
    /// (`/v1/messages/batches/x/results`); an absolute one is kept as it is.
    func resolve(_ reference: String) -> String {
        guard URLComponents(string: reference)?.scheme == nil, let base = URL(string: profile.baseURL),
            let resolved = URL(string: reference, relativeTo: base)?.absoluteString
        else { return reference }
        return resolved
    }

    /// Sends `request` with the profile's authentication and `-H` headers; returns the body of a 2xx answer.
    func call(
        _ request: HTTPRequest, authHeader: String?, extraHeaders: [(name: String, value: String)] = [],
        context: ExchangeContext, step: String, maxBytes: Int = 64 << 20
    ) throws(VQError) -> Data {
        var request = request
        request.addAuthentication(key: context.key, profile: profile, defaultHeader: authHeader)
        request.headers += extraHeaders
        request.apply(extraHeaders: context.extraHeaders)
        let head: HTTPResponseHead
        let body: Data
        do {
            (head, body) = try context.client.fetch(request, options: context.transfer, maxBytes: maxBytes)
        } catch {
            throw QueryRunner.transportFailure(error, profile: profile.name, answered: false)
        }
        guard (200..<300).contains(head.status) else {
            let failure = provider.failure(status: head.status, body: body, headers: head.headers)
            throw VQError(failure.category, failure.message + " (\(step))")
        }
        return body
    }

    /// A JSON request body.
    static func json(_ object: [String: Any]) -> [BodyPart] { [.bytes(JSONWriter.data(object))] }

    /// The body as a JSON object, or a clear error.
    func object(_ body: Data, step: String) throws(VQError) -> [String: Any] {
        guard let object = JSONValue.object(from: body) else {
            throw VQError(.unavailable, "\(profile.name): \(step) answered with something that is not JSON: \(ServiceErrorSummary.excerpt(body))")
        }
        return object
    }

    private static func lineTooLong(_ framer: NDJSONFramer, profile: String, step: String) -> VQError {
        VQError(.unavailable, "a line of the \(step) from \(profile) is longer than the \(ByteCountText.format(framer.maxLineBytes)) limit; giving up")
    }

    /// Each JSON line of a results file, streamed.
    func lines(
        _ request: HTTPRequest, authHeader: String?, extraHeaders: [(name: String, value: String)] = [],
        context: ExchangeContext, step: String, each: ([String: Any]) -> Void
    ) throws(VQError) {
        var request = request
        request.addAuthentication(key: context.key, profile: profile, defaultHeader: authHeader)
        request.headers += extraHeaders
        var framer = NDJSONFramer()
        var status = 0
        var errorBody = Data()
        let head: HTTPResponseHead
        do {
            head = try context.client.send(
                request, options: context.transfer, onHead: { status = $0.status },
                onData: { chunk in
                    guard (200..<300).contains(status) else {
                        if errorBody.count < context.transfer.maxBufferedErrorBody { errorBody.append(chunk.prefix(1 << 20)) }
                        return true
                    }
                    for line in framer.feed(chunk) { if let object = JSONValue.object(from: line) { each(object) } }
                    return !framer.overLimit
                })
        } catch {
            if framer.overLimit { throw Self.lineTooLong(framer, profile: profile.name, step: step) }
            throw QueryRunner.transportFailure(error, profile: profile.name, answered: false)
        }
        guard (200..<300).contains(head.status) else {
            let failure = provider.failure(status: head.status, body: errorBody, headers: head.headers)
            throw VQError(failure.category, failure.message + " (\(step))")
        }
        if framer.overLimit { throw Self.lineTooLong(framer, profile: profile.name, step: step) }
        if let last = framer.finish(), let object = JSONValue.object(from: last) { each(object) }
    }
}
