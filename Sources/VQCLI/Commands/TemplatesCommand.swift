import FoundationEssentials
import Glibc
import Platform
import TextFormatting
import VisionQuery

/// `vq templates`: each template (the config's `[templates.NAME]` sections, then the saved `templates.d/NAME.toml`) with its
/// profile, the first line of its prompt and the file that defines it.
struct TemplatesCommand {
    let configFlag: String?
    let json: Bool
    let environment: [String: String]
    let console: Console

    func run() throws(VQError) {
        let config = try ConfigLocator.load(flag: configFlag, environment: environment)
        let templates = try TemplateCatalog.load(config: config, environment: environment).entries
        if json {
            let list: [[String: Any]] = templates.map { entry in
                let settings = entry.settings
                return [
                    "name": entry.name, "profile": settings.profile ?? JSONNull(), "model": settings.model ?? JSONNull(),
                    "prompt": settings.prompt ?? JSONNull(), "schema": settings.schema ?? JSONNull(), "source": entry.source,
                ]
            }
            console.out(JSONText.render(list, pretty: true) + "\n")
            return
        }
        guard !templates.isEmpty else {
            let path = ConfigLocator.locate(flag: configFlag, environment: environment).path
            console.notice("no templates; save one with 'vq --save NAME PROMPT', or add a [templates.NAME] section to \(path)")
            return
        }
        let home = XDGPaths(environment: environment).home + "/"
        let rows = templates.map { entry in
            // A file under the home directory is shown as ~/… (the JSON keeps the whole path).
            let file = entry.source.hasPrefix(home) ? "~/" + entry.source.dropFirst(home.count) : entry.source
            return [entry.name, entry.settings.profile ?? "-", entry.settings.prompt.map(Self.firstLine) ?? "-", file]
        }
        var table = [["NAME", "PROFILE", "PROMPT", "FILE"]] + rows
        // On a terminal the prompts are cut so each template stays on one line with its file.
        if Console.isTerminal(STDOUT_FILENO) {
            table = TextTable.fitted(table, width: TerminalWidth.ofDescriptor(STDOUT_FILENO) - 1, dropping: [], squeezing: "PROMPT")
        }
        console.out(TextTable.render(table))
    }

    /// The first non-empty line, shortened to 60 characters.
    static func firstLine(_ prompt: String) -> String {
        let line = prompt.split(whereSeparator: \.isNewline).first.map(String.init)?.trimmingWhitespace() ?? ""
        return line.count > 60 ? String(line.prefix(57)) + "..." : line
    }
}
