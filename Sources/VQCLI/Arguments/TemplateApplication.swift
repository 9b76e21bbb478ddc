import FoundationEssentials
import VisionQuery

/// `-T/--template NAME`: the `[templates.NAME]` section fills the options the command line left unset, and its
/// prompt goes first, followed by the command line's PROMPT when one is given (a first argument that is an image
/// file, a directory, a URL or `-` is an image, not a prompt).
enum TemplateApplication {
    /// `options` with the template applied; unchanged without `--template`. An unknown template is `.config` (78).
    /// `config` is the file the command line read (once: the session takes the same).
    static func apply(
        _ options: QueryOptions, config: ConfigFile?, environment: [String: String],
        fileExists: (String) -> Bool = { FileManager.default.fileExists(atPath: $0) }
    ) throws(VQError) -> QueryOptions {
        guard let name = options.template else { return options }
        let template = try lookup(name, in: config, configFlag: options.configPath, environment: environment)
        var filled = template.filling(options)
        filled.positionals = positionals(options.positionals, templatePrompt: template.prompt, fileExists: fileExists)
        return filled
    }

    /// For `vq chat`: the options with the template filled in, and its prompt, which opens the first turn (the chat's
    /// arguments are images, so the prompt does not go among them).
    static func applyToChat(
        _ options: QueryOptions, config: ConfigFile?, environment: [String: String]
    ) throws(VQError) -> (options: QueryOptions, openingPrompt: String?) {
        guard let name = options.template else { return (options, nil) }
        let template = try lookup(name, in: config, configFlag: options.configPath, environment: environment)
        var filled = template.filling(options)
        filled.positionals = options.positionals
        return (filled, template.prompt)
    }

    /// The template called `name`: a `[templates.NAME]` section of the config file or a saved `templates.d/NAME.toml`
    /// (`configFlag` and `environment` name the config file in the message when there is none).
    static func lookup(_ name: String, in config: ConfigFile?, configFlag: String?, environment: [String: String]) throws(VQError) -> TemplateSettings {
        let catalog = try TemplateCatalog.load(config: config, environment: environment)
        if let entry = catalog.entry(named: name) { return entry.settings }
        let names = catalog.entries.map(\.name)
        let hint = Suggestion.closest(to: name, among: names).map { "; did you mean '\($0)'?" } ?? ""
        let known = names.isEmpty ? "there are none" : "known: \(names.joined(separator: ", "))"
        let configPath = config?.path ?? ConfigLocator.locate(flag: configFlag, environment: environment).path
        throw VQError(
            .config,
            "unknown template '\(name)'\(hint) (\(known)); define [templates.\(name)] in \(configPath) or save one with: vq --save \(name) PROMPT")
    }

    /// The positional arguments with the template's prompt in front.
    static func positionals(_ given: [String], templatePrompt: String?, fileExists: (String) -> Bool) -> [String] {
        guard let prefix = templatePrompt, !prefix.isEmpty else { return given }
        guard let first = given.first, !(first == "-" || InputLoader.isURL(first) || fileExists(first)) else { return [prefix] + given }
        return [prefix + "\n\n" + first] + given.dropFirst()
    }
}

extension BatchOptions {
    /// The batch options with `--template` applied, then checked for a prompt and images.
    func applyingTemplate(config: ConfigFile?, environment: [String: String]) throws(VQError) -> BatchOptions {
        guard query.template != nil else { return self }
        var options = self
        options.query = try TemplateApplication.apply(query, config: config, environment: environment)
        try options.checkPositionals()
        return options
    }
}
