import FoundationEssentials
import Platform
import TextFormatting
import VisionQuery

/// `vq templates`: each `[templates.NAME]` of the config with its profile and the first line of its prompt.
struct TemplatesCommand {
    let configFlag: String?
    let json: Bool
    let environment: [String: String]
    let console: Console

    func run() throws(VQError) {
        let templates = try ConfigLocator.load(flag: configFlag, environment: environment)?.templates ?? []
        if json {
            let list: [[String: Any]] = templates.map { name, settings in
                [
                    "name": name, "profile": settings.profile ?? JSONNull(), "model": settings.model ?? JSONNull(),
                    "prompt": settings.prompt ?? JSONNull(), "schema": settings.schema ?? JSONNull(),
                ]
            }
            console.out(JSONText.render(list, pretty: true) + "\n")
            return
        }
        guard !templates.isEmpty else {
            console.notice(
                "no templates; add a [templates.NAME] section with a prompt to \(ConfigLocator.locate(flag: configFlag, environment: environment).path)")
            return
        }
        let rows = templates.map { name, settings in
            [name, settings.profile ?? "-", settings.prompt.map(Self.firstLine) ?? "-"]
        }
        console.out(TextTable.render([["NAME", "PROFILE", "PROMPT"]] + rows))
    }

    /// The first non-empty line, shortened to 60 characters.
    static func firstLine(_ prompt: String) -> String {
        let line = prompt.split(whereSeparator: \.isNewline).first.map(String.init)?.trimmingWhitespace() ?? ""
        return line.count > 60 ? String(line.prefix(57)) + "..." : line
    }
}
