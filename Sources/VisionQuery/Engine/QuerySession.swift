import FoundationEssentials
import Imaging
import TextFormatting
import Transport

/// Everything a query or a batch settles before the first image is read: the profile and its adapter, the key,
/// timeouts and retries. `vq` and `vq batch` both start here, so they cannot drift apart.
public struct QuerySession: Sendable {
    public let options: QueryOptions
    public let config: ConfigFile?
    public let profile: Profile
    public let provider: any Provider
    /// Nil for services that need none, in a dry run without one, and until `resolveKey` when deferred.
    public private(set) var key: String?
    /// Whether the key has been looked for (a deferred session looks when its inputs are loaded).
    public private(set) var keyResolved = false
    private let keys: KeyResolver
    /// Read by cloud adapters (AWS credentials) at exchange time.
    private let environment: [String: String]
    /// Timeouts, TLS (the profile's CA bundle and client certificate), proxies; the caller may add a cancellation.
    public var transfer: TransferOptions
    public let policy: RetryPolicy
    /// `--schema`: what every answer is checked against.
    public var schema: AnswerSchema?
    /// How PDFs are sent on this profile (`pdf = …`, `--pdf`, `--pages`); replaced by its rendering form when the
    /// service refused a file part.
    public var documents: DocumentPolicy
    /// How videos are sent on this profile (`video = …`; `--start`, `--end`, `--fps`, `--frames`).
    public var videos: VideoPolicy

    /// `stream` is false for whole answers (`--no-stream`, every batch item). `warn` gets what the user should
    /// hear even without -v; `debug` gets -v lines (and turns on libcurl's redacted log). `deferKey` leaves the key
    /// for `resolveKey`, so that a bad input file is reported before a missing key.
    /// `config` is the file already read (`ConfigLocator.load`), so that it is parsed once per run.
    public init(
        options: QueryOptions, config: ConfigFile?, environment: [String: String], stream: Bool, deferKey: Bool = false,
        warn: (String) -> Void, debug: (@Sendable (String) -> Void)?
    ) throws(VQError) {
        self.options = options
        self.environment = environment
        schema = try options.schema.map { (text) throws(VQError) in try AnswerSchema.load(text, origin: "--schema") }
        self.config = config
        profile = try ProfileResolver(config: config, environment: environment)
            .resolve(profileFlag: options.profile, modelFlag: options.model)
        provider = profile.provider
        documents = try DocumentPolicy(profile: profile, options: options)
        videos = try VideoPolicy(profile: profile, options: options)

        keys = KeyResolver(
            environment: environment,
            configPath: config?.path ?? ConfigLocator.locate(flag: options.configPath, environment: environment).path)
        key = nil
        var transfer = try ProfileTransfer.options(for: profile, environment: environment)
        transfer.totalTimeout = options.timeout
        transfer.stallTimeout =
            options.stallTimeout ?? profile.stallTimeout
            ?? (stream ? TimeoutDefaults.streamStall : options.timeout ?? TimeoutDefaults.wholeAnswerStall)
        transfer.verbose = debug
        self.transfer = transfer
        policy = RetryPolicy(retries: options.retries ?? profile.retries, maxWait: options.retryMaxWait ?? profile.retryMaxWait)
        if !deferKey { try resolveKey(warn: warn) }
    }

    /// Prices this session's exchanges: the bundled table with the config's `[prices."MODEL"]` sections.
    public var costCounter: CostCounter { CostCounter(table: PriceTable.forConfig(config), profile: profile) }

    /// Finds the key (exit 77 naming the variable when there is none); in a dry run a missing key is a warning.
    public mutating func resolveKey(warn: (String) -> Void) throws(VQError) {
        defer { keyResolved = true }
        if options.dryRun {
            do { key = try keys.key(for: profile) } catch {
                warn("\(error.message) (dry run: shown without it)")
                key = nil
            }
        } else {
            key = try keys.key(for: profile)
            if let warning = keys.exposureWarning(for: profile, key: key) { warn(warning) }
            if let config, profile.key != nil, key == profile.key, config.readableByOthers {
                warn("\(config.path) holds a key and is readable by others; run: chmod 600 \(config.path)")
            }
        }
    }

    /// `base` with the retry policy; each retry is announced to `onRetry` (a -v line). Whatever comes back has the
    /// request's secrets redacted, so no echo of the key reaches the terminal, `--json`, the log or a batch file.
    public func retrying(_ base: HTTPClient, onRetry: @escaping @Sendable (String) -> Void) -> HTTPClient {
        let name = profile.name
        let provider = self.provider
        var client = RetryingHTTPClient(base: base, policy: policy) { notice in onRetry(Self.line(notice, profile: name)) }
        client.demandedWaitInBody = { provider.demandedWait(errorBody: $0) }
        return RedactingHTTPClient(base: client)
    }

