/// Hides credentials carried in a URL (user:password@, ?key=…) before it is logged or put in an error.
public enum URLRedactor {
    /// Query parameter names (lowercased) whose values are secrets.
    public static let secretQueryNames: Set<String> = [
        "key", "api_key", "apikey", "api-key", "access_token", "token", "sig", "signature",
        "upload_id",  // a Google resumable upload session: whoever has it can write the file
    ]

    public static func redact(_ url: String) -> String {
        var result = Substring(url)
        // Userinfo between "://" and the first "@" of the authority.
        if let schemeEnd = result.firstRange(of: "://") {
            let authorityEnd = result[schemeEnd.upperBound...].firstIndex { "/?#".contains($0) } ?? result.endIndex
            if let at = result[schemeEnd.upperBound..<authorityEnd].lastIndex(of: "@") {
                result = result[..<schemeEnd.upperBound] + HeaderRedactor.placeholder + result[at...]
            }
        }
        guard let question = result.firstIndex(of: "?") else { return String(result) }
        let fragmentStart = result[question...].firstIndex(of: "#") ?? result.endIndex
        let pairs = result[result.index(after: question)..<fragmentStart].split(separator: "&", omittingEmptySubsequences: false).map { pair in
            guard let equals = pair.firstIndex(of: "=") else { return String(pair) }
            let name = pair[..<equals]
            return secretQueryNames.contains(name.lowercased()) ? "\(name)=\(HeaderRedactor.placeholder)" : String(pair)
        }
        return String(result[...question]) + pairs.joined(separator: "&") + String(result[fragmentStart...])
    }
}
