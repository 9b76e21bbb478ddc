import FoundationEssentials
import TextFormatting

/// A request to send: method, URL, ordered headers and a streamed body.
public struct HTTPRequest: Sendable {
    /// Header names whose values are always treated as secrets.
    public static let defaultSecretHeaderNames: Set<String> = [
        "authorization", "x-api-key", "x-goog-api-key", "api-key", "cookie", "proxy-authorization",
    ]

    public var method: String
    public var url: String
    /// Sent in this order.
    public var headers: [(name: String, value: String)]
    /// Empty means no body.
    public var body: [BodyPart]
    /// Lowercased names redacted in logs and in whatever the server sends back.
    public var secretHeaderNames: Set<String>

    public init(method: String, url: String, headers: [(name: String, value: String)] = [], body: [BodyPart] = []) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.secretHeaderNames = Self.defaultSecretHeaderNames
    }

    /// Exact byte count of the body on the wire.
    public var bodyLength: Int { body.reduce(0) { $0 + $1.encodedLength } }

    /// The whole body materialised (tests, dry-run).
    public func bodyData() -> Data {
        var reader = BodyReader(parts: body)
        var out = Data(count: bodyLength)
        let written = out.withUnsafeMutableBytes { reader.read(into: $0) }
        precondition(written == out.count, "BodyReader produced \(written) bytes, expected \(out.count)")
        return out
    }

    /// Whether `name` (any case) is a secret header for this request.
    public func isSecret(_ name: String) -> Bool { secretHeaderNames.contains(name.lowercased()) }

    /// Method, URL, size and headers with secret values (and URL credentials) redacted — for --verbose and --dry-run.
    public func redactedSummary() -> [String] {
        var lines = ["\(method) \(URLRedactor.redact(url))" + (body.isEmpty ? "" : " (\(ByteCountText.format(bodyLength)))")]
        for header in headers {
            lines.append("\(header.name): \(HeaderRedactor.redact(name: header.name, value: header.value, secretNames: secretHeaderNames))")
        }
        return lines
    }
}
