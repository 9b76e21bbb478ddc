import FoundationEssentials
import Imaging
import TextFormatting
import Transport

/// AWS Bedrock's Converse API (`api = "bedrock"`): `POST /model/{modelId}/converse`, streamed as `/converse-stream`
/// in AWS's binary event stream; images as `{image: {format, source: {bytes}}}` blocks before the text; requests
/// signed with Signature Version 4 (service `bedrock`) from `AWSSharedConfig`, or a Bedrock API key
/// (`AWS_BEARER_TOKEN_BEDROCK`) sent as a bearer token. The model list is ListFoundationModels on the `bedrock` host.
public struct BedrockAdapter: Provider {
    public let profile: Profile

    public init(profile: Profile) { self.profile = profile }

    /// The Converse API's image limits (Message in the API reference): at most 20 images per request, each at most
    /// 3.75 MB (5,242,880 characters of base64) and 8,000 px a side. Bedrock cannot fetch image URLs.
    /// SigV4 needs no key; a Bedrock API key in `AWS_BEARER_TOKEN_BEDROCK` replaces it. PDFs go whole as document
    /// blocks: Claude reads at most 100 pages a request, a DocumentBlock at most 4.5 MB.
    static let defaults = ProviderDefaults(
        imageURLs: .inline, maxSide: 8000, maxImages: 20, maxImageBytes: 5_242_880, nativeMedia: [.image, .document], maxDocumentPages: 100,
        maxDocumentBytes: 6_000_000, keyEnv: "AWS_BEARER_TOKEN_BEDROCK", keyRequired: false)
    /// The SigV4 signing name of both `bedrock` and `bedrock-runtime`.
    static let signingService = "bedrock"
    /// The image formats an ImageBlock takes.
    static let formats: Set<String> = ["png", "jpeg", "gif", "webp"]

    public var framing: StreamFraming { .awsEventStream }

    public func makeRequest(_ query: Query, key: String?) throws(VQError) -> HTTPRequest {
        var images: [JSONBodyBuilder.InlineImage] = []
        var messages: [[String: Any]] = []
        var system = query.system
        if let history = query.history {
            if let text = history.systemText { system = [system, text].compactMap { $0 }.joined(separator: "\n\n") }
            for turn in history.turns where turn.role == "user" || turn.role == "assistant" {
                var content: [[String: Any]] = []
                for part in turn.parts {
                    switch part {
                    case .text(let text): content.append(["text": text])
                    case .inlineImage(let mime, let base64): content.append(["image": ["format": try format(mime), "source": ["bytes": base64]]])
                    case .inlineDocument(_, let base64, let name):
                        content.append(["document": ["format": "pdf", "name": Self.documentName(name), "source": ["bytes": base64]]])
                    case .imageURL(let url):
                        throw VQError(
                            .badInput, "--messages: \(profile.name) (bedrock) cannot fetch image URLs (\(url.prefix(80))); give the image as a data: URL")
                    }
                }
                messages.append(["role": turn.role, "content": content])
            }
        }
        var content: [[String: Any]] = []
        for part in query.parts {
            if let caption = part.caption { content.append(["text": caption]) }  // a video frame's time
            switch part.content {
            case .image(let data, let info):
                let image = JSONBodyBuilder.InlineImage(data: data, index: images.count)
                images.append(image)
                content.append(["image": ["format": try format(info.format.mimeType), "source": ["bytes": image.placeholder]]])
            case .document(let data, let info):
                let document = JSONBodyBuilder.InlineImage(data: data, index: images.count)
                images.append(document)
                content.append(["document": ["format": "pdf", "name": Self.documentName(info.fileName), "source": ["bytes": document.placeholder]]])
            case .video:
                preconditionFailure("bedrock reads no video whole; the engine sends \(part.name)'s frames as images")
            case .remoteURL:
                throw VQError(.badInput, "\(profile.name) (bedrock) cannot fetch image URLs; set image_urls = \"inline\"")
            }
        }
        if !query.prompt.isEmpty { content.append(["text": query.prompt]) }
        if !content.isEmpty { messages.append(["role": "user", "content": content]) }

        var body: [String: Any] = ["messages": messages]
        if let system { body["system"] = [["text": system]] }
        var inference: [String: Any] = [:]
        if let maxTokens = query.maxTokens { inference["maxTokens"] = maxTokens }
        if let temperature = query.temperature { inference["temperature"] = temperature }
        if let topP = query.topP { inference["topP"] = topP }
        if !query.stop.isEmpty { inference["stopSequences"] = query.stop }
        if !inference.isEmpty { body["inferenceConfig"] = inference }

        let operation = query.stream ? "converse-stream" : "converse"
        var request = HTTPRequest.jsonPOST(
            url("/model/\(SigV4Signer.encode(query.model))/\(operation)"), body: body, images: images, stream: query.stream,
            streamType: QueryRunner.contentType(of: framing))
        request.addAuthentication(key: key, profile: profile, defaultHeader: nil)
        return request
    }

