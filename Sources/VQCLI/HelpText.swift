/// `vq --help`, generated from the option table.
enum HelpText {
    static func render(for command: CommandName) -> String {
        let options = OptionTable.options.filter { $0.commands.contains(command) }
        var text: String
        switch command {
        case .query:
            text = """
            vq \(CLI.version): ask a vision model about images, from the shell

            Usage: vq [OPTIONS] PROMPT [IMAGE ...]
                   vq COMMAND [OPTIONS]

            IMAGE is a file, an http(s) URL, or - for image bytes on standard input.
            The answer goes to stdout; everything else to stderr. When standard input is not
            a terminal and the first argument is an image file or URL, the prompt is read
            from standard input.

            Commands:

            """
            let width = OptionTable.commands.map(\.usage.count).max() ?? 0
            for entry in OptionTable.commands {
                text += "  \(entry.usage.padding(toLength: width, withPad: " ", startingAt: 0))  \(entry.help)\n"
            }
        case .batch:
            text = """
            Usage: vq batch [OPTIONS] PROMPT [IMAGE|DIR|- ...]

            Asks PROMPT about each image, several requests at once. Directories are searched recursively for
            image files; - reads a list of paths or URLs from standard input (one per line, or NUL-separated
            with -0). One JSON line per image goes to stdout (or --out FILE): image, output, model, usage,
            error (null on success), attempts, saved_images. A summary goes to stderr.
            Exit status: 0 when every image succeeded, 1 when some failed.

            """
        case .chat:
            text = """
            Usage: vq chat [OPTIONS] [IMAGE ...]

            An interactive conversation. Each line is a turn; the answer streams as it arrives. /image PATH adds
            an image to the next turn, /exit or Ctrl-D leaves, Ctrl-C stops an answer without leaving. On a pipe,
            each line read is a turn and each answer is printed. The chat is one logged conversation: 'vq -c'
            continues it.

            """
        case .logs:
            text = """
            Usage: vq logs [-n N] [--search TEXT] [--conversation ID] [--model NAME] [--json]
                   vq logs show ID
                   vq logs path

            Every query is logged (prompt, images sent, answer, usage) in $VQ_LOG_DB, else
            $XDG_DATA_HOME/vq/logs.db, else ~/.local/share/vq/logs.db. 'vq logs' shows the latest exchanges
            oldest first; 'show ID' prints one whole; 'path' prints the database path.

            """
        case .models:
            text = "Usage: vq models [-p PROFILE] [--json]\n\n\(OptionTable.help(for: "models")).\n"
        case .profiles:
            text = "Usage: vq profiles [--json] [--config PATH]\n\n\(OptionTable.help(for: "profiles")).\n"
        case .config:
            text = "Usage: vq config path|check [--config PATH]\n\npath   \(OptionTable.help(for: "config path"))\ncheck  \(OptionTable.help(for: "config check"))\n"
        case .completions:
            text = "Usage: vq completions bash|zsh|fish\n\n\(OptionTable.help(for: "completions")).\n"
        }
        text += "\nOptions:\n"
        let width = options.map(\.synopsis.count).max() ?? 0
        for option in options {
            var help = option.help
            if let choices = option.choices { help += " (\(choices.joined(separator: "|")))" }
            let pad = option.short == nil ? "    " : ""
            text += "  \(pad)\((option.synopsis).padding(toLength: width - pad.count, withPad: " ", startingAt: 0))  \(help)\n"
        }
        if command == .query {
            text += "\nExamples:\n"
            for (line, _) in DocText.examples { text += "  \(line)\n" }
            text += "\nConfig: \(DocText.configSummary)\nExit codes and more: man vq\n"
        }
        return text
    }
}

/// Prose shared by `--help` and the man page.
enum DocText {
    static let examples: [(String, String)] = [
        ("vq \"What is in this picture?\" photo.jpg", "Ask about one image with the default profile."),
        ("vq -p scaleway -s \"Answer in French\" \"Compare\" a.png b.jpg https://example.org/c.jpg", "Several images, a system prompt, a remote URL."),
        ("curl -s https://example.org/cat.jpg | vq \"Describe\" -", "An image on standard input."),
        ("echo \"What colour is the car?\" | vq car.jpg", "The prompt on standard input."),
        ("vq --json \"Describe\" photo.jpg | jq -r .text", "Machine-readable output."),
        ("vq -c \"And what colour is the car?\"", "A follow-up question: the last conversation's turns and images are sent again."),
        ("vq logs --search car -n 5", "The last five logged exchanges that mention a car."),
        ("vq --dry-run \"Describe\" photo.jpg", "Show the request without sending it."),
        ("vq -p aihubmix \"Colour this drawing in crayon style\" sketch.png -o out/", "Save the images the model returns in out/."),
        ("vq -p masterpiecex \"What can you tell me about these images\" dog.png robot.jpg", "Upload, submit and poll until the answer is ready."),
    ]

    static let configSummary = "$VQ_CONFIG, else $XDG_CONFIG_HOME/vq/config.toml, else ~/.config/vq/config.toml"
}
