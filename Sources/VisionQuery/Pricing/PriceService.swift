import FoundationEssentials

/// Which service's prices apply to a profile, recognised by the host of its base URL (a gateway or a local
/// server charges its own prices, or none: nil).
public enum PriceService {
    /// Host (or a suffix after a dot) → the service name the price table uses.
    static let hosts: [(host: String, service: String)] = [
        ("api.openai.com", "openai"),
        ("api.anthropic.com", "anthropic"),
        ("generativelanguage.googleapis.com", "gemini"),
        ("api.mistral.ai", "mistral"),
        ("api.scaleway.ai", "scaleway"),
        ("aihubmix.com", "aihubmix"),
        ("openrouter.ai", openRouter),
    ]

    /// OpenRouter charges what the model's own service charges; its model names say which (`google/gemini-2.5-flash`).
    static let openRouter = "openrouter"
    static let openRouterVendors: [(prefix: String, service: String)] = [
        ("openai/", "openai"), ("anthropic/", "anthropic"), ("google/", "gemini"), ("mistralai/", "mistral"),
    ]

    /// The service behind `baseURL`, or nil when vq has no prices for it.
    public static func of(baseURL: String) -> String? {
        guard let host = URLComponents(string: baseURL)?.host?.lowercased() else { return nil }
        return hosts.first { host == $0.host || host.hasSuffix("." + $0.host) }?.service
    }
}
