import FoundationEssentials
import Imaging
import Platform
import TextFormatting
import Transport

/// Masterpiecex's wire format (seed 000, `api = "masterpiecex"`): asset creation and upload, `POST /llm/image_query`,
/// `GET /status/{id}`. Builds requests and decodes responses; does no I/O (the multi-step exchange, upload → submit →
/// poll, lives in `MasterpiecexRunner`).
public struct MasterpiecexAdapter: Provider {
    public let profile: Profile

    public init(profile: Profile) { self.profile = profile }

    /// The service fetches image URLs; local images are uploaded as assets first.
    static let defaults = ProviderDefaults(imageURLs: .pass, maxSide: 2048)

    /// Masterpiecex has one image-query model and no model field.
    public func requiresModel() -> Bool { false }

    /// The image query as it will be submitted, local images named where their uploaded URLs will go
    /// (what `--dry-run` shows; the real exchange uploads first).
    public func makeRequest(_ query: Query, key: String?) throws(VQError) -> HTTPRequest {
        let urls = query.parts.map { part -> String in
            if case .remoteURL(let url) = part.content { return url }
            return "[\(part.source == "-" ? "stdin" : part.source), uploaded first via /assets/create]"
        }
        return imageQueryRequest(prompt: Self.prompt(query), imageURLs: urls, key: key)
    }

    /// The service has no conversation: earlier turns (`--messages`) go before the prompt as text.
    static func prompt(_ query: Query) -> String {
        guard let turns = query.history?.turns, !turns.isEmpty else { return query.prompt }
        let earlier = turns.map { "\($0.role): \($0.text)" }.joined(separator: "\n")
        return "Earlier conversation:\n\(earlier)\n\n\(query.prompt)"
    }

    /// A finished `/status` answer, the only response that carries the answer.
    public func decodeResponse(_ body: Data) -> [StreamEvent] {
        do throws(VQError) {
            let status = try decodeStatus(body)
            switch status.state {
            case .complete: return (status.output.map { [.text($0)] } ?? []) + [.finish(reason: "complete"), .done]
            case .failed: return [.serviceError(status.reason ?? "the request failed")]
            default: return []
            }
        } catch {
            return [.serviceError(error.message)]
        }
    }

    /// Masterpiecex does not stream; an event is read as a status answer.
    public func decodeStreamEvent(_ event: SSEEvent) -> [StreamEvent] { decodeResponse(Data(event.data.utf8)) }

    public func exchange(_ query: Query, context: ExchangeContext, sink: AnswerSink) throws(VQError) -> QueryOutcome {
        guard !query.parts.isEmpty else {
            throw VQError(.usage, "profile '\(profile.name)' (masterpiecex) needs at least one IMAGE")
        }
        var withHeaders = profile
        for header in context.extraHeaders { withHeaders.headers[header.name] = header.value }
        sink.debug("profile \(profile.name) (masterpiecex), \(URLRedactor.redact(profile.baseURL)), \(query.parts.count) image(s)")
        let runner = MasterpiecexRunner(
            client: context.client, transfer: context.transfer,
            adapter: MasterpiecexAdapter(profile: withHeaders), key: context.key)
        var earlier = query
        earlier.prompt = Self.prompt(query)
        let outcome = try runner.run(earlier, onProgress: sink.progress, onDebug: sink.debug)
        sink.receive(text: outcome.text)
        return outcome
    }

    /// Options that have no meaning for Masterpiecex, as the user wrote them.
    public func ignoredOptions(_ query: Query) -> [String] {
        var names: [String] = []
        if query.system != nil { names.append("--system") }
        if query.temperature != nil { names.append("--temperature") }
        if query.topP != nil { names.append("--top-p") }
        if query.maxTokens != nil { names.append("--max-tokens") }
        if !query.stop.isEmpty { names.append("--stop") }
        if query.detail != nil { names.append("--detail") }
        if !query.modalities.isEmpty { names.append("--modalities") }
        return names
    }

    /// Masterpiecex bills per request, not per token.
    public func imageTokens(width: Int, height: Int, query: Query) -> Int? { nil }

    /// What `/assets/create` answered.
    public struct CreatedAsset: Equatable, Sendable {
        /// The signed URL to PUT the bytes to.
        public let assetURL: String
        public let balance: Double?
        /// The URL to query with: `assetURL` without its query string.
        public var publicURL: String { MasterpiecexAdapter.publicURL(assetURL) }
    }

    /// What `/llm/image_query` answered: the id to poll.
    public struct Submission: Equatable, Sendable {
        public let requestID: String
        public let status: String
        public let balance: Double?
    }

    /// One answer of `/status/{id}`.
    public struct JobStatus: Equatable, Sendable {
        /// The states a request goes through.
        public enum State: Equatable, Sendable {
            case pending, processing, complete, failed
            case other(String)
        }
        public let state: State
        public let progress: Double?
        public let processingSeconds: Double?
        public let output: String?
        /// Why a failed request failed, when the service says.
        public let reason: String?
    }

