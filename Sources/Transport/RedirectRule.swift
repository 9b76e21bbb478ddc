import FoundationEssentials

/// Decides how a redirect is followed: which statuses, which method, whether secrets may travel.
enum RedirectRule {
    static func isRedirect(_ status: Int) -> Bool { [301, 302, 303, 307, 308].contains(status) }

    /// 307/308 keep method and body; 301/302/303 become a body-less GET.
    static func keepsMethodAndBody(_ status: Int) -> Bool { status == 307 || status == 308 }

    /// Lowercased scheme of `url`, if it has one.
    static func scheme(of url: String) -> String? {
        guard let colon = url.firstIndex(of: ":") else { return nil }
        let scheme = url[..<colon]
        guard let first = scheme.first, first.isLetter,
            scheme.allSatisfy({ $0.isLetter || $0.isNumber || "+-.".contains($0) })
        else { return nil }
        return scheme.lowercased()
    }

    static func isAllowedScheme(_ scheme: String) -> Bool { scheme == "http" || scheme == "https" }

    /// scheme + host + port, with default ports filled in; nil when unparseable.
    static func origin(of url: String) -> String? {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            let host = components.host?.lowercased()
        else { return nil }
        let port = components.port ?? (scheme == "https" ? 443 : scheme == "http" ? 80 : -1)
        return "\(scheme)://\(host):\(port)"
    }

    /// The only headers that follow a redirect to another origin: describing the body and what is accepted. Every
    /// other one (the key, cookies, the profile's and `-H` headers) stays with the host the user named, as curl
    /// does without `--location-trusted`.
    static let headersKeptAcrossOrigins: Set<String> = ["accept", "accept-encoding", "content-type", "content-length", "user-agent"]

    static func host(of url: String) -> String {
        URLComponents(string: url)?.host ?? url
    }

    static func sameOrigin(_ a: String, _ b: String) -> Bool {
        guard let oa = origin(of: a), let ob = origin(of: b) else { return false }
        return oa == ob
    }
}
