import FoundationEssentials
import Glibc
import TextFormatting
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
        // On a terminal the table fits its width, less the last column, which wraps on some terminals (the base URL
        // goes first, then models are cut) and KEY says yes or no; in a pipe every column is whole, and KEY says where
        // the key comes from or how to add it.
        let width = Console.isTerminal(STDOUT_FILENO) ? TerminalWidth.ofDescriptor(STDOUT_FILENO) : nil
        var missing: [String] = []
        let rows = listing.profiles.map { profile in
            var key = listing.availability(of: profile)
            if key.hasPrefix("missing") {
                missing.append(profile.name)
                key = width == nil ? "\(key) or run: vq keys set \(profile.name)" : "no"
            } else if width != nil, let open = key.firstIndex(of: "(") {
                key = key[..<open].trimmingWhitespace()
            }
            return [
                profile.name == listing.selected ? "*" : "", profile.name, profile.api.rawValue, profile.model ?? "-",
                profile.baseURL.isEmpty ? "-" : URLRedactor.redact(profile.baseURL), key,
            ]
        }
        var table = [header] + rows
        if let width { table = TextTable.fitted(table, width: width - 1, dropping: ["BASE URL"], squeezing: "MODEL") }
        console.out(TextTable.render(table))
        if width != nil && !missing.isEmpty {
            console.notice("KEY no: run 'vq keys set PROFILE' (or see key_env in --json)")
        }
    }
}
