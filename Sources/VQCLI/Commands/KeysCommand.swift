import FoundationEssentials
import TextFormatting
import VisionQuery

/// `vq keys set|list|remove`: manages the keys file (see `KeysFile`), where keys are stored by name (the key
/// variable's) so every profile sharing a `key_env` finds one; `list` shows each key name, the profiles it serves and
/// where it comes from, never the key.
struct KeysCommand {
    let action: Invocation.KeysAction
    let configFlag: String?
    let environment: [String: String]
    let console: Console

    func run() throws(VQError) {
        let config = try ConfigLocator.load(flag: configFlag, environment: environment)
        let profiles = ProfileResolver(config: config, environment: environment).allProfiles()
        switch action {
        case .list:
            let file = try KeysFile.load(environment: environment)
            console.out(TextTable.render([["KEY", "PROFILES", "FROM"]] + Self.rows(profiles, file: file, environment: environment)))
        case .set(let given):
            let name = try Self.keyName(given, profiles)
            let served = Self.served(by: name, profiles)
            let key = SecretPrompt.read(prompt: "API key \(name) (\(served.joined(separator: ", "))): ", console: console)
                .trimmingWhitespace()
            guard !key.isEmpty else { throw VQError(.usage, "no key given (type it at the prompt, or pipe it to 'vq keys set \(given)')") }
            guard HeaderValidation.isValidValue(key), !key.contains(where: { $0.isWhitespace }) else {
                throw VQError(.usage, "the key contains spaces or control characters; nothing stored")
            }
            var file = try KeysFile.load(environment: environment)
            file.set(key, for: name)
            for profile in served where profile != name { _ = file.remove(profile) }  // an older per-profile copy
            try file.save()
            console.notice("stored the key \(name) in \(file.path); it serves \(served.joined(separator: ", "))")
            if let value = environment[name], !value.isEmpty {
                console.warning("$\(name) is set and comes first; unset it to use the stored key")
            }
        case .remove(let given):
            var file = try KeysFile.load(environment: environment)
            let name = (try? Self.keyName(given, profiles)) ?? given
            let removed = [name, given].reduce(false) { removed, entry in file.remove(entry) || removed }
            guard removed else { throw VQError(.usage, "\(file.path) holds no key \(name == given ? "'\(given)'" : "\(name) (for '\(given)')")") }
            try file.save()
            console.notice("removed the key \(name) from \(file.path)")
        }
    }

    /// The name `vq keys set NAME` stores under: a profile's key name, or a key variable some profile reads; anything
    /// else is a configuration error with the closest known name.
    static func keyName(_ given: String, _ profiles: [Profile]) throws(VQError) -> String {
        if let profile = profiles.first(where: { $0.name == given }) { return KeysFile.name(for: profile) }
        if profiles.contains(where: { $0.keyEnv == given }) { return given }
        let names = profiles.map(\.name)
        let hint = Suggestion.closest(to: given, among: names + profiles.compactMap(\.keyEnv)).map { " Did you mean '\($0)'?" } ?? ""
        throw VQError(.config, "unknown profile '\(given)'.\(hint) Known profiles: \(names.joined(separator: ", "))")
    }

    /// The profiles whose key is stored under `name`.
    static func served(by name: String, _ profiles: [Profile]) -> [String] {
        profiles.filter { KeysFile.name(for: $0) == name }.map(\.name)
    }

    /// One row per key name a profile uses (and per stored name no profile uses): the profiles it serves and where it
    /// comes from — the variable (first), the keys file, or nowhere yet.
    static func rows(_ profiles: [Profile], file: KeysFile, environment: [String: String]) -> [[String]] {
        var names: [String] = []
        for profile in profiles where profile.keyRequired || profile.keyEnv != nil {
            let name = KeysFile.name(for: profile)
            if !names.contains(name) { names.append(name) }
        }
        for name in file.keys.keys.sorted() where !names.contains(name) { names.append(name) }
        return names.map { name in
            let served = served(by: name, profiles)
            var from: [String] = []
            if let value = environment[name], !value.isEmpty, profiles.contains(where: { $0.keyEnv == name }) { from.append("$\(name)") }
            if file.keys[name]?.isEmpty == false || served.contains(where: { file.keys[$0]?.isEmpty == false }) { from.append("keys file") }
            return [
                name, served.isEmpty ? "-" : served.joined(separator: ", "), from.isEmpty ? "missing: vq keys set \(name)" : from.joined(separator: ", then "),
            ]
        }
    }
}
