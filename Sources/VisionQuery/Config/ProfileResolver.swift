import FoundationEssentials

/// Picks the profile and model: flags > environment (`VQ_PROFILE`, `VQ_MODEL`) > config file > built-in profiles.
public struct ProfileResolver: Sendable {
    public let config: ConfigFile?
    public let environment: [String: String]

    public init(config: ConfigFile?, environment: [String: String]) {
        self.config = config
        self.environment = environment
    }

    /// Every profile, built-in and configured, merged, sorted by name.
    public func allProfiles() -> [Profile] {
        var byName: [String: Profile] = [:]
        for profile in BuiltinProfiles.all { byName[profile.name] = profile }
        for (name, settings) in config?.profiles ?? [] {
            var profile = byName[name] ?? Profile(name: name, api: settings.api ?? .openai)
            profile.origin = byName[name] == nil ? .config : .overridden
            settings.apply(to: &profile)
            // A profile of the user's own with no key setting needs a key only when its server is not local (a
            // llama.cpp, vLLM, LM Studio or Ollama on loopback or a Unix socket); `key_required` says so outright.
            if profile.origin == .config && !settings.namesAKey && settings.keyRequired == nil {
                profile.keyRequired = !profile.isLocalServer
            }
            byName[name] = profile
        }
        return byName.values.sorted { $0.name < $1.name }
    }

    /// The name that applies and where it came from.
    public func selectedName(flag: String?) -> (name: String, source: String) {
        if let flag, !flag.isEmpty { return (flag, "--profile") }
        if let env = environment["VQ_PROFILE"], !env.isEmpty { return (env, "VQ_PROFILE") }
        if let name = config?.defaultProfile { return (name, "default_profile in \(config!.path)") }
        return (BuiltinProfiles.defaultName, "the built-in default")
    }

    /// The profile to use, with its model filled in. Throws usage/config errors naming the fix.
    public func resolve(profileFlag: String?, modelFlag: String?) throws(VQError) -> Profile {
        let (name, source) = selectedName(flag: profileFlag)
        if let problem = config?.problem(with: name) { throw problem }
        let profiles = allProfiles()
        guard var profile = profiles.first(where: { $0.name == name }) else {
            let hint = Suggestion.closest(to: name, among: profiles.map(\.name)).map { " Did you mean '\($0)'?" } ?? ""
            let known = profiles.map(\.name).joined(separator: ", ")
            throw VQError(
                source == "--profile" ? .usage : .config,
                "unknown profile '\(name)' (from \(source)).\(hint) Known profiles: \(known)")
        }
        if profile.baseURL.isEmpty {
            throw VQError(
                .config, "profile '\(name)' has no base_url; add base_url = \"https://…\" to [profiles.\(name)] in \(config?.path ?? "the config file")")
        }
        if let modelFlag, !modelFlag.isEmpty {
            profile.model = modelFlag
        } else if let env = environment["VQ_MODEL"], !env.isEmpty {
            profile.model = env
        }
        if profile.model?.isEmpty ?? true, profile.provider.requiresModel() {
            throw VQError(.usage, "no model for profile '\(name)': pass -m MODEL or add model = \"…\" to [profiles.\(name)]")
        }
        return try profile.provider.settled(environment: environment)
    }
}
