import FoundationEssentials
import Platform
import TOMLKit

/// Every template vq knows: the `[templates.NAME]` sections of the config file, then one file per template in the
/// templates folder (`templates.d/NAME.toml` in vq's config directory, where `--save` writes; the file's keys are
/// those of a section). A name defined in both places is an error naming both files.
public struct TemplateCatalog: Sendable {
    /// One template and the file that defines it.
    public struct Entry: Sendable {
        public let name: String
        public let settings: TemplateSettings
        public let source: String
    }

    /// The templates in order: the config file's, then the folder's by name.
    public let entries: [Entry]
    /// The templates folder (it may not exist).
    public let directory: String
    /// The config file read, if there is one.
    public let configPath: String?

    /// `$XDG_CONFIG_HOME/vq/templates.d`, else `~/.config/vq/templates.d`.
    public static func directory(environment: [String: String]) -> String { XDGPaths(environment: environment).config("templates.d") }

    /// The file `--save NAME` writes.
    public static func path(of name: String, environment: [String: String]) -> String { directory(environment: environment) + "/\(name).toml" }

    /// Whether `name` can name a template file: letters, digits, `-` and `_` (a TOML bare key, so the same name can be
    /// a `[templates.NAME]` section).
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_") }
    }

    /// The config file's templates and the folder's. Errors are `.config` and name the file (and line).
    public static func load(config: ConfigFile?, environment: [String: String]) throws(VQError) -> TemplateCatalog {
        let directory = directory(environment: environment)
        var entries = config.map { config in config.templates.map { Entry(name: $0.name, settings: $0.settings, source: config.path) } } ?? []
        for file in try templateFiles(in: directory) {
            let name = String(file.dropLast(".toml".count))
            let path = directory + "/" + file
            guard isValidName(name) else {
                throw VQError(.config, "\(path): a template file's name may hold only letters, digits, '-' and '_' (then .toml)")
            }
            if let earlier = entries.first(where: { $0.name == name }) {
                throw VQError(.config, "template '\(name)' is defined twice: [templates.\(name)] in \(earlier.source) and \(path); remove one")
            }
            entries.append(Entry(name: name, settings: try TemplateSettings.load(path: path), source: path))
        }
        return TemplateCatalog(entries: entries, directory: directory, configPath: config?.path)
    }

    /// The template called `name`, if there is one.
    public func entry(named name: String) -> Entry? { entries.first { $0.name == name } }

    /// The `*.toml` files of the folder, sorted; none when it does not exist.
    private static func templateFiles(in directory: String) throws(VQError) -> [String] {
        var isDirectory = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else { return [] }
        guard isDirectory else { throw VQError(.config, "\(directory): is not a directory (it holds saved templates)") }
        do {
            return try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".toml") && !$0.hasPrefix(".") }.sorted()
        } catch {
            throw VQError(.config, "\(directory): cannot list the saved templates: \(ErrorDescription.reason(error))")
        }
    }
}

extension TemplateSettings {
    /// Reads one template file (`templates.d/NAME.toml`: the keys of a `[templates.NAME]` section at the top level).
    static func load(path: String) throws(VQError) -> TemplateSettings {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw VQError(.config, "\(path): cannot read the template: \(ErrorDescription.reason(error))")
        }
        if let (line, message) = TOMLPreflight.firstProblem(in: text) { throw VQError(.config, "\(path):\(line): \(message)") }
        let table: TOMLTable
        do { table = try TOMLTable(string: text) } catch let error as TOMLParseError {
            throw VQError(.config, "\(path):\(error.source.begin.line): \(error.description)")
        } catch {
            throw VQError(.config, "\(path): \(error)")
        }
        let locator = ConfigLineLocator(text: text)
        return try parse(table) { message, key in
            VQError(.config, "\(path):\(key.map { locator.line(ofKey: $0, inSection: nil) } ?? 1): \(message)")
        }
    }
}
