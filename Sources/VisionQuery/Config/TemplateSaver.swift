import FoundationEssentials
import Platform

/// `--save NAME`: writes a template to its own file, `templates.d/NAME.toml`, atomically (a temporary file moved into
/// place; mode 0666 less the umask, as the config file a person writes), and never over an existing one unless asked.
/// Not into config.toml: rewriting it through the TOML library would lose the person's comments and layout.
public enum TemplateSaver {
    /// Writes `settings` as template `name` and returns the file's path. A name already used by a `[templates.NAME]`
    /// section of `config`, or by a saved template without `overwrite`, is `.cannotCreate` (73) and writes nothing.
    public static func save(
        _ settings: TemplateSettings, as name: String, config: ConfigFile?, overwrite: Bool, environment: [String: String]
    ) throws(VQError) -> String {
        guard TemplateCatalog.isValidName(name) else {
            throw VQError(.usage, "invalid template name '\(name)' for '--save': use letters, digits, '-' and '_'")
        }
        if let config, config.templates.contains(where: { $0.name == name }) {
            throw VQError(
                .cannotCreate,
                "\(config.path): template '\(name)' is a [templates.\(name)] section there; edit it, or --save under another name")
        }
        let directory = TemplateCatalog.directory(environment: environment)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw VQError(.cannotCreate, "\(directory): cannot create the templates folder: \(ErrorDescription.reason(error))")
        }
        let path = TemplateCatalog.path(of: name, environment: environment)
        let text =
            (["# vq template '\(name)', written by 'vq --save \(name)'; use it with: vq -T \(name) IMAGE"] + settings.tomlLines)
            .joined(separator: "\n") + "\n"
        if overwrite {
            try AtomicFile.replace(path, with: Data(text.utf8), noun: " the template")
        } else if try !AtomicFile.create(path, with: Data(text.utf8), noun: " the template") {
            throw VQError(.cannotCreate, "\(path): template '\(name)' exists; --overwrite replaces it")
        }
        return path
    }
}