    /// `image/png` → `png`; throws for a type an ImageBlock cannot carry.
    private func format(_ mime: String) throws(VQError) -> String {
        let name = mime.hasPrefix("image/") ? String(mime.dropFirst(6)) : mime
        guard Self.formats.contains(name) else {
            throw VQError(.badInput, "\(profile.name) (bedrock) takes png, jpeg, gif and webp images, not \(mime)")
        }
        return name
    }

    /// A DocumentBlock name: letters, digits, single spaces, hyphens, parentheses and square brackets only.
    static func documentName(_ fileName: String) -> String {
        let stem = fileName.split(separator: "/").last.map(String.init) ?? fileName
        let base = stem.lowercased().hasSuffix(".pdf") ? String(stem.dropLast(4)) : stem
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-()[] ")
        let cleaned = String(base.map { allowed.contains($0) ? $0 : "-" }).split(separator: " ").joined(separator: " ")
        return cleaned.isEmpty ? "document" : String(cleaned.prefix(200))
    }

    /// Where SigV4 credentials would come from, for `vq profiles` (never the key itself).
    static func credentialSource(for profile: Profile, environment: [String: String]) -> String {
        let aws = AWSSharedConfig(environment: environment, explicitProfile: profile.awsProfile)
        guard (try? aws.credentials()) != nil else {
            return "missing: set AWS_ACCESS_KEY_ID or add profile '\(aws.profileName)' to \(aws.credentialsPath)"
        }
        let fromEnvironment = profile.awsProfile == nil && environment["AWS_ACCESS_KEY_ID"].map { !$0.isEmpty } == true
        return fromEnvironment ? "yes ($AWS_ACCESS_KEY_ID)" : "yes (AWS profile '\(aws.profileName)')"
    }

    /// Region and endpoint: `region` or the AWS environment and files; `AWS_ENDPOINT_URL_BEDROCK_RUNTIME` (else
    /// `AWS_ENDPOINT_URL`) replaces base_url, whose `{region}` is filled in.
    public func settled(environment: [String: String]) throws(VQError) -> Profile {
        var settled = profile
        let aws = AWSSharedConfig(environment: environment, explicitProfile: profile.awsProfile)
        let configured = try aws.region()
        guard let region = profile.region ?? configured else {
            throw VQError(
                .config,
                "no AWS region for profile '\(profile.name)': add region = \"us-east-1\" to [profiles.\(profile.name)], set AWS_REGION, or set region for profile '\(aws.profileName)' in \(aws.configPath)"
            )
        }
        settled.region = region
        if let endpoint = environment["AWS_ENDPOINT_URL_BEDROCK_RUNTIME"] ?? environment["AWS_ENDPOINT_URL"], !endpoint.isEmpty {
            settled.baseURL = endpoint
        }
        settled.baseURL = settled.baseURL.replacingScalars("{region}", with: region)
        return settled
    }

    /// Signs with SigV4 unless a Bedrock API key is the bearer token already; the model list goes to the control
    /// plane (`AWS_ENDPOINT_URL_BEDROCK`, else base_url's host with `bedrock-runtime.` made `bedrock.`).
    public func authorize(_ request: HTTPRequest, context: ExchangeContext) throws(VQError) -> HTTPRequest {
        var request = request
        if request.method == "GET", let endpoint = context.environment["AWS_ENDPOINT_URL_BEDROCK"], !endpoint.isEmpty,
            let tail = request.url.firstRange(of: "/foundation-models")
        {
            request.url = (endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint) + request.url[tail.lowerBound...]
        }
        if context.key != nil { return request }
        let aws = AWSSharedConfig(environment: context.environment, explicitProfile: profile.awsProfile)
        guard let credentials = try aws.credentials() else {
            throw VQError(
                .permission,
                "no AWS credentials for profile '\(profile.name)': set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, add keys for profile '\(aws.profileName)' to \(aws.credentialsPath), or set AWS_BEARER_TOKEN_BEDROCK to a Bedrock API key"
            )
        }
        let configured = try aws.region()
        let region = profile.region ?? configured ?? "us-east-1"
        SigV4Signer(credentials: credentials, region: region, service: Self.signingService).sign(&request)
        return request
    }

    public func decodeStreamEvent(_ event: SSEEvent) -> [StreamEvent] {
        let name = event.event ?? ""
        let object = JSONValue.object(from: Data(event.data.utf8)) ?? [:]
        if name.hasPrefix("exception:") {
            let type = String(name.dropFirst("exception:".count))
            return [.serviceError(Self.errorText(object["message"] ?? object["Message"] ?? event.data, type: type))]
        }
        switch name {
        case "contentBlockDelta":
            if let text = (object["delta"] as? [String: Any])?["text"] as? String, !text.isEmpty { return [.text(text)] }
            return []
        case "messageStop": return stop(object["stopReason"] as? String)
        case "metadata": return Self.usage(object["usage"]).map { [.usage($0)] } ?? []
        default: return []  // messageStart, contentBlockStart/Stop, and events added later
        }
    }

