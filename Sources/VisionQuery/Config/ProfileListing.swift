import FoundationEssentials
import Platform
import Transport

/// What `vq profiles --json` and the MCP `list_profiles` tool show of each profile: name, api, model, redacted base
/// URL, whether a key is at hand (never the key), where it was defined, whether it is the default.
public struct ProfileListing {
    public let profiles: [Profile]
    /// The profile used when none is named.
    public let selected: String
    private let keys: KeyResolver

    public init(config: ConfigFile?, environment: [String: String]) {
        let resolver = ProfileResolver(config: config, environment: environment)
        keys = KeyResolver(environment: environment, configPath: config?.path)
        selected = resolver.selectedName(flag: nil).name
        profiles = resolver.allProfiles()
    }

    /// One JSON object per profile, in listing order.
    public func objects(_ chosen: [Profile]? = nil) -> [[String: Any]] {
        (chosen ?? profiles).map { profile in
            [
                "name": profile.name, "api": profile.api.rawValue, "model": profile.model ?? JSONNull(),
                "base_url": URLRedactor.redact(profile.baseURL), "key": keys.hasKey(for: profile), "key_required": profile.keyRequired,
                "key_env": profile.keyEnv ?? JSONNull(),
                "origin": profile.origin.rawValue, "default": profile.name == selected,
            ]
        }
    }

    /// "set", "missing", … for the text table.
    public func availability(of profile: Profile) -> String { keys.availability(of: profile) }
}
