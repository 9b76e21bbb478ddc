import FoundationEssentials
import Imaging
import TextFormatting
import Transport

/// One service's wire format behind one interface: builds requests from a `Query`, decodes answers (streamed or
/// whole) into `StreamEvent`s, explains its error bodies, estimates image tokens and states its defaults.
/// Adapters do no I/O; `exchange` (single request by default, several for Masterpiecex) runs them on a transport.
public protocol Provider: Sendable {
    var profile: Profile { get }
    /// How a streamed answer is framed on the wire.
    var framing: StreamFraming { get }

    /// Whether this profile must name a model (some services carry it in the URL, some have none).
    func requiresModel() -> Bool
    /// The request for a query. `key` is nil for services that need none. Throws for input the wire cannot carry.
    func makeRequest(_ query: Query, key: String?) throws(VQError) -> HTTPRequest
    /// One event (SSE) or line (NDJSON, as `data`) of a streamed answer.
    func decodeStreamEvent(_ event: SSEEvent) -> [StreamEvent]
    /// A whole (non-streamed) response body.
    func decodeResponse(_ body: Data) -> [StreamEvent]
    /// The one-line error for a failed HTTP status.
    func failure(status: Int, body: Data, headers: [String: String]) -> VQError
    /// A wait the service demands inside an error body (Gemini's `RetryInfo.retryDelay`), in seconds.
    func demandedWait(errorBody: Data) -> Double?
    /// Options the user gave that this service has no field for, as written on the command line.
    func ignoredOptions(_ query: Query) -> [String]
    /// Whether the service has a field for `--media-resolution` (Gemini's `generationConfig.mediaResolution`).
    var readsMediaResolution: Bool { get }
    /// The clip options a whole video sent to this service carries (Gemini's `video_metadata`); `--frames` and any
    /// other given for a whole video is warned about.
    var wholeVideoClipOptions: Set<String> { get }
    /// How each medium goes (inline, or uploaded first), for `--dry-run`; empty when there is one way only.
    func routeNotes(_ query: Query) -> [String]
    /// Whether the exchange uploads media before the request (Gemini over its inline cap): such a request cannot go
    /// into a provider batch's input file.
    func uploadsFirst(_ query: Query) -> Bool
    /// `count` run on the token-counting request (after uploading what the request cannot carry inline, deleted
    /// afterwards); nil when the service has no counting endpoint.
    func countingTokens(
        _ query: Query, context: ExchangeContext, log: @escaping (String) -> Void, count: (HTTPRequest) throws(VQError) -> Int
    ) throws(VQError) -> Int?
    /// Whether `vq gen` can ask this api for images.
    var makesImages: Bool { get }
    /// The -v lines saying how `vq gen`'s `--size`/`--aspect` became what the api allows.
    func generationNotes(_ query: Query) -> [String]
    /// Estimated input tokens of one image as sent, by the service's published formula; nil when unknown.
    func imageTokens(width: Int, height: Int, query: Query) -> Int?
    /// Estimated input tokens of a PDF sent whole, by the service's published per-page rule; nil when unknown.
    func documentTokens(_ document: DocumentInfo, query: Query) -> Int?
    /// Estimated input tokens of a video sent whole (the part `clip` selects), by the service's per-second rate; nil
    /// when unknown.
    func videoTokens(_ video: VideoInfo, clip: VideoClip, query: Query) -> Int?
    /// The request listing the models this key may use; nil when the service has no such list.
    func modelsRequest(key: String?) -> HTTPRequest?
    /// Model ids from the models response.
    func decodeModels(_ body: Data) -> [String]?
    /// The request that counts a query's input tokens exactly, without generating (Anthropic's
    /// `/messages/count_tokens`, Gemini's `:countTokens`); nil when the service has no such endpoint.
    func tokenCountRequest(_ query: Query, key: String?) throws(VQError) -> HTTPRequest?
    /// The input token count from the token-counting response.
    func decodeTokenCount(_ body: Data) -> Int?
    /// Whether the service has a structured-output field for `Query.schema`; without one, the schema goes into the prompt.
    var supportsSchema: Bool { get }
    /// What to try when the service refuses connections (a local server that is not running), or nil.
    var connectionHint: String? { get }
    /// The profile completed from the environment (region, project, endpoint overrides); throws `.config` naming what
    /// is missing. Called once, when the profile is resolved.
    func settled(environment: [String: String]) throws(VQError) -> Profile
    /// The last step before a request is sent (signing, for AWS); `context` carries the key and the environment.
    func authorize(_ request: HTTPRequest, context: ExchangeContext) throws(VQError) -> HTTPRequest
    /// Runs the whole exchange for one query: sends, decodes, feeds the sink.
    func exchange(_ query: Query, context: ExchangeContext, sink: AnswerSink) throws(VQError) -> QueryOutcome
}

