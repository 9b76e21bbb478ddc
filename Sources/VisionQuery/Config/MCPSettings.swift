import FoundationEssentials
import Platform
import TOMLKit

/// The `[mcp]` section: what `vq mcp` lets an agent reach. `allow` lists directories whose files any call may read
/// (besides the roots the client declares), `profiles` the only profiles an agent may use (empty: all),
/// `output_dir` where images a model returns are saved (unset: they are returned inline and not kept).
public struct MCPSettings: Equatable, Sendable {
    public var allow: [String] = []
    public var profiles: [String] = []
    public var outputDirectory: String?

    public init(allow: [String] = [], profiles: [String] = [], outputDirectory: String? = nil) {
        self.allow = allow
        self.profiles = profiles
        self.outputDirectory = outputDirectory
    }

    /// Every key the section may contain.
    public static let knownKeys = ["allow", "profiles", "output_dir"]

    /// Reads the section; `fail(message, key)` builds the error with the file and line.
    static func parse(_ value: TOMLValueConvertible, fail: (String, String?) -> VQError) throws(VQError) -> MCPSettings {
        guard let table = value.table else { throw fail("mcp must be a table ([mcp])", nil) }
        var settings = MCPSettings()
        for (key, value) in table {
            switch key {
            case "allow":
                settings.allow = try strings(value, key: key, fail: fail).map { PathText.expandingTilde($0) }
            case "profiles":
                settings.profiles = try strings(value, key: key, fail: fail)
            case "output_dir":
                guard let directory = value.string, !directory.isEmpty else { throw fail("[mcp] output_dir must be a directory path", key) }
                settings.outputDirectory = PathText.expandingTilde(directory)
            default:
                let hint = Suggestion.closest(to: key, among: knownKeys).map { "; did you mean '\($0)'?" } ?? ""
                throw fail("unknown key '\(key)' in [mcp]\(hint)", key)
            }
        }
        return settings
    }

    /// A TOML array of strings.
    private static func strings(_ value: TOMLValueConvertible, key: String, fail: (String, String?) -> VQError) throws(VQError) -> [String] {
        guard let array = value.array else { throw fail("[mcp] \(key) must be an array of strings", key) }
        var result: [String] = []
        for element in array {
            guard let text = element.string, !text.isEmpty else { throw fail("[mcp] \(key) must be an array of non-empty strings", key) }
            result.append(text)
        }
        return result
    }
}