    /// "HTTP 429 from scaleway, retrying in 1.2 s (2/3)".
    static func line(_ notice: RetryNotice, profile: String) -> String {
        "\(notice.reason) from \(profile), retrying in \(DecimalText.fixed(notice.delay, places: 1)) s (\(notice.attempt)/\(notice.maxAttempts))"
    }

    /// The image loader for this profile: URLs passed or inlined as the service needs, images shrunk to its limits,
    /// downloads through `client` (with retries).
    public func loader(client: HTTPClient, inlineImagesPerRequest: Int, prompt: String) -> InputLoader {
        var loader = InputLoader(urlMode: profile.imageURLs, client: client, transfer: transfer)
        loader.readsYouTube = profile.api == .gemini
        loader.serviceName = "profile '\(profile.name)' (\(profile.api.rawValue))"
        loader.preparation = options.preparationOptions(profile: profile, inlineImagesPerRequest: inlineImagesPerRequest, prompt: prompt)
        loader.documents = DocumentPreparer(
            policy: documents, preparation: loader.preparation, sharesRequestBudget: profile.maxRequestBytes != nil)
        // Each inline input of a request may be a video: each gets an even share of the image limit (a query narrows
        // this with `InputLimits.frameBudget`, knowing which of its arguments are videos).
        loader.videos = VideoPreparer(
            policy: videos, preparation: loader.preparation, sharesRequestBudget: profile.maxRequestBytes != nil,
            frameBudget: profile.maxImages.map { max(1, $0 / max(1, inlineImagesPerRequest)) }, profileName: profile.name)
        return loader
    }

    /// How many of these image arguments go inline (the rest are URLs the service fetches).
    public func inlineCount(_ arguments: [String]) -> Int {
        arguments.filter { !InputLoader.isURL($0) || profile.imageURLs == .inline }.count
    }

    /// The query with the options applied; parts and history are the caller's.
    public func query(prompt: String, stream: Bool) -> Query {
        var query = Query(prompt: prompt, model: profile.model ?? "")
        query.system = options.system
        query.temperature = options.temperature
        query.topP = options.topP
        query.maxTokens = options.maxTokens
        query.stop = options.stop
        query.detail = options.detail
        query.mediaResolution = options.mediaResolution
        query.stream = stream
        query.modalities = options.modalities ?? profile.modalities
        query.generation = options.generation
        if options.generation != nil, options.model == nil, let imageModel = profile.imageModel { query.model = imageModel }
        if let schema { schema.ask(in: &query, profile: profile, provider: provider) }
        return query
    }

    /// The `-H` headers.
    private var extraHeaders: [(name: String, value: String)] { options.headers.map { (name: $0.name, value: $0.value) } }

    /// What the exchange needs to send.
    public func context(client: HTTPClient) -> ExchangeContext {
        let keys = self.keys
        let profile = self.profile
        var refresh: (@Sendable () throws(VQError) -> String?)? = nil
        if profile.keyCmd != nil { refresh = { () throws(VQError) -> String? in try keys.key(for: profile) } }
        var context = ExchangeContext(
            client: client, transfer: transfer, key: key, extraHeaders: extraHeaders, environment: environment, refreshKey: refresh)
        context.uploads.keep = options.keepUploads
        return context
    }

    /// The request as it would be sent (dry run, sizes), `-H` headers applied.
    public func request(for query: Query) throws(VQError) -> HTTPRequest {
        var request = try provider.makeRequest(query, key: key)
        request.apply(extraHeaders: extraHeaders)
        return request
    }

    /// Runs one query end to end on `client` (already retrying): the one engine of `vq` and each `vq batch` item.
    /// A stream cut before any text arrived is sent again (nothing was printed, so nothing is duplicated);
    /// `onRetry` hears of each such retry.
    public func run(
        _ query: Query, client: HTTPClient, sink: AnswerSink,
        onRetry: @escaping (String) -> Void = { _ in }
    ) throws(VQError) -> QueryOutcome {
        let context = context(client: client)
        let name = profile.name
        let retry = CutStreamRetry(policy: policy) { notice in onRetry(Self.line(notice, profile: name)) }
        var outcome = try retry.run { () throws(VQError) in try provider.exchange(query, context: context, sink: sink) }
        outcome.cost = costCounter.asking(query.model).cost(
            usage: outcome.usage, model: outcome.model ?? (query.model.isEmpty ? nil : query.model), returnedImages: outcome.returnedImages,
            images: ImagePriceKey(query: query))
        return outcome
    }

    /// Estimated input tokens of each part: an inline image by the service's image formula, a whole PDF by its
    /// per-page rule (nil for URLs and when the service publishes none).
    public func partTokens(_ query: Query) -> [Int?] {
        query.parts.map { part in
            switch part.content {
            case .image(_, let info): provider.imageTokens(width: info.width, height: info.height, query: query)
            case .document(_, let info): provider.documentTokens(info, query: query)
            case .video(let info, let clip): provider.videoTokens(info, clip: clip, query: query)
            case .remoteURL: nil
            }
        }
    }
}
