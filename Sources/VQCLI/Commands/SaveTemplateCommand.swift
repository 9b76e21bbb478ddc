import FoundationEssentials
import VisionQuery

/// `vq --save NAME [OPTIONS] [PROMPT]` (llm's habit): keeps the prompt and the options a template holds as template
/// NAME, in its own file (see TemplateSaver), instead of asking; `-T` used with it starts from that template.
struct SaveTemplateCommand {
    let name: String
    let options: QueryOptions
    let overwrite: Bool
    let environment: [String: String]
    let console: Console
    var fileExists: (String) -> Bool = { FileManager.default.fileExists(atPath: $0) }

    func run() throws(VQError) {
        for argument in options.positionals.dropFirst() {
            throw VQError(.usage, "a template keeps no images ('\(argument)'); give them when you use it: vq -T \(name) \(argument)")
        }
        if let first = options.positionals.first, first == "-" || InputLoader.isURL(first) || fileExists(first) {
            throw VQError(.usage, "a template keeps no images ('\(first)'); give them when you use it: vq -T \(name) \(first)")
        }
        let config = try ConfigLocator.load(flag: options.configPath, environment: environment)
        var filled = try TemplateApplication.apply(options, config: config, environment: environment, fileExists: fileExists)
        // A profile that does not exist is refused now, with the list of known ones, rather than when the template is used.
        let resolver = ProfileResolver(config: config, environment: environment)
        if let profile = filled.profile, !resolver.allProfiles().contains(where: { $0.name == profile }) {
            _ = try resolver.resolve(profileFlag: profile, modelFlag: nil)
        }
        // A schema file is kept by its absolute path, so the template works from any directory.
        if let schema = filled.schema, !schema.hasPrefix("/"), fileExists(schema) {
            filled.schema = FileManager.default.currentDirectoryPath + "/" + schema
        }
        let settings = TemplateSettings(options: filled, prompt: filled.positionals.first)
        guard !settings.isEmpty else {
            throw VQError(.usage, "nothing to save in template '\(name)': give a PROMPT or options such as -s, -m, -t")
        }
        let path = try TemplateSaver.save(settings, as: name, config: config, overwrite: overwrite, environment: environment)
        console.notice("saved template '\(name)' to \(path); use it with: vq -T \(name) IMAGE")
    }
}
