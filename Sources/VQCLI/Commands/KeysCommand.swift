import Foundation
import VisionQuery

/// `vq keys set|list|remove`: manages the keys file (see `KeysFile`); `list` says where each profile's key would come
/// from, never the key.
struct KeysCommand {
    let action: Invocation.KeysAction
    let configFlag: String?
    let environment: [String: String]
    let console: Console

    func run() throws(VQError) {
        let config = try ConfigLocator.load(flag: configFlag, environment: environment)
        let resolver = ProfileResolver(config: config, environment: environment)
        switch action {
        case .list:
            let keys = KeyResolver(environment: environment, configPath: config?.path)
            let rows = resolver.allProfiles().map { [$0.name, keys.availability(of: $0)] }
            console.out(TextTable.render([["PROFILE", "KEY"]] + rows))
        case .set(let name):
            let profile = try known(name, resolver)
            let key = SecretPrompt.read(prompt: "API key for profile '\(profile.name)': ", console: console)
                .trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty else { throw VQError(.usage, "no key given (type it at the prompt, or pipe it to 'vq keys set \(name)')") }
            guard HeaderValidation.isValidValue(key), !key.contains(where: { $0.isWhitespace }) else {
                throw VQError(.usage, "the key contains spaces or control characters; nothing stored")
            }
            var file = try KeysFile.load(environment: environment)
            file.set(key, for: profile.name)
            try file.save()
            console.notice("stored the key of profile '\(profile.name)' in \(file.path)")
            if let env = profile.keyEnv, let value = environment[env], !value.isEmpty {
                console.warning("$\(env) is set and comes first; unset it to use the stored key")
            }
        case .remove(let name):
            var file = try KeysFile.load(environment: environment)
            guard file.remove(name) else { throw VQError(.usage, "\(file.path) holds no key for profile '\(name)'") }
            try file.save()
            console.notice("removed the key of profile '\(name)' from \(file.path)")
        }
    }

    /// The profile called `name`; an unknown name is a configuration error with the closest known one.
    private func known(_ name: String, _ resolver: ProfileResolver) throws(VQError) -> Profile {
        let profiles = resolver.allProfiles()
        if let profile = profiles.first(where: { $0.name == name }) { return profile }
        let hint = Suggestion.closest(to: name, among: profiles.map(\.name)).map { " Did you mean '\($0)'?" } ?? ""
        throw VQError(.config, "unknown profile '\(name)'.\(hint) Known profiles: \(profiles.map(\.name).joined(separator: ", "))")
    }
}