    public func decodeResponse(_ body: Data) -> [StreamEvent] {
        guard let object = JSONValue.object(from: body) else {
            return [.serviceError("the response is not JSON: \(ServiceErrorSummary.excerpt(body))")]
        }
        guard let message = (object["output"] as? [String: Any])?["message"] as? [String: Any] else {
            return [.serviceError("the response has no output message: \(ServiceErrorSummary.excerpt(body))")]
        }
        let text = (message["content"] as? [[String: Any]] ?? []).compactMap { $0["text"] as? String }.joined()
        var events: [StreamEvent] = text.isEmpty ? [] : [.text(text)]
        events += stop(object["stopReason"] as? String)
        if let usage = Self.usage(object["usage"]) { events.append(.usage(usage)) }
        return events + [.done]
    }

    /// The finish event; a guardrail or content filter stopping the answer is a refusal.
    private func stop(_ reason: String?) -> [StreamEvent] {
        guard let reason else { return [] }
        switch reason {
        case "guardrail_intervened", "content_filtered": return [.refusal("the answer was stopped (stop reason \(reason))")]
        case "max_tokens": return [.finish(reason: "length")]
        default: return [.finish(reason: reason)]
        }
    }

    static func usage(_ value: Any?) -> Usage? {
        guard let object = value as? [String: Any] else { return nil }
        let usage = Usage(
            promptTokens: object["inputTokens"] as? Int, completionTokens: object["outputTokens"] as? Int,
            totalTokens: object["totalTokens"] as? Int)
        return usage == Usage() ? nil : usage
    }

    /// "message (throttlingException)".
    static func errorText(_ message: Any, type: String?) -> String {
        var text = (message as? String) ?? ServiceErrorSummary.message(fromErrorValue: message)
        if let type, !type.isEmpty, !text.contains(type) { text += " (\(type))" }
        return ServiceErrorSummary.oneLine(text, limit: 400)
    }

    /// AWS's `{"message": …}` with the type in `x-amzn-errortype`; a signature outside AWS's five-minute window
    /// means the clock is wrong, and says so.
    public func failure(status: Int, body: Data, headers: [String: String]) -> VQError {
        let object = JSONValue.object(from: body)
        let type = headers["x-amzn-errortype"].map { String($0.prefix { $0 != ":" }) }
        var detail = (object?["message"] ?? object?["Message"]).map { Self.errorText($0, type: type) }
        if let text = detail, text.contains("Signature expired") || text.contains("not yet current") {
            detail = text + "; the system clock is more than 5 minutes off from AWS's: set it right (e.g. with NTP) and try again"
        }
        var error = ServiceErrorSummary.error(
            status: status, body: body, contentType: headers["content-type"], profile: profile, headers: headers, detail: detail)
        if status == 403, profile.keyEnv.map({ error.message.contains("$\($0)") }) ?? false {
            // The key hint names AWS_BEARER_TOKEN_BEDROCK; SigV4 users need the other half of the truth.
            error = VQError(error.category, error.message.replacingScalars("(check the API key from", with: "(check the AWS credentials or"))
            error.httpStatus = status
        }
        return error
    }

    public func ignoredOptions(_ query: Query) -> [String] {
        var names: [String] = []
        if query.detail != nil { names.append("--detail") }
        if query.modalities.contains("image") { names.append("--modalities image (Converse returns text)") }
        return names
    }

    public func imageTokens(width: Int, height: Int, query: Query) -> Int? {
        query.model.contains("anthropic.")
            ? ImageTokenEstimator.estimate(model: query.model, api: .anthropic, width: width, height: height, detail: nil) : nil
    }

    /// ListFoundationModels (text-output models; those taking images are kept by `decodeModels`).
    public func modelsRequest(key: String?) -> HTTPRequest? {
        var base = profile.baseURL.hasSuffix("/") ? String(profile.baseURL.dropLast()) : profile.baseURL
        base = base.replacingScalars("://bedrock-runtime.", with: "://bedrock.")
        var request = HTTPRequest(method: "GET", url: base + "/foundation-models?byOutputModality=TEXT", headers: [("Accept", "application/json")])
        request.addAuthentication(key: key, profile: profile, defaultHeader: nil)
        return request
    }

    public func decodeModels(_ body: Data) -> [String]? {
        (JSONValue.object(from: body)?["modelSummaries"] as? [[String: Any]])?.compactMap { model in
            (model["inputModalities"] as? [String] ?? []).contains("IMAGE") ? model["modelId"] as? String : nil
        }
    }
}
