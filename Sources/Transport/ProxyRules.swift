import FoundationEssentials
import TextFormatting

/// Which proxy a URL goes through, decided from the environment by libcurl's own rules, so that vq can name the
/// proxy in `-v` and in errors and hand libcurl exactly that choice: `<scheme>_proxy` (lower case; `HTTPS_PROXY` in
/// upper case too, but never `HTTP_PROXY`, which libcurl ignores because CGI servers set it from a request header),
/// then `all_proxy`/`ALL_PROXY`; `no_proxy`/`NO_PROXY` (`*`, host names and domain suffixes, IP addresses, IPv4 CIDR
/// ranges) exempts hosts.
public struct ProxyRules: Sendable, Equatable {
    /// The proxy chosen for a URL and the variable that chose it.
    public struct Choice: Sendable, Equatable {
        public let url: String
        public let variable: String
        /// The proxy URL with any credentials hidden, for messages.
        public var redacted: String { URLRedactor.redact(url) }
    }

    /// The proxy variables that are set (name → value).
    let variables: [String: String]

    public init(environment: [String: String]) {
        let names = ["http_proxy", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY"]
        variables = environment.filter { names.contains($0.key) }
    }

    /// No proxy for anything.
    public static let none = ProxyRules(environment: [:])

    /// The proxy `url` goes through, or nil for a direct connection.
    public func proxy(for url: String) -> Choice? {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            let host = components.host, !host.isEmpty
        else { return nil }
        if let exempt = variables["no_proxy"] ?? variables["NO_PROXY"], Self.isExempt(host: host, noProxy: exempt) { return nil }
        var candidates = ["\(scheme)_proxy"]
        if scheme != "http" { candidates.append("\(scheme.uppercased())_PROXY") }
        candidates += ["all_proxy", "ALL_PROXY"]
        for name in candidates {
            guard let value = variables[name] else { continue }
            // A variable set to the empty string stops the search: no proxy, as in libcurl.
            return value.isEmpty ? nil : Choice(url: value, variable: name)
        }
        return nil
    }

    /// libcurl's no_proxy match (lib/noproxy.c): `*`, exact IPs or CIDR ranges, names equal to or ending in `.entry`.
    static func isExempt(host rawHost: String, noProxy: String) -> Bool {
        let list = noProxy.trimmingWhitespace()
        if list == "*" { return true }
        var host = rawHost.lowercased()
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.hasSuffix(".") { host.removeLast() }
        let hostIsIP = IPv4.parse(host) != nil || host.containsScalars(":")
        for token in list.split(whereSeparator: { $0 == "," || $0 == " " }).map({ $0.lowercased() }) where !token.isEmpty {
            if hostIsIP {
                if token == host { return true }
                if let slash = token.firstIndex(of: "/"), let address = IPv4.parse(host), let network = IPv4.parse(String(token[..<slash])),
                    let bits = Int(token[token.index(after: slash)...]), (0...32).contains(bits)
                {
                    let mask: UInt32 = bits == 0 ? 0 : ~UInt32(0) << (32 - bits)
                    if address & mask == network & mask { return true }
                }
                continue
            }
            var name = Substring(token)
            while name.hasPrefix(".") { name = name.dropFirst() }
            if name.hasSuffix(".") { name = name.dropLast() }
            if name.isEmpty { continue }
            if host == name || host.hasSuffix("." + name) { return true }
        }
        return false
    }

    /// Dotted-quad IPv4 parsing for no_proxy ranges.
    private enum IPv4 {
        static func parse(_ text: String) -> UInt32? {
            let parts = text.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 4 else { return nil }
            var value: UInt32 = 0
            for part in parts {
                guard let byte = UInt8(part) else { return nil }
                value = value << 8 | UInt32(byte)
            }
            return value
        }
    }
}