/// How streamed events are delimited.
public enum StreamFraming: Sendable {
    /// Server-sent events (`text/event-stream`).
    case sse
    /// One JSON object per line (`application/x-ndjson`).
    case ndjson
    /// AWS's binary event stream (`application/vnd.amazon.eventstream`); each message reaches the adapter as an
    /// `SSEEvent` named by its `:event-type` (or `exception:` + its `:exception-type`), the payload as `data`.
    case awsEventStream
}

/// What an exchange needs besides the query: the network, its settings, the key and the `-H` headers; the
/// environment (cloud credentials) and a way to fetch the key again (an access token that expired).
public struct ExchangeContext: Sendable {
    public var client: HTTPClient
    public var transfer: TransferOptions
    public var key: String?
    public var extraHeaders: [(name: String, value: String)]
    public var environment: [String: String]
    /// Runs the key's source again (key_cmd); nil when the key cannot change.
    public var refreshKey: (@Sendable () throws(VQError) -> String?)?
    /// Whether files uploaded to a Files API stay on the service (`--keep-uploads`).
    public var uploads = UploadSettings()

    public init(
        client: HTTPClient, transfer: TransferOptions, key: String?, extraHeaders: [(name: String, value: String)] = [],
        environment: [String: String] = [:], refreshKey: (@Sendable () throws(VQError) -> String?)? = nil
    ) {
        self.client = client
        self.transfer = transfer
        self.key = key
        self.extraHeaders = extraHeaders
        self.environment = environment
        self.refreshKey = refreshKey
    }
}

/// Where the events of one answer go as they arrive (stdout and saved images for a query, a collector for a batch item).
public protocol AnswerSink: AnyObject {
    func receive(text: String)
    func receive(image: ReturnedImage)
    /// A transient status line while waiting (polling services).
    func progress(_ line: String)
    /// A -v line.
    func debug(_ line: String)
    /// The prompt the image maker used for the images that follow (kept in their provenance).
    func receive(revisedPrompt: String)
}

extension AnswerSink {
    public func receive(revisedPrompt: String) {}
    public func progress(_ line: String) {}
    public func debug(_ line: String) {}
}

extension Provider {
    public var framing: StreamFraming { .sse }
    public func requiresModel() -> Bool { true }
    public func failure(status: Int, body: Data, headers: [String: String]) -> VQError {
        ServiceErrorSummary.error(
            status: status, body: body, contentType: headers["content-type"], profile: profile, headers: headers,
            demandedWait: demandedWait(errorBody: body))
    }
    public func demandedWait(errorBody: Data) -> Double? { nil }
    public func ignoredOptions(_ query: Query) -> [String] { [] }
    public var readsMediaResolution: Bool { false }
    public var wholeVideoClipOptions: Set<String> { [] }
    public func routeNotes(_ query: Query) -> [String] { [] }
    public func uploadsFirst(_ query: Query) -> Bool { false }
    public func countingTokens(
        _ query: Query, context: ExchangeContext, log: @escaping (String) -> Void, count: (HTTPRequest) throws(VQError) -> Int
    ) throws(VQError) -> Int? {
        try tokenCountRequest(query, key: context.key).map { (request) throws(VQError) in try count(request) }
    }

    /// `ignoredOptions` plus the options only some services read (`--media-resolution`): what the run warns about.
    public func unusedOptions(_ query: Query) -> [String] {
        ignoredOptions(query) + (query.mediaResolution != nil && !readsMediaResolution ? ["--media-resolution"] : [])
            + unusedClipOptions(query)
    }

    /// The clip options given for a video that goes whole to a service with no field for them (a `video_url` part).
    private func unusedClipOptions(_ query: Query) -> [String] {
        var given: Set<String> = []
        for part in query.parts {
            guard case .video(_, let clip) = part.content else { continue }
            if clip.start != nil { given.insert("--start") }
            if clip.end != nil { given.insert("--end") }
            if clip.fps != nil { given.insert("--fps") }
            if clip.frames != nil { given.insert("--frames") }
        }
        return ["--start", "--end", "--fps", "--frames"].filter { given.contains($0) && !wholeVideoClipOptions.contains($0) }
    }
    public func documentTokens(_ document: DocumentInfo, query: Query) -> Int? { nil }

    public func videoTokens(_ video: VideoInfo, clip: VideoClip, query: Query) -> Int? { nil }