    public func createAssetRequest(name: String, description: String, mimeType: String, key: String?) -> HTTPRequest {
        jsonRequest("POST", "/assets/create", ["name": name, "description": description, "type": mimeType], key: key)
    }

    /// The upload of an asset's bytes to its signed URL: Content-Type as declared, no API key (the URL is the credential).
    public func uploadRequest(assetURL: String, data: Data, mimeType: String) -> HTTPRequest {
        HTTPRequest(method: "PUT", url: assetURL, headers: [("Content-Type", mimeType)], body: [.bytes(data)])
    }

    public func imageQueryRequest(prompt: String, imageURLs: [String], key: String?) -> HTTPRequest {
        jsonRequest("POST", "/llm/image_query", ["userPrompt": prompt, "imageUrls": imageURLs], key: key)
    }

    public func statusRequest(requestID: String, key: String?) -> HTTPRequest {
        let escaped = PercentEncoding.encode(requestID, allowing: PercentEncoding.segmentAllowed)
        var request = HTTPRequest(method: "GET", url: url("/status/\(escaped)"), headers: [("Accept", "application/json")])
        if let key { request.headers.append(("Authorization", "Bearer \(key)")) }
        return request
    }

    /// A name the service accepts (`[a-z0-9_.]`, no spaces), unique per run.
    public static func assetName(index: Int, format: ImageFormat, nonce: String) -> String {
        "vq_\(nonce)_\(index).\(format.fileExtension)"
    }

    /// `https://…/x.png?X-Amz-Signature=…` → `https://…/x.png`.
    public static func publicURL(_ assetURL: String) -> String {
        String(assetURL.prefix { $0 != "?" && $0 != "#" })
    }

    public func decodeCreatedAsset(_ body: Data) throws(VQError) -> CreatedAsset {
        let object = try jsonObject(body, what: "/assets/create")
        guard let url = object["assetUrl"] as? String, InputLoader.isURL(url) else {
            throw VQError(.unavailable, "\(profile.name): /assets/create gave no assetUrl: \(ServiceErrorSummary.excerpt(body))")
        }
        return CreatedAsset(assetURL: url, balance: Self.number(object["balance"]))
    }

    public func decodeSubmission(_ body: Data) throws(VQError) -> Submission {
        let object = try jsonObject(body, what: "/llm/image_query")
        guard let id = object["requestId"] as? String, !id.isEmpty else {
            throw VQError(.unavailable, "\(profile.name): /llm/image_query gave no requestId: \(ServiceErrorSummary.excerpt(body))")
        }
        return Submission(requestID: id, status: object["status"] as? String ?? "pending", balance: Self.number(object["balance"]))
    }

    public func decodeStatus(_ body: Data) throws(VQError) -> JobStatus {
        let object = try jsonObject(body, what: "/status")
        let word = (object["status"] as? String ?? "").lowercased()
        let state: JobStatus.State
        switch word {
        case "pending": state = .pending
        case "processing": state = .processing
        case "complete", "completed": state = .complete
        case "failed", "error": state = .failed
        default: state = .other(word)
        }
        let outputs = object["outputs"] as? [String: Any]
        var reason: String?
        for key in ["error", "message", "detail", "reason"] {
            if let value = object[key], !(value is JSONNull) {
                reason = ServiceErrorSummary.message(fromErrorValue: value)
                break
            }
        }
        return JobStatus(
            state: state, progress: Self.number(object["progress"]),
            processingSeconds: Self.number(object["processingTime_s"] ?? object["progressTime_s"]),
            output: outputs?["output"] as? String, reason: reason)
    }

    private func url(_ path: String) -> String {
        (profile.baseURL.hasSuffix("/") ? String(profile.baseURL.dropLast()) : profile.baseURL) + path
    }

    private func jsonRequest(_ method: String, _ path: String, _ body: [String: Any], key: String?) -> HTTPRequest {
        let json = JSONWriter.data(body)
        var headers: [(name: String, value: String)] = [("Content-Type", "application/json"), ("Accept", "application/json")]
        if let key { headers.append(("Authorization", "Bearer \(key)")) }
        for (name, value) in profile.headers.sorted(by: { $0.key < $1.key }) { headers.append((name, value)) }
        return HTTPRequest(method: method, url: url(path), headers: headers, body: [.bytes(json)])
    }

    private func jsonObject(_ body: Data, what: String) throws(VQError) -> [String: Any] {
        guard let object = JSONValue.object(from: body) else {
            throw VQError(.unavailable, "\(profile.name): \(what) answered with something that is not JSON: \(ServiceErrorSummary.excerpt(body))")
        }
        return object
    }

    static func number(_ value: Any?) -> Double? {
        if let number = JSONValue.exactNumber(value) { return number }
        if let text = value as? String { return Double(text) }
        return nil
    }
}
