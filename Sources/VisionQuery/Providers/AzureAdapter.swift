import FoundationEssentials
import Transport

/// Azure OpenAI (`api = "azure"`): the chat-completions body of `OpenAIAdapter`, sent to a deployment
/// (`{base_url}/deployments/{model}/chat/completions?api-version={api_version}`, the model field dropped) or, with
/// `api_version = "v1"`, to the v1 surface (`{base_url}/v1/chat/completions`, model in the body). A key goes in the
/// `api-key` header; a token from key_cmd (Entra ID) as `Authorization: Bearer`, renewed on a 401. Content-filter
/// refusals (HTTP 400 `content_filter`, finish reason `content_filter`) are refusals (exit 80). `vq gen` speaks the
/// Images API body of `OpenAIImagesAPI` to the deployment's `/images/generations` or `/images/edits` (same
/// api-version; the v1 surface: `{base_url}/v1/images/…` with the model in the body), per Microsoft Learn "How to use
/// Azure OpenAI image generation models" (learn.microsoft.com/azure/ai-foundry/openai/how-to/dall-e: POST
/// …/openai/deployments/{deployment}/images/generations?api-version=2025-04-01-preview, `api-key` header; a
/// flagged prompt is HTTP 400 with code `contentFilter`).
public struct AzureAdapter: Provider {
    public let profile: Profile
    private let tokens = AccessTokenCache()

    public init(profile: Profile) { self.profile = profile }

    /// As OpenAI's: the service fetches image URLs itself.
    static let defaults = OpenAIAdapter.defaults
    /// The `api_version` that selects the v1 surface.
    static let v1 = "v1"
    private var openAI: OpenAIAdapter { OpenAIAdapter(profile: profile) }
    private var isV1: Bool { profile.apiVersion == Self.v1 || profile.baseURL.hasSuffix("/openai/v1") || profile.baseURL.hasSuffix("/openai/v1/") }
    /// Entra ID tokens come from key_cmd; keys from key_env, the keys file or `key`.
    private var usesBearer: Bool { profile.keyCmd != nil && profile.auth == nil }

    public var supportsSchema: Bool { true }
    /// The deployment is the model; `settled` names it when missing.
    public func requiresModel() -> Bool { false }

    public func makeRequest(_ query: Query, key: String?) throws(VQError) -> HTTPRequest {
        if let generation = query.generation {
            var request = try OpenAIImagesAPI.request(query, generation: generation, sendsModel: isV1) { path in endpoint(path, model: query.model) }
            request.addAuthentication(key: key, profile: profile, defaultHeader: usesBearer ? nil : "api-key")
            return request
        }
        var (body, images) = openAI.requestBody(query)
        if !isV1 { body["model"] = nil }  // the deployment names the model
        var request = HTTPRequest.jsonPOST(endpoint("/chat/completions", model: query.model), body: body, images: images, stream: query.stream)
        request.addAuthentication(key: key, profile: profile, defaultHeader: usesBearer ? nil : "api-key")
        return request
    }

    /// The URL of an operation (`/chat/completions`, `/images/generations`): on the v1 surface, or on the model's
    /// deployment with the api-version.
    private func endpoint(_ operation: String, model: String) -> String {
        if isV1 { return profile.baseURL.hasSuffix("/v1") || profile.baseURL.hasSuffix("/v1/") ? url(operation) : url("/v1" + operation) }
        return url("/deployments/\(SigV4Signer.encode(model))\(operation)?api-version=\(SigV4Signer.encode(profile.apiVersion ?? ""))")
    }

    /// `vq gen` through the deployment's Images API.
    public var makesImages: Bool { true }

