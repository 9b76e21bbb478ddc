import Foundation
import Transport
import VisionQuery

/// `vq profiles`: every profile with its api, model, base URL and whether a key is available (never the key).
/// With --json, `key` is true when a key is at hand (variable set, key_cmd or key), `key_env` names the variable.
struct ProfilesCommand {
    let configFlag: String?
    let json: Bool
    let environment: [String: String]
    let console: Console

    func run() throws(VQError) {
        let config = try ConfigLocator.load(flag: configFlag, environment: environment)
        let resolver = ProfileResolver(config: config, environment: environment)
        let keys = KeyResolver(environment: environment, configPath: config?.path)
        let selected = resolver.selectedName(flag: nil).name
        let profiles = resolver.allProfiles()
        if json {
            let list: [[String: Any]] = profiles.map { profile in
                [
                    "name": profile.name, "api": profile.api.rawValue, "model": profile.model ?? NSNull(),
                    "base_url": URLRedactor.redact(profile.baseURL), "key": keys.hasKey(for: profile), "key_required": profile.keyRequired,
                    "key_env": profile.keyEnv ?? NSNull(),
                    "origin": profile.origin.rawValue, "default": profile.name == selected,
                ]
            }
            console.out(JSONText.render(list, pretty: true) + "\n")
            return
        }
        let header = ["", "NAME", "API", "MODEL", "BASE URL", "KEY"]
        let rows = profiles.map { profile in
            [
                profile.name == selected ? "*" : "", profile.name, profile.api.rawValue, profile.model ?? "-",
                profile.baseURL.isEmpty ? "-" : URLRedactor.redact(profile.baseURL), keys.availability(of: profile),
            ]
        }
        console.out(TextTable.render([header] + rows))
    }
}
