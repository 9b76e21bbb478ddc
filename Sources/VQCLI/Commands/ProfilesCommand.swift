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
        let listing = ProfileListing(config: config, environment: environment)
        if json {
            console.out(JSONText.render(listing.objects(), pretty: true) + "\n")
            return
        }
        let header = ["", "NAME", "API", "MODEL", "BASE URL", "KEY"]
        let rows = listing.profiles.map { profile in
            [
                profile.name == listing.selected ? "*" : "", profile.name, profile.api.rawValue, profile.model ?? "-",
                profile.baseURL.isEmpty ? "-" : URLRedactor.redact(profile.baseURL), listing.availability(of: profile),
            ]
        }
        console.out(TextTable.render([header] + rows))
    }
}
