import FoundationEssentials
import Platform
import TextFormatting
import Transport

/// Bedrock's credentials and region the way AWS's SDKs find them: `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`/
/// `AWS_SESSION_TOKEN`, else the named profile of `~/.aws/credentials` and `~/.aws/config` (or the files
/// `AWS_SHARED_CREDENTIALS_FILE` and `AWS_CONFIG_FILE` name). A profile's `aws_profile` picks the named profile and
/// then wins over the environment's keys; otherwise `AWS_PROFILE`, else `default`.
struct AWSSharedConfig {
    let environment: [String: String]
    /// The vq profile's `aws_profile`, if it names one.
    let explicitProfile: String?

    /// The AWS profile name in use.
    var profileName: String { explicitProfile ?? nonEmpty("AWS_PROFILE") ?? "default" }

    /// The access key, or nil when neither the environment nor the files hold one.
    func credentials() throws(VQError) -> AWSCredentials? {
        if explicitProfile == nil, let id = nonEmpty("AWS_ACCESS_KEY_ID"), let secret = nonEmpty("AWS_SECRET_ACCESS_KEY") {
            return AWSCredentials(accessKeyID: id, secretAccessKey: secret, sessionToken: nonEmpty("AWS_SESSION_TOKEN"))
        }
        for (path, section) in [(credentialsPath, profileName), (configPath, configSection)] {
            guard let values = try Self.sections(path)[section] else { continue }
            if let id = values["aws_access_key_id"], let secret = values["aws_secret_access_key"] {
                return AWSCredentials(accessKeyID: id, secretAccessKey: secret, sessionToken: values["aws_session_token"])
            }
        }
        return nil
    }

    /// The region: `AWS_REGION`, `AWS_DEFAULT_REGION`, then the profile's `region` in the config file.
    func region() throws(VQError) -> String? {
        if let region = nonEmpty("AWS_REGION") ?? nonEmpty("AWS_DEFAULT_REGION") { return region }
        return try Self.sections(configPath)[configSection]?["region"]
    }

    /// Where to look, for messages.
    var credentialsPath: String { nonEmpty("AWS_SHARED_CREDENTIALS_FILE") ?? home + "/.aws/credentials" }
    var configPath: String { nonEmpty("AWS_CONFIG_FILE") ?? home + "/.aws/config" }

    private var home: String { nonEmpty("HOME") ?? SystemDirectories.home }
    /// The config file names profiles `[profile NAME]`, except `[default]`.
    private var configSection: String { profileName == "default" ? "default" : "profile \(profileName)" }

    private func nonEmpty(_ name: String) -> String? {
        guard let value = environment[name]?.trimmingWhitespaceAndNewlines(), !value.isEmpty else { return nil }
        return value
    }

    /// The `[section]`s of an INI file and their `key = value` lines; a missing file has none.
    static func sections(_ path: String) throws(VQError) -> [String: [String: String]] {
        guard FileManager.default.fileExists(atPath: path) else { return [:] }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw VQError(.config, "\(path): cannot read the AWS file")
        }
        var sections: [String: [String: String]] = [:]
        var current: String?
        for raw in String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline) {
            let line = raw.trimmingWhitespace()
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") && line.hasSuffix("]") {
                current = line.dropFirst().dropLast().split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
                continue
            }
            guard let current, let equals = line.firstIndex(of: "="), raw.first != " ", raw.first != "\t" else { continue }
            let key = line[..<equals].trimmingWhitespace().lowercased()
            sections[current, default: [:]][key] = line[line.index(after: equals)...].trimmingWhitespace()
        }
        return sections
    }
}