    /// The resource from base_url or `AZURE_OPENAI_ENDPOINT`, the api-version from the profile or
    /// `OPENAI_API_VERSION`, the deployment from the model: each missing one named.
    public func settled(environment: [String: String]) throws(VQError) -> Profile {
        var settled = profile
        let fix = "to [profiles.\(profile.name)]"
        if settled.baseURL.contains("{resource}") {
            guard var endpoint = environment["AZURE_OPENAI_ENDPOINT"], !endpoint.isEmpty else {
                throw VQError(
                    .config,
                    "no Azure OpenAI resource for profile '\(profile.name)': add base_url = \"https://RESOURCE.openai.azure.com/openai\" \(fix) or set AZURE_OPENAI_ENDPOINT"
                )
            }
            while endpoint.hasSuffix("/") { endpoint.removeLast() }
            settled.baseURL = endpoint.hasSuffix("/openai") ? endpoint : endpoint + "/openai"
        }
        if settled.apiVersion == nil, let version = environment["OPENAI_API_VERSION"], !version.isEmpty { settled.apiVersion = version }
        if settled.apiVersion == nil && !AzureAdapter(profile: settled).isV1 {
            throw VQError(
                .config,
                "no api_version for profile '\(profile.name)': add api_version = \"2024-10-21\" (or \"v1\" for the v1 surface) \(fix) or set OPENAI_API_VERSION"
            )
        }
        if settled.model?.isEmpty ?? true {
            throw VQError(.config, "no deployment for profile '\(profile.name)': add model = \"DEPLOYMENT-NAME\" \(fix) or pass -m DEPLOYMENT-NAME")
        }
        return settled
    }

    public func exchange(_ query: Query, context: ExchangeContext, sink: AnswerSink) throws(VQError) -> QueryOutcome {
        guard usesBearer else { return try singleExchange(query, context: context, sink: sink) }
        return try tokens.run(context) { (context) throws(VQError) in try singleExchange(query, context: context, sink: sink) }
    }

    public func decodeStreamEvent(_ event: SSEEvent) -> [StreamEvent] { refusals(openAI.decodeStreamEvent(event)) }

    public func decodeResponse(_ body: Data) -> [StreamEvent] { refusals(openAI.decodeResponse(body)) }

    /// The `content_filter` finish reason stops the answer: a refusal.
    private func refusals(_ events: [StreamEvent]) -> [StreamEvent] {
        events.map { event in
            if case .finish("content_filter") = event { return .refusal("the content filter stopped the answer (finish reason content_filter)") }
            return event
        }
    }

    /// A prompt the content filter refused comes as HTTP 400 with code `content_filter` (inner code
    /// `ResponsibleAIPolicyViolation`): a refusal with its own exit code, not bad input.
    public func failure(status: Int, body: Data, headers: [String: String]) -> VQError {
        let error = JSONValue.object(from: body)?["error"] as? [String: Any]
        let inner = (error?["innererror"] ?? error?["inner_error"]) as? [String: Any]
        let codes = [error?["code"] as? String, inner?["code"] as? String, headers["x-ms-error-code"]].compactMap { $0 }
        if codes.contains("content_filter") || codes.contains("contentFilter") || codes.contains("ResponsibleAIPolicyViolation") {
            let message = ServiceErrorSummary.oneLine(error?["message"] as? String ?? "the prompt was filtered", limit: 200)
            let categories = Self.filteredCategories(inner?["content_filter_result"] ?? inner?["content_filter_results"])
            var refusal = VQError(
                .refused,
                "HTTP \(status) from \(profile.name): the content filter refused the prompt\(categories.isEmpty ? "" : " (\(categories.joined(separator: ", ")))"): \(message)"
            )
            refusal.httpStatus = status
            return refusal
        }
        return openAI.failure(status: status, body: body, headers: headers)
    }

    /// The categories marked `filtered: true` ("violence", "jailbreak", …).
    static func filteredCategories(_ value: Any?) -> [String] {
        guard let results = value as? [String: Any] else { return [] }
        return results.keys.sorted().filter { ((results[$0] as? [String: Any])?["filtered"] as? Bool) == true }
    }

    public func ignoredOptions(_ query: Query) -> [String] {
        guard let generation = query.generation else { return openAI.ignoredOptions(query) }
        return OpenAIImagesAPI.ignoredOptions(query, generation: generation)
    }

    public func generationNotes(_ query: Query) -> [String] {
        query.generation.flatMap { ImageSizeChoice.openAISize($0, model: query.model)?.note }.map { [$0] } ?? []
    }

    public func imageTokens(width: Int, height: Int, query: Query) -> Int? { openAI.imageTokens(width: width, height: height, query: query) }
}
