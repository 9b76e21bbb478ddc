import FoundationEssentials
import Glibc
import Platform
import TOMLKit
import TextFormatting

/// The parsed config file: a default profile name and per-profile settings, checked for known keys and types.
public struct ConfigFile: Sendable {
    public var path: String
    public var defaultProfile: String?
    /// `log = false` turns the conversation log off; nil when the file does not say.
    public var log: Bool?
    /// Profile name → its settings, in file order.
    public var profiles: [(name: String, settings: ProfileSettings)]
    /// Template name → its settings, in file order.
    public var templates: [(name: String, settings: TemplateSettings)] = []
    /// `[prices."MODEL"]` sections, in file order: figures that replace the bundled price table's.
    public var prices: [(model: String, settings: PriceSettings)] = []
    /// The `[mcp]` section (`vq mcp`'s limits); empty when the file has none.
    public var mcp = MCPSettings()
    /// Whether group or others may read the file (a `key` in it is then a warning, as ssh does).
    public var readableByOthers: Bool
    /// Sections with an error, in file order: each is reported when its profile is used (and by `vq config check`),
    /// so one bad profile does not block the others.
    public var invalidProfiles: [(name: String, error: VQError)] = []

    /// Reads and validates the file at `path`. Errors are `.config` and name the file and line.
    public static func load(path: String) throws(VQError) -> ConfigFile {
        // Read as a stream, so a pipe (`--config <(pass show vq)`) works too; it is read once per run.
        let text: String
        do {
            guard let decoded = String(data: try FileIO.contents(ofPath: path), encoding: .utf8) else {
                throw VQError(.config, "\(path): the config file is not UTF-8 text")
            }
            text = decoded
        } catch let error as VQError {
            throw error
        } catch {
            throw VQError(.config, "\(path): cannot read config file: \(ErrorDescription.reason(error))")
        }
        var config = try parse(text, path: path)
        var info = stat()
        if stat(path, &info) == 0 { config.readableByOthers = (info.st_mode & 0o044) != 0 }
        return config
    }

    /// Parses config text; `path` is only used in messages.
    public static func parse(_ text: String, path: String) throws(VQError) -> ConfigFile {
        if let (line, message) = TOMLPreflight.firstProblem(in: text) { throw VQError(.config, "\(path):\(line): \(message)") }
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw VQError(.config, "\(path):\(error.source.begin.line): \(error.description)")
        } catch {
            throw VQError(.config, "\(path): \(error)")
        }
        let locator = ConfigLineLocator(text: text)
        var config = ConfigFile(path: path, defaultProfile: nil, profiles: [], readableByOthers: false)
        for (key, value) in table {
            switch key {
            case "default_profile":
                guard let name = value.string else {
                    throw VQError(.config, "\(path):\(locator.line(ofKey: key, inSection: nil)): default_profile must be a string")
                }
                config.defaultProfile = name
            case "log":
                guard let flag = value.bool else {
                    throw VQError(.config, "\(path):\(locator.line(ofKey: key, inSection: nil)): log must be true or false")
                }
                config.log = flag
            case "profiles":
                guard let profiles = value.table else {
                    throw VQError(.config, "\(path):\(locator.line(ofKey: key, inSection: nil)): profiles must be a table of [profiles.NAME] sections")
                }
                for (name, body) in profiles {
                    guard let section = body.table else {
                        throw VQError(.config, "\(path):\(locator.line(ofSection: name)): profiles.\(name) must be a table")
                    }
                    do throws(VQError) {
                        let settings = try ProfileSettings.parse(section, profile: name) { message, key in
                            let line = key.map { locator.line(ofKey: $0, inSection: name) } ?? locator.line(ofSection: name)
                            return VQError(.config, "\(path):\(line): profile '\(name)': \(message)")
                        }
                        config.profiles.append((name, settings))
                    } catch {
                        config.invalidProfiles.append((name, error))
                    }
                }
            case "templates":
                config.templates = try TemplateSettings.parseAll(value, path: path, locator: locator)
            case "prices":
                config.prices = try PriceSettings.parseAll(value, path: path, locator: locator)
            case "mcp":
                config.mcp = try MCPSettings.parse(value) { message, key in
                    let line = key.map { locator.line(ofKey: $0, inSection: "mcp", table: "") } ?? locator.line(ofKey: "mcp", inSection: nil)
                    return VQError(.config, "\(path):\(line): \(message)")
                }
            default:
                let hint =
                    Suggestion.closest(to: key, among: ["default_profile", "log", "mcp", "prices", "profiles", "templates"]).map { "; did you mean '\($0)'?" }
                    ?? ""
                throw VQError(.config, "\(path):\(locator.line(ofKey: key, inSection: nil)): unknown key '\(key)'\(hint)")
            }
        }
        return config
    }

    /// The error in profile `name`'s section, if it has one.
    public func problem(with name: String) -> VQError? {
        invalidProfiles.first { $0.name == name }?.error
    }

    public func settings(for name: String) -> ProfileSettings? {
        profiles.first { $0.name == name }?.settings
    }
}

/// Finds the line of a key or section in config text, so that errors about values can name a line.
public struct ConfigLineLocator {
    let lines: [Substring]

    public init(text: String) { lines = text.split(separator: "\n", omittingEmptySubsequences: false) }

    public func line(ofSection profile: String, table: String = "profiles") -> Int {
        sectionStart(profile, table: table).map { $0 + 1 } ?? 1
    }

    /// The 1-based line of `key` inside `[<table>.<section>]`, or at the top level when section is nil.
    public func line(ofKey key: String, inSection section: String?, table: String = "profiles") -> Int {
        let start = section.flatMap { sectionStart($0, table: table) } ?? -1
        var index = start + 1
        while index < lines.count {
            let trimmed = lines[index].trimmingWhitespace()
            if trimmed.hasPrefix("[") { if section == nil { return 1 } else { break } }
            if trimmed.hasPrefix(key) {
                let rest = trimmed.dropFirst(key.count).drop { $0 == " " || $0 == "\t" }
                if rest.hasPrefix("=") || rest.hasPrefix(".") { return index + 1 }
            }
            index += 1
        }
        return start >= 0 ? start + 1 : 1
    }

    private func sectionStart(_ profile: String, table: String = "profiles") -> Int? {
        // An empty table names a top-level section (`[mcp]`).
        let prefix = table.isEmpty ? "" : "\(table)."
        let forms = ["[\(prefix)\(profile)]", "[\(prefix)\"\(profile)\"]", "[\(prefix)'\(profile)']"]
        return lines.firstIndex { line in
            let compact = line.filter { $0 != " " && $0 != "\t" }
            return forms.contains { compact.hasPrefix($0) }
        }
    }
}
