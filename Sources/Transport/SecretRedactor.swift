import FoundationEssentials
import Platform
import TextFormatting

/// Replaces the secrets a request carried (its secret header values, URL credentials and key parameters) by
/// `[redacted]` in whatever came back, so a server that echoes the request cannot make vq show them.
public struct SecretRedactor: Sendable {
    /// Shorter strings are not treated as secrets: replacing them would garble ordinary text.
    public static let minimumLength = 6
    /// The byte forms to replace, longest first (so a whole header value goes before the token inside it).
    public let secrets: [Data]

    public init(secrets: [String]) {
        var forms = Set<Data>()
        for secret in secrets where secret.utf8.count >= Self.minimumLength {
            forms.insert(Data(secret.utf8))
            // JSON may escape '/' as "\/" when it echoes the value.
            if secret.containsScalars("/") { forms.insert(Data(secret.replacingScalars("/", with: "\\/").utf8)) }
        }
        self.secrets = forms.sorted { $0.count > $1.count || ($0.count == $1.count && $0.lexicographicallyPrecedes($1)) }
    }

    /// The secrets `request` carries: values of its secret headers (and the credentials after an auth scheme),
    /// the password in its URL and the values of its key-like query parameters.
    public init(request: HTTPRequest) {
        var secrets: [String] = []
        for header in request.headers where request.isSecret(header.name) {
            let value = header.value.trimmingWhitespace()
            secrets.append(value)
            if let space = value.firstIndex(of: " ") { secrets.append(String(value[value.index(after: space)...]).trimmingWhitespace()) }
        }
        if let components = URLComponents(string: request.url) {
            if let password = components.password {
                secrets.append(password)
                secrets.append(components.percentEncodedPassword ?? password)
            }
            for item in components.queryItems ?? [] where URLRedactor.secretQueryNames.contains(item.name.lowercased()) {
                if let value = item.value { secrets.append(value) }
            }
        }
        self.init(secrets: secrets)
    }

    public var isEmpty: Bool { secrets.isEmpty }

    /// `data` with every secret replaced.
    public func redact(_ data: Data) -> Data {
        guard !secrets.isEmpty else { return data }
        var result = data
        for secret in secrets {
            var searchStart = result.startIndex
            while let range = ByteSearch.firstRange(of: secret, in: result, bounds: searchStart..<result.endIndex) {
                let replacement = Data(HeaderRedactor.placeholder.utf8)
                result.replaceSubrange(range, with: replacement)
                searchStart = range.lowerBound + replacement.count
            }
        }
        return result
    }

    /// `text` with every secret replaced.
    public func redact(_ text: String) -> String {
        guard !secrets.isEmpty else { return text }
        return String(decoding: redact(Data(text.utf8)), as: UTF8.self)
    }

    /// How many trailing bytes of `data` could be the start of a secret that the next chunk completes.
    func pendingSuffixLength(_ data: Data) -> Int {
        guard let last = data.last else { return 0 }
        var longest = 0
        for secret in secrets {
            var length = min(secret.count - 1, data.count)
            while length > longest {
                // Cheap test first: the chunk's last byte must be the secret's byte at that length.
                if secret[secret.startIndex + length - 1] == last && data.suffix(length).elementsEqual(secret.prefix(length)) {
                    longest = length
                    break
                }
                length -= 1
            }
        }
        return longest
    }
}

/// Redacts a body that arrives in chunks: bytes that may begin a secret are held back until the next chunk.
public struct StreamingSecretRedactor {
    private let redactor: SecretRedactor
    private var pending = Data()

    public init(_ redactor: SecretRedactor) { self.redactor = redactor }

    /// The bytes of `chunk` (with what was held back) that are safe to pass on now.
    public mutating func feed(_ chunk: Data) -> Data {
        guard !redactor.isEmpty else { return chunk }
        let joined = redactor.redact(pending + chunk)
        let held = redactor.pendingSuffixLength(joined)
        pending = Data(joined.suffix(held))
        return Data(joined.prefix(joined.count - held))
    }

    /// What is still held back at the end of the body: the start of a secret long enough to matter is redacted too
    /// (a body cut in the middle of an echoed key shows none of it).
    public mutating func finish() -> Data {
        defer { pending = Data() }
        return pending.count >= SecretRedactor.minimumLength ? Data(HeaderRedactor.placeholder.utf8) : pending
    }
}
