import FoundationEssentials

/// A file in Gemini's Files API (`files/{id}`): where requests point to it (`uri`), its processing state and when
/// the service drops it (48 hours after the upload).
public struct GeminiFile: Sendable, Equatable {
    /// The resource name, `files/abc123`.
    public var name: String
    /// What a request's `file_data.file_uri` names.
    public var uri: String
    public var mimeType: String
    public var state: State
    /// When the service deletes the file; nil when it did not say.
    public var expiration: Date?
    /// The service's reason when processing failed.
    public var failure: String?

    /// `state` of a File resource.
    public enum State: Sendable, Equatable {
        case processing, active, failed
        case other(String)

        init(_ text: String?) {
            switch text {
            case "PROCESSING", nil: self = .processing
            case "ACTIVE": self = .active
            case "FAILED": self = .failed
            case let text?: self = .other(text)
            }
        }
    }

    public init(name: String, uri: String, mimeType: String, state: State, expiration: Date? = nil, failure: String? = nil) {
        self.name = name
        self.uri = uri
        self.mimeType = mimeType
        self.state = state
        self.expiration = expiration
        self.failure = failure
    }

    /// A File resource (`{"name":…}`) or the upload answer that wraps one (`{"file":{…}}`); nil when neither.
    static func decode(_ body: Data) -> GeminiFile? {
        guard var object = JSONValue.object(from: body) else { return nil }
        if let inner = object["file"] as? [String: Any] { object = inner }
        guard let name = object["name"] as? String, name.hasPrefix("files/"), name.count <= 200 else { return nil }
        let error = object["error"] as? [String: Any]
        return GeminiFile(
            name: name, uri: object["uri"] as? String ?? "", mimeType: object["mimeType"] as? String ?? "",
            state: State(object["state"] as? String), expiration: (object["expirationTime"] as? String).flatMap(RFC3339Date.date),
            failure: (error?["message"] as? String).map { ServiceErrorSummary.oneLine($0, limit: 300) })
    }

    /// Whether the file can still be used at `now`, with `margin` seconds to spare for the request that names it.
    public func isUsable(at now: Date, margin: Double = 300) -> Bool {
        guard let expiration else { return true }
        return expiration.timeIntervalSince(now) > margin
    }

    /// How the conversation log keeps a file an exchange left on the service (`--keep-uploads`).
    var logObject: [String: Any] {
        var object: [String: Any] = ["name": name, "uri": uri, "mime_type": mimeType]
        if let expiration { object["expires"] = expiration.formatted(Date.ISO8601FormatStyle()) }
        return object
    }

    /// A file read back from the log (assumed ACTIVE until the service says otherwise); nil when malformed.
    init?(logObject: Any) {
        guard let object = logObject as? [String: Any], let name = object["name"] as? String, name.hasPrefix("files/"),
            let uri = object["uri"] as? String, let mime = object["mime_type"] as? String
        else { return nil }
        self.init(name: name, uri: uri, mimeType: mime, state: .active, expiration: (object["expires"] as? String).flatMap(RFC3339Date.date))
    }
}
