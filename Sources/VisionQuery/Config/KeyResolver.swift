import FoundationEssentials
import Platform
import TextFormatting

/// Finds a profile's API key, in this order: the `key_env` variable (if set and non-empty), the keys file
/// (`vq keys set`), `key_cmd`, then `key` from the config file.
public struct KeyResolver: Sendable {
    public let environment: [String: String]
    public let configPath: String?
    /// Keys stored by `vq keys set`; the error when the keys file cannot be read (reported when a key is needed).
    private let stored: Result<KeysFile, VQError>

    public init(environment: [String: String], configPath: String?) {
        self.environment = environment
        self.configPath = configPath
        do throws(VQError) { stored = .success(try KeysFile.load(environment: environment)) } catch { stored = .failure(error) }
    }

    /// The key `vq keys set` stored for `profile`.
    private func storedKey(_ profile: Profile) throws(VQError) -> String? {
        switch stored {
        case .success(let file): return file.key(for: profile)
        case .failure(let error): throw error
        }
    }

    /// Where a key would come from, for `vq profiles` (never the key itself).
    public func availability(of profile: Profile) -> String {
        if !profile.keyRequired && profile.keyEnv == nil && profile.keyCmd == nil && profile.key == nil { return "not needed" }
        if let env = profile.keyEnv, let value = environment[env], !value.isEmpty { return "yes ($\(env))" }
        if case .success(let file) = stored, file.key(for: profile) != nil { return "yes (keys file)" }
        if case .failure = stored { return "unknown (keys file unreadable)" }
        if profile.keyCmd != nil { return "key_cmd" }
        if profile.key != nil { return "yes (config key)" }
        if !profile.keyRequired { return profile.api.ambientCredentials(for: profile, environment: environment) ?? "not needed" }
        return profile.keyEnv.map { "missing: set \($0)" } ?? "missing"
    }

    /// Whether a key is at hand without running anything: its variable is set, or the profile has key_cmd or key.
    public func hasKey(for profile: Profile) -> Bool {
        if let env = profile.keyEnv, let value = environment[env], !value.isEmpty { return true }
        return profile.keyCmd != nil || profile.key != nil
    }

    /// The warning to give when `key` came from a keys file that its group or others can read, else nil.
    /// vq warns rather than refusing (as ssh does for private keys): the key is already exposed by the time it is
    /// read, refusing protects nothing, and the fix (chmod, then rotate the key) is the user's either way.
    public func exposureWarning(for profile: Profile, key: String?) -> String? {
        guard let key, case .success(let file) = stored, file.readableByOthers, file.keys[profile.name] == key else { return nil }
        return "\(file.path) holds API keys and is readable by others; run: chmod 600 \(file.path)"
    }

    /// The key, nil when the profile needs none; throws `.permission` naming what to set, `.config` naming where a key
    /// with a line break came from (it would inject a header).
    public func key(for profile: Profile) throws(VQError) -> String? {
        if let env = profile.keyEnv, let value = environment[env]?.trimmingWhitespaceAndNewlines(), !value.isEmpty {
            guard HeaderValidation.isValidValue(value) else {
                throw VQError(.config, "$\(env) contains a line break or NUL, which would inject a header; set it to the key alone")
            }
            return value
        }
        if let key = try storedKey(profile) { return key }
        if let command = profile.keyCmd {
            let key = try run(command, profile: profile.name)
            guard HeaderValidation.isValidValue(key) else {
                throw VQError(.config, "key_cmd for profile '\(profile.name)' printed a key with a carriage return or NUL: \(command)")
            }
            return key
        }
        if let key = profile.key, !key.isEmpty { return key }
        if !profile.keyRequired { return nil }
        let configHint = "add key_cmd = \"…\" to [profiles.\(profile.name)] in \(configPath ?? "the config file")"
        if let env = profile.keyEnv {
            throw VQError(.permission, "no API key for profile '\(profile.name)': set \(env), run 'vq keys set \(profile.name)', or \(configHint)")
        }
        throw VQError(.permission, "no API key for profile '\(profile.name)': run 'vq keys set \(profile.name)', \(configHint), or key_env = \"VARIABLE\"")
    }

    /// Runs key_cmd without a shell when it has no shell syntax, reading stdout only.
    private func run(_ command: String, profile: String) throws(VQError) -> String {
        let shellSyntax = command.contains { "|&;<>()$`\\\"'*?[]#~=%{}\n".contains($0) }
        let executable: String
        let arguments: [String]
        if shellSyntax {
            executable = "/bin/sh"
            arguments = ["-c", command]
        } else {
            executable = "/usr/bin/env"
            arguments = ["--"] + command.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        }
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { _, new in new }
        let process: Subprocess
        do throws(SystemError) {
            process = try Subprocess(executable: executable, arguments: arguments, environment: env, captureStandardError: false)
        } catch {
            throw VQError(.permission, "key_cmd for profile '\(profile)' could not start: \(error)")
        }
        let data = (try? FileIO.readToEnd(process.standardOutput)) ?? Data()
        process.closeStandardOutput()
        let termination = process.wait()
        guard termination == .exited(0) else {
            throw VQError(
                .permission, "key_cmd for profile '\(profile)' failed (exit status \(termination.status)); run it by hand to see why: \(command)")
        }
        let key =
            String(decoding: data, as: UTF8.self).split(separator: "\n").first.map {
                $0.trimmingWhitespaceAndNewlines()
            } ?? ""
        guard !key.isEmpty else {
            throw VQError(.permission, "key_cmd for profile '\(profile)' printed nothing on stdout: \(command)")
        }
        return key
    }
}
