import VisionQuery

/// `vq --help` and `vq COMMAND --help`, generated from the option table and wrapped to the terminal's width.
enum HelpText {
    static func render(for command: CommandName, width: Int = TerminalWidth.fallback) -> String {
        let options = OptionTable.options.filter { $0.commands.contains(command) }
        var text = ""
        func prose(_ paragraph: String) { text += TextWrapper.paragraph(paragraph, width: width) }
        switch command {
        case .query:
            text += "vq \(CLI.version): ask a vision model about images, from the shell\n\n"
            text += "Usage: vq [OPTIONS] PROMPT [IMAGE ...]\n       vq COMMAND [OPTIONS]\n\n"
            prose(
                "IMAGE is a file, an http(s) URL, or - for image bytes on standard input. The answer goes to stdout; "
                    + "everything else to stderr. When standard input is not a terminal and the first argument is an image "
                    + "file or URL, the prompt is read from standard input.")
            text += "\nCommands:\n"
            text += TextWrapper.columns(OptionTable.commands.map { (term: $0.usage, text: $0.help) }, width: width, maxTermWidth: 32)
        case .batch:
            text += "Usage: vq batch [OPTIONS] PROMPT [IMAGE|DIR|- ...]\n       vq batch detect [OPTIONS] TARGET [IMAGE|DIR|- ...]\n\n"
            prose(
                "Asks PROMPT about each image, several requests at once. Directories are searched recursively for "
                    + "image files; - reads a list of paths or URLs from standard input (one per line, or NUL-separated "
                    + "with -0). One JSON line per image goes to stdout (or --out FILE) with the keys \(DocText.batchLineFields.map(\.name).joined(separator: ", ")). "
                    + "A summary goes to stderr.")
            prose(
                "'vq batch detect' finds TARGET in each image as vq detect does: --format json (default) writes the lines, "
                    + "each output the detection object; --format yolo --out DIR writes DIR/<path>.txt per image (mirroring its "
                    + "path inside the directory given), DIR/classes.txt (ids never change) and the journal DIR/detections.jsonl; "
                    + "--format coco|csv --out FILE writes FILE from the journal FILE.jsonl at the end of each run; --annotate DIR "
                    + "draws each image's objects onto it in DIR, mirroring its path. --resume and --shard work as above.")
            prose("Exit status: 0 when every image succeeded, 1 when some failed.")
        case .compare:
            text += "Usage: vq compare -p A -p B [-p C ...] PROMPT [INPUT ...]\n       vq compare -m A -m B [-m C ...] PROMPT [INPUT ...]\n\n"
            prose(
                "Asks every profile (or model) the same question about the same inputs at once. The answers are shown side by side on a "
                    + "terminal wide enough, one after another otherwise (and in a pipe), each with its latency, tokens and cost; "
                    + "--json prints one object keyed by profile, each the result object of vq --json with latency_s. "
                    + "Exit status: 0 when every profile answered, 1 when some failed, the error's code when all did.")
        case .eval:
            text += "Usage: vq eval CASES.jsonl -p PROFILE [-p PROFILE ...]\n\n"
            prose(
                "Scores profiles on your own cases. Each line of CASES.jsonl is one case: {\"id\", \"images\": [paths or URLs, "
                    + "relative to the file], \"prompt\" (or \"template\"), \"expect\": one of {\"exact\": TEXT, \"ignore_case\": true}, "
                    + "{\"contains\": TEXT or [TEXTS]}, {\"regex\": PATTERN}, {\"numeric\": N, \"tolerance\": T}, {\"schema\": SCHEMA}, "
                    + "{\"fields\": {NAME: VALUE}}, {\"judge\": CRITERIA} (needs --judge PROFILE)}. Prints a score table per profile "
                    + "(pass rate, mean latency, tokens, cost); --out FILE keeps one result per case and profile (JSON Lines, or "
                    + "--format csv), and --resume after a kill asks only what is missing. --jobs and --rate work as in vq batch.")
            prose("Exit status: 0, or 1 when a profile scores under --min-score or a case could not be asked.")
        case .chat:
            text += "Usage: vq chat [OPTIONS] [IMAGE ...]\n\n"
            prose(
                "An interactive conversation. Each line is a turn; the answer streams as it arrives. /image PATH adds "
                    + "an image or PDF to the next turn, /paste the clipboard's image, /exit or Ctrl-D leaves, Ctrl-C stops an answer without leaving. On a pipe, "
                    + "each line read is a turn and each answer is printed. The chat is one logged conversation: 'vq -c' continues it.")
        case .detect:
            text += "Usage: vq detect [OPTIONS] TARGET IMAGE\n\n"
            prose(
                "Asks the model to find TARGET in IMAGE and prints one JSON object: the image's displayed width and height, the "
                    + "coordinate convention used, and objects, each with its label, box [xmin, ymin, xmax, ymax] (or point [x, y] "
                    + "with --points) in the original image's pixels as a viewer shows it (EXIF orientation applied), and score when "
                    + "the model gives one. Gemini and Qwen-VL are asked in their own conventions, other models through vq's schema; "
                    + "a profile's detect_coordinates key (gemini, qwen2.5, qwen3, vq) overrides. An answer that is not a valid "
                    + "detection exits 79 with the reason.")
            prose(
                "--format coco prints a COCO document (bbox [x, y, width, height]); --format yolo prints YOLO label lines "
                    + "(class cx cy w h on 0-1), the class ids kept in --classes FILE; --format csv prints rows image,label,score,"
                    + "xmin,ymin,xmax,ymax. --annotate OUT.jpg|OUT.png draws the objects and their labels onto the original image "
                    + "(vq's own 5x7 lettering: ASCII, anything else shown as ?). --masks saves each object's segmentation mask "
                    + "(Gemini 2.5) as a PNG in --output-dir, its path in mask. A PDF page (one page, or --pages N) is rendered by vq; "
                    + "its coordinates are the rendered page's pixels, with page and dpi in the JSON. 'vq batch detect TARGET DIR --format yolo --out "
                    + "labels/' labels a whole folder (see 'vq batch --help').")
        case .gen:
            text += "Usage: vq gen [OPTIONS] PROMPT [IMAGE ...] [--mask FILE]\n       vq gen [OPTIONS] --prompts FILE [-j N] [--out FILE]\n\n"
            prose(
                "Makes images from PROMPT; with IMAGEs it edits them (the first is the one --mask applies to). Profiles with "
                    + "images = true (the built-in openai) speak OpenAI's Images API; openai-responses uses the image_generation tool, "
                    + "gemini responseModalities and imageConfig, other chat services modalities and image_config. Options an api "
                    + "has no field for are named in a warning. Each saved image carries how it was made (prompt, revised prompt, "
                    + "model, options, sources) in a PNG iTXt chunk or JPEG/WebP XMP unless --no-metadata; content credentials "
                    + "(C2PA) are never touched. --prompts FILE makes images for every prompt in FILE (one per line, or JSON Lines "
                    + "with prompt, images, id) like vq batch: one line per prompt, images named ID-N.EXT, resumable.")
        case .logs:
            text +=
                "Usage: vq logs [-n N] [--search TEXT] [--conversation ID]\n               [--model NAME] [--json]\n       vq logs --cost [--since AGE] [--by KEY] [--json]\n       vq logs show ID\n       vq logs path\n\n"
            prose(
                "Every query is logged (prompt, images sent, answer, usage) in $VQ_LOG_DB, else $XDG_DATA_HOME/vq/logs.db, "
                    + "else ~/.local/share/vq/logs.db. 'vq logs' shows the latest exchanges oldest first; 'show ID' prints one whole; "
                    + "'path' prints the database path. --cost totals what they cost in US dollars (as counted when each was "
                    + "logged, see 'vq prices'); exchanges of unknown cost are counted apart, never as free.")
        case .models:
            text += "Usage: vq models [-p PROFILE] [--json]\n\n"
            prose(help(of: "models") + ".")
        case .profiles:
            text += "Usage: vq profiles [--json] [--config PATH]\n\n"
            prose(help(of: "profiles") + ".")
        case .templates:
            text += "Usage: vq templates [--json] [--config PATH]\n\n"
            prose(help(of: "templates") + ".")
        case .prices:
            text += "Usage: vq prices [MODEL] [--json] [--config PATH]\n\n"
            prose(
                help(of: "prices") + ". MODEL keeps the models whose name contains it. A [prices.\"MODEL\"] section of the config "
                    + "(keys \(PriceSettings.knownKeys.joined(separator: ", "))) replaces the bundled figures; \"SERVICE/MODEL\" limits it to one service.")
        case .keys:
            text += "Usage: vq keys set|list|remove [PROFILE] [--config PATH]\n\n"
            prose(help(of: "keys") + ". Keys live in \(DocText.keysFile), mode 0600. \(DocText.keyOrder)")
        case .config:
            text += "Usage: vq config \(ConfigAction.allCases.map(\.rawValue).joined(separator: "|")) [--config PATH]\n\n"
            text += TextWrapper.columns(
                OptionTable.commands.filter { $0.usage.hasPrefix("config ") }
                    .map { (term: String($0.usage.dropFirst("config ".count)), text: $0.help) }, width: width, indent: 0)
        case .mcp:
            text += "Usage: vq mcp [--config PATH] [--http PORT]\n\n"
            prose(
                help(of: "mcp") + ". Files are read only inside the roots the client declares or the [mcp] allow directories; "
                    + "[mcp] profiles limits the profiles, [mcp] output_dir is where returned images are saved. Set-up: "
                    + "claude mcp add vq -- vq mcp. With --http PORT the server listens on http://127.0.0.1:PORT/mcp only "
                    + "(streamable HTTP; requests whose Origin is not this machine are refused).")
        case .completions:
            text += "Usage: vq completions \(Invocation.Shell.allCases.map(\.rawValue).joined(separator: "|"))\n\n"
            prose(help(of: "completions") + ".")
        case .help:
            text += "Usage: vq help [COMMAND]\n\n"
            prose(help(of: "help") + ". Commands: \(CommandName.words.joined(separator: ", ")).")
        case .version:
            text += "Usage: vq version\n\n"
            prose(help(of: "version") + ".")
        }
        text += "\nOptions:\n"
        text += TextWrapper.columns(
            options.map { option in
                var help = option.help
                // A long list of choices may break between them.
                if let choices = option.choices { help += " (\(choices.joined(separator: choices.count > 5 ? " | " : "|")))" }
                // Long-only options line up with the long names of those that have a short one.
                return (term: (option.short == nil ? "    " : "") + option.synopsis, text: help)
            }, width: width)
        if command == .query {
            text += "\nExamples:\n"
            for (line, _) in DocText.examples { text += "  \(line)\n" }
            text += "\n"
            prose("Config: \(DocText.configSummary)")
            prose("Exit codes and more: man vq")
        }
        return text
    }

    /// The one-line description of the command whose usage starts with `word`.
    private static func help(of word: String) -> String {
        OptionTable.commands.first { $0.usage == word || $0.usage.hasPrefix(word + " ") }?.help ?? ""
    }
}