    /// The tokens of each page as an image (its size in points), plus `textPerPage`: the rule of services that put an
    /// image of every page in the context (OpenAI's file inputs; Anthropic's PDF support, 1,500+ text tokens a page).
    func pageImageTokens(_ document: DocumentInfo, query: Query, textPerPage: Int = 0) -> Int? {
        guard document.pageSizes.count == document.pageCount else { return nil }
        var total = 0
        for size in document.pageSizes {
            guard let tokens = imageTokens(width: size.width, height: size.height, query: query) else { return nil }
            total += tokens + textPerPage
        }
        return total
    }
    public var makesImages: Bool { false }
    public func generationNotes(_ query: Query) -> [String] { [] }
    public func modelsRequest(key: String?) -> HTTPRequest? { nil }
    public var connectionHint: String? { nil }
    public var supportsSchema: Bool { false }
    public func decodeModels(_ body: Data) -> [String]? { nil }
    public func tokenCountRequest(_ query: Query, key: String?) throws(VQError) -> HTTPRequest? { nil }
    public func decodeTokenCount(_ body: Data) -> Int? { nil }
    public func settled(environment: [String: String]) throws(VQError) -> Profile { profile }
    public func authorize(_ request: HTTPRequest, context: ExchangeContext) throws(VQError) -> HTTPRequest { request }

    public func exchange(_ query: Query, context: ExchangeContext, sink: AnswerSink) throws(VQError) -> QueryOutcome {
        try singleExchange(query, context: context, sink: sink)
    }

    /// The single-request exchange every chat-style service uses.
    public func singleExchange(_ query: Query, context: ExchangeContext, sink: AnswerSink) throws(VQError) -> QueryOutcome {
        var request = try makeRequest(query, key: context.key)
        request.apply(extraHeaders: context.extraHeaders)
        try request.checkSize(for: profile)
        request = try authorize(request, context: context)
        let runner = QueryRunner(client: context.client, transfer: context.transfer, provider: self)
        return try runner.run(request, stream: query.stream, sink: LinkedImageFetcher(sink: sink, client: context.client, transfer: context.transfer))
    }

    /// `{base_url}` + `tail`, without a doubled slash.
    func url(_ tail: String) -> String {
        let base = profile.baseURL.hasSuffix("/") ? String(profile.baseURL.dropLast()) : profile.baseURL
        return base + (tail.hasPrefix("/") ? tail : "/" + tail)
    }

    /// A GET with the service's authentication, for lists such as `/models`.
    func authorizedGET(_ tail: String, key: String?) -> HTTPRequest {
        var request = HTTPRequest(method: "GET", url: url(tail), headers: [("Accept", "application/json")])
        request.addAuthentication(key: key, profile: profile, defaultHeader: nil)
        return request
    }
}

extension HTTPRequest {
    /// A JSON POST of `body` (inline images streamed as base64 parts) that accepts `streamType` when streaming,
    /// JSON otherwise.
    static func jsonPOST(
        _ url: String, body: [String: Any], images: [JSONBodyBuilder.InlineImage], stream: Bool, streamType: String = "text/event-stream"
    ) -> HTTPRequest {
        HTTPRequest(
            method: "POST", url: url, headers: [("Content-Type", "application/json"), ("Accept", stream ? streamType : "application/json")],
            body: JSONBodyBuilder.parts(for: body, images: images))
    }

    /// The profile's `max_request_bytes`, checked before anything is sent.
    public func checkSize(for profile: Profile) throws(VQError) {
        guard let limit = profile.maxRequestBytes, bodyLength > limit else { return }
        throw VQError(
            .badInput,
            "the request is \(ByteCountText.format(bodyLength)), over profile '\(profile.name)''s max_request_bytes of \(ByteCountText.format(limit)); send fewer or smaller images"
        )
    }

    /// `-H` headers replace any header of the same name.
    mutating func apply(extraHeaders: [(name: String, value: String)]) {
        for header in extraHeaders {
            headers.removeAll { $0.name.lowercased() == header.name.lowercased() }
            headers.append(header)
        }
    }

    /// The key in the profile's `auth` header, else in `defaultHeader`, else as `Authorization: Bearer`;
    /// then the profile's own headers. The header carrying the key is always redacted.
    mutating func addAuthentication(key: String?, profile: Profile, defaultHeader: String?) {
        if let key {
            if let header = profile.auth ?? defaultHeader {
                headers.append((header, key))
                secretHeaderNames.insert(header.lowercased())
            } else {
                headers.append(("Authorization", "Bearer \(key)"))
            }
        }
        for (name, value) in profile.headers.sorted(by: { $0.key < $1.key }) { headers.append((name, value)) }
    }
}
