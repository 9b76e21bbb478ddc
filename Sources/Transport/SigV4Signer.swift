import FoundationEssentials
import Glibc
import TextFormatting

/// An AWS access key: the id, the secret and, for temporary credentials, the session token.
public struct AWSCredentials: Sendable, Equatable {
    public var accessKeyID: String
    public var secretAccessKey: String
    public var sessionToken: String?

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }
}

/// Signs a request with AWS Signature Version 4 (header form): adds `X-Amz-Date`, `X-Amz-Security-Token` for session
/// credentials and `Authorization`. The canonical URI encodes each path segment again, as every AWS service but S3
/// expects, so a model id's `%3A` is signed as `%253A` (libcurl 7.88's CURLOPT_AWS_SIGV4 does not).
public struct SigV4Signer: Sendable {
    public let credentials: AWSCredentials
    public let region: String
    public let service: String

    public init(credentials: AWSCredentials, region: String, service: String) {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// Headers never signed: they may change on the way (a proxy's User-Agent, libcurl's Expect).
    static let unsignedHeaders: Set<String> = ["authorization", "user-agent", "expect", "x-amzn-trace-id", "content-length"]

    /// Adds the date, token and signature headers to `request`, signed at `date`.
    public func sign(_ request: inout HTTPRequest, at date: Date = Date()) {
        let timestamp = Self.timestamp(date)
        let day = String(timestamp.prefix(8))
        request.headers.removeAll { ["authorization", "x-amz-date", "x-amz-security-token"].contains($0.name.lowercased()) }
        request.headers.append(("X-Amz-Date", timestamp))
        if let token = credentials.sessionToken {
            request.headers.append(("X-Amz-Security-Token", token))
            request.secretHeaderNames.insert("x-amz-security-token")
        }
        let (canonical, signedHeaders) = canonicalRequest(request)
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = ["AWS4-HMAC-SHA256", timestamp, scope, SigningDigest.hex(SigningDigest.sha256(Array(canonical.utf8)))]
            .joined(separator: "\n")
        var key = SigningDigest.hmacSHA256(key: Array("AWS4\(credentials.secretAccessKey)".utf8), day)
        for part in [region, service, "aws4_request"] { key = SigningDigest.hmacSHA256(key: key, part) }
        let signature = SigningDigest.hex(SigningDigest.hmacSHA256(key: key, stringToSign))
        request.headers.append(
            ("Authorization", "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope), SignedHeaders=\(signedHeaders), Signature=\(signature)"))
    }

    /// The canonical request and its signed-header list (`host` from the URL, then the request's own headers).
    func canonicalRequest(_ request: HTTPRequest) -> (text: String, signedHeaders: String) {
        let parts = Self.split(request.url)
        var headers: [String: [String]] = ["host": [parts.host]]
        for header in request.headers where !Self.unsignedHeaders.contains(header.name.lowercased()) {
            headers[header.name.lowercased(), default: []].append(Self.trimmed(header.value))
        }
        headers["host"] = [parts.host]  // libcurl sends Host from the URL; a -H Host is not what AWS sees signed
        let names = headers.keys.sorted()
        let canonicalHeaders = names.map { "\($0):\(headers[$0]!.joined(separator: ","))\n" }.joined()
        let signedHeaders = names.joined(separator: ";")
        let payload = SigningDigest.hex(SigningDigest.sha256(request.bodyData()))
        let text = [
            request.method, Self.canonicalURI(parts.path), Self.canonicalQuery(parts.query), canonicalHeaders, signedHeaders, payload,
        ].joined(separator: "\n")
        return (text, signedHeaders)
    }

    /// `yyyyMMdd'T'HHmmss'Z'` in UTC.
    static func timestamp(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var c = tm()
        gmtime_r(&seconds, &c)
        let date = [(c.tm_year + 1900, 4), (c.tm_mon + 1, 2), (c.tm_mday, 2)].map { DecimalText.zeroPadded($0, width: $1) }.joined()
        let time = [c.tm_hour, c.tm_min, c.tm_sec].map { DecimalText.zeroPadded($0, width: 2) }.joined()
        return date + "T" + time + "Z"
    }

    /// Host (with a non-default port), path (as sent, percent-encoded) and query of an absolute URL.
    static func split(_ url: String) -> (host: String, path: String, query: String) {
        var rest = Substring(url)
        let https = rest.hasPrefix("https://")
        if let scheme = rest.firstRange(of: "://") { rest = rest[scheme.upperBound...] }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        var host = String(rest[..<authorityEnd])
        if let at = host.lastIndex(of: "@") { host = String(host[host.index(after: at)...]) }
        if (https && host.hasSuffix(":443")) || (!https && host.hasSuffix(":80")) { host = String(host.dropLast(https ? 4 : 3)) }
        rest = rest[authorityEnd...]
        var path = rest
        var query = Substring("")
        if let mark = rest.firstIndex(of: "?") {
            path = rest[..<mark]
            query = rest[rest.index(after: mark)...]
        }
        if let hash = query.firstIndex(of: "#") { query = query[..<hash] }
        return (host.lowercased(), path.isEmpty ? "/" : String(path), String(query))
    }

    /// Each byte outside RFC 3986's unreserved set (and `/`) percent-encoded, uppercase hex: the path as sent, encoded again.
    static func canonicalURI(_ path: String) -> String { encode(path, keeping: "/") }

    /// The query's pairs sorted by name then value, each kept as sent (already encoded).
    static func canonicalQuery(_ query: String) -> String {
        guard !query.isEmpty else { return "" }
        let pairs = query.split(separator: "&", omittingEmptySubsequences: true).map { pair -> (String, String) in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
        }
        return pairs.sorted { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    /// Percent-encodes every byte except RFC 3986 unreserved characters and those in `keeping`.
    public static func encode(_ text: String, keeping: String = "") -> String {
        let kept = Set(keeping.utf8)
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                if kept.contains(byte) { out.unicodeScalars.append(Unicode.Scalar(byte)) } else { out += "%" + HexText.padded(byte, width: 2, uppercase: true) }
            }
        }
        return out
    }

    /// A header value with its ends trimmed and inner runs of spaces made one.
    static func trimmed(_ value: String) -> String {
        value.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ").trimmingWhitespace()
    }
}
