import FoundationEssentials
import Glibc
import Platform
import TOMLKit
import TextFormatting

/// The API keys `vq keys set` stores: `$XDG_CONFIG_HOME/vq/keys.toml`, else `~/.config/vq/keys.toml`, one
/// `NAME = "KEY"` line each, mode 0600, always replaced atomically (a crash leaves the old file or the new). A key is
/// stored by name, as llm stores named keys: the name of the profile's key variable (`OPENAI_API_KEY`), so every
/// profile that shares that `key_env` finds it; a profile without one stores under its own name (as older files did).
public struct KeysFile: Sendable {
    public let path: String
    /// Key name (a `key_env`, or a profile's name) → key.
    public private(set) var keys: [String: String]
    /// The file's mode lets its group or others read it (warned about whenever one of its keys is used).
    public var readableByOthers = false

    /// The name a profile's key is stored under: its key variable's name, else the profile's name.
    public static func name(for profile: Profile) -> String { profile.keyEnv ?? profile.name }

    /// The stored key for `profile`: under its key's name, else under the profile's name (files written before keys
    /// were stored by name).
    public func key(for profile: Profile) -> String? {
        [Self.name(for: profile), profile.name].lazy.compactMap { keys[$0] }.first { !$0.isEmpty }
    }

    /// Where the keys file is for this environment.
    public static func locate(environment: [String: String]) -> String {
        XDGPaths(environment: environment).config("keys.toml")
    }

    /// Reads the file; a missing file holds no keys. A file vq cannot read or parse is a `.config` error naming it.
    public static func load(environment: [String: String]) throws(VQError) -> KeysFile {
        let path = locate(environment: environment)
        guard FileManager.default.fileExists(atPath: path) else { return KeysFile(path: path, keys: [:]) }
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw VQError(.config, "\(path): cannot read: \(ErrorDescription.reason(error))")
        }
        let table: TOMLTable
        do { table = try TOMLTable(string: text) } catch let error as TOMLParseError {
            throw VQError(.config, "\(path):\(error.source.begin.line): \(error.description)")
        } catch {
            throw VQError(.config, "\(path): \(error)")
        }
        var keys: [String: String] = [:]
        for (name, value) in table {
            guard let key = value.string else { throw VQError(.config, "\(path): the key '\(name)' must be a string") }
            guard HeaderValidation.isValidValue(key) else {
                let line = Self.line(of: name, in: text).map { ":\($0)" } ?? ""
                throw VQError(.config, "\(path)\(line): the key of profile '\(name)' contains a line break or NUL, which would inject a header")
            }
            keys[name] = key
        }
        var file = KeysFile(path: path, keys: keys)
        var info = stat()
        if stat(path, &info) == 0 { file.readableByOthers = (info.st_mode & 0o044) != 0 }
        return file
    }

    /// The 1-based line on which `name` is assigned (bare or quoted), for error messages.
    static func line(of name: String, in text: String) -> Int? {
        let forms = [name, TOMLText.quoted(name), "'\(name)'"]
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingWhitespace()
            for form in forms where trimmed.hasPrefix(form) {
                if trimmed.dropFirst(form.count).trimmingWhitespace().hasPrefix("=") { return index + 1 }
            }
        }
        return nil
    }

    /// Stores `key` under `name`, replacing any earlier one.
    public mutating func set(_ key: String, for name: String) { keys[name] = key }

    /// Removes the key stored under `name`; false when there was none.
    public mutating func remove(_ name: String) -> Bool { keys.removeValue(forKey: name) != nil }

    /// Writes the file atomically with mode 0600, creating its directory (0700) when needed.
    public func save() throws(VQError) {
        let directory = PathText.deletingLastComponent(path)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw VQError(.cannotCreate, "\(directory): cannot create the directory: \(ErrorDescription.reason(error))")
        }
        var text = "# API keys stored by 'vq keys set'; keep this file private (mode 0600).\n"
        for name in keys.keys.sorted() { text += "\(TOMLText.quoted(name)) = \(TOMLText.quoted(keys[name]!))\n" }
        try AtomicFile.replace(path, with: Data(text.utf8), mode: 0o600)  // created 0600 before any key is written
    }
}
