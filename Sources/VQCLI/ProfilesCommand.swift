import Foundation
import VisionQuery

/// `vq profiles`: every profile with its api, model, base URL and whether a key is available (never the key).
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
                ["name": profile.name, "api": profile.api.rawValue, "model": profile.model ?? NSNull(),
                 "base_url": profile.baseURL, "key": keys.availability(of: profile),
                 "origin": profile.origin.rawValue, "default": profile.name == selected]
            }
            console.out(JSONText.render(list, pretty: true) + "\n")
            return
        }
        let header = ["", "NAME", "API", "MODEL", "BASE URL", "KEY"]
        let rows = profiles.map { profile in
            [profile.name == selected ? "*" : "", profile.name, profile.api.rawValue, profile.model ?? "-",
             profile.baseURL.isEmpty ? "-" : profile.baseURL, keys.availability(of: profile)]
        }
        console.out(TextTable.render([header] + rows))
    }
}

/// Left-aligned columns separated by two spaces.
enum TextTable {
    static func render(_ rows: [[String]]) -> String {
        guard let columns = rows.first?.count else { return "" }
        let widths = (0..<columns).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == columns - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }.joined(separator: "\n") + "\n"
    }
}

/// JSON text for output, stable key order, slashes unescaped.
enum JSONText {
    static func render(_ value: Any, pretty: Bool = false) -> String {
        var options: JSONSerialization.WritingOptions = [.sortedKeys, .withoutEscapingSlashes]
        if pretty { options.insert(.prettyPrinted) }
        guard let data = try? JSONSerialization.data(withJSONObject: value, options: options) else {
            preconditionFailure("output is not serialisable JSON")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
