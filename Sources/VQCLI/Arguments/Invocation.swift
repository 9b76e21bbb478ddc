import FoundationEssentials
import TextFormatting
import VisionQuery

/// What the user asked for, fully typed: the parser's result after every value has been checked.
public enum Invocation: Equatable, Sendable {
    case help(CommandName)
    case version
    case query(QueryOptions)
    /// `vq --save NAME [OPTIONS] [PROMPT]`: the options and prompt kept as a template instead of asked.
    case saveTemplate(name: String, options: QueryOptions, overwrite: Bool)
    case batch(BatchOptions)
    case chat(QueryOptions)
    /// `vq detect TARGET IMAGE`.
    case detect(QueryOptions, DetectOptions)
    /// `vq gen`: the query options with `generation` set; `batch` for a prompt list (`--prompts FILE`).
    case gen(QueryOptions, batch: GenBatchOptions?)
    case compare(QueryOptions, targets: [CompareTarget])
    case eval(EvalOptions)
    case logs(LogsOptions)
    case models(QueryOptions)
    case profiles(configPath: String?, json: Bool)
    case templates(configPath: String?, json: Bool)
    case prices(model: String?, configPath: String?, json: Bool)
    case keys(KeysAction, configPath: String?)
    case mcp(configPath: String?, httpPort: Int?)

    /// What `vq keys` should do.
    public enum KeysAction: Equatable, Sendable {
        case set(profile: String)
        case list
        case remove(profile: String)
    }
    case configPath(configPath: String?)
    case configCheck(configPath: String?)
    case completions(Shell)
    /// Hidden: print the man page generated from the option table (used by `make docs`).
    case manPage
    /// Hidden: prepare one image as a query would and write it to stdout (used by `make bench`).
    case prepareImage(path: String, maxSide: Int?, maxPixels: Int?, quality: Int?, frames: Int?)
    /// Hidden: check an answer file against a schema N times (used by `make bench`).
    case checkAnswer(schema: String, path: String, repeats: Int)

    /// Shells vq writes completion scripts for.
    public enum Shell: String, CaseIterable, Sendable { case bash, zsh, fish }

    public static func from(_ arguments: [String]) throws(VQError) -> Invocation { try parse(arguments).invocation }

    /// The invocation and `--color`, which every command takes.
    public static func parse(_ arguments: [String]) throws(VQError) -> (invocation: Invocation, colorMode: ColorMode) {
        guard let first = arguments.first, ["_man", "_prepare", "_check"].contains(first) else {
            let parsed = try ArgumentParser.parse(arguments)
            return (try typed(parsed), parsed.last(.color).flatMap(ColorMode.init(rawValue:)) ?? .auto)
        }
        return (try hidden(arguments), .auto)
    }

    /// `--save NAME`: only the options a template holds may come with it (anything else would be silently dropped).
    private static func saveTemplate(_ name: String, _ parsed: ParsedArguments) throws(VQError) -> Invocation {
        guard TemplateCatalog.isValidName(name) else {
            throw VQError(.usage, "invalid template name '\(name)' for '--save': use letters, digits, '-' and '_'")
        }
        let kept = TemplateSettings.knownKeys.compactMap { OptionName(rawValue: $0.replacingScalars("_", with: "-")) }
        let allowed = Set(kept + [.save, .overwrite, .template, .config, .color, .quiet, .verbose])
        if let other = OptionName.allCases.first(where: { parsed.has($0) && !allowed.contains($0) }) {
            throw VQError(
                .usage,
                "'--\(other.rawValue)' is not kept in a template; --save keeps PROMPT and \(kept.map { "--\($0.rawValue)" }.joined(separator: ", "))")
        }
        return .saveTemplate(name: name, options: try QueryOptions(parsed), overwrite: parsed.has(.overwrite))
    }

    /// The hidden commands `make docs` and `make bench` use.
    private static func hidden(_ arguments: [String]) throws(VQError) -> Invocation {
        if arguments == ["_man"] { return .manPage }
        if arguments.first == "_prepare" { return try prepareImage(Array(arguments.dropFirst())) }
        if arguments.first == "_check" {
            guard arguments.count == 4, let repeats = Int(arguments[3]), repeats > 0 else { throw VQError(.usage, "usage: vq _check SCHEMA FILE N") }
            return .checkAnswer(schema: arguments[1], path: arguments[2], repeats: repeats)
        }
        return try typed(try ArgumentParser.parse(arguments))
    }

    private static func typed(_ parsed: ParsedArguments) throws(VQError) -> Invocation {
        if parsed.has(.help) { return .help(parsed.command) }
        if parsed.has(.version) { return .version }
        switch parsed.command {
        case .query:
            if let name = parsed.last(.save) { return try saveTemplate(name, parsed) }
            if parsed.has(.overwrite) { throw VQError(.usage, "'--overwrite' applies to '--save' (and to 'vq batch --sidecar' files)") }
            return .query(try QueryOptions(parsed))
        case .batch:
            return .batch(try BatchOptions(parsed))
        case .chat:
            return .chat(try QueryOptions(parsed))
        case .detect:
            guard parsed.positionals.count == 2 else {
                throw VQError(.usage, "'vq detect' needs TARGET and one IMAGE, e.g. vq detect \"every person\" photo.jpg")
            }
            return .detect(try QueryOptions(parsed), try DetectOptions(parsed))
        case .gen:
            return .gen(try GenOptions.parse(parsed), batch: try GenOptions.batch(parsed))
        case .compare:
            let options = try QueryOptions(parsed)
            let targets = try CompareTarget.targets(profiles: parsed.all(.profile), models: parsed.all(.model), command: "vq compare")
            guard targets.count >= 2 else {
                throw VQError(.usage, "'vq compare' needs two or more profiles (-p A -p B) or models (-m A -m B) to compare")
            }
            return .compare(options, targets: targets)
        case .eval:
            return .eval(try EvalOptions(parsed))
        case .logs:
            return .logs(try LogsOptions(parsed))
        case .models:
            guard parsed.positionals.isEmpty else { throw VQError(.usage, "'vq models' takes no arguments (got '\(parsed.positionals[0])')") }
            return .models(try QueryOptions(parsed))
        case .profiles:
            guard parsed.positionals.isEmpty else { throw VQError(.usage, "'vq profiles' takes no arguments (got '\(parsed.positionals[0])')") }
            return .profiles(configPath: parsed.last(.config), json: parsed.has(.json))
        case .prices:
            guard parsed.positionals.count <= 1 else {
                throw VQError(.usage, "'vq prices' takes at most one MODEL (got '\(parsed.positionals.joined(separator: " "))')")
            }
            return .prices(model: parsed.positionals.first, configPath: parsed.last(.config), json: parsed.has(.json))
        case .keys:
            let configPath = parsed.last(.config)
            switch parsed.positionals {
            case ["list"]: return .keys(.list, configPath: configPath)
            case let words where words.count == 2 && words[0] == "set": return .keys(.set(profile: words[1]), configPath: configPath)
            case let words where words.count == 2 && words[0] == "remove": return .keys(.remove(profile: words[1]), configPath: configPath)
            case ["set"], ["remove"]: throw VQError(.usage, "'vq keys \(parsed.positionals[0])' needs a PROFILE (see 'vq profiles')")
            case []: throw VQError(.usage, "'vq keys' needs an action: set PROFILE, list or remove PROFILE")
            default:
                let hint = Suggestion.closest(to: parsed.positionals[0], among: KeysAction.words).map { "; did you mean '\($0)'?" } ?? ""
                throw VQError(.usage, "unknown keys action '\(parsed.positionals.joined(separator: " "))'\(hint) (expected: set PROFILE, list, remove PROFILE)")
            }
        case .templates:
            guard parsed.positionals.isEmpty else { throw VQError(.usage, "'vq templates' takes no arguments (got '\(parsed.positionals[0])')") }
            return .templates(configPath: parsed.last(.config), json: parsed.has(.json))
        case .config:
            let actions = ConfigAction.allCases.map(\.rawValue)
            guard let word = parsed.positionals.first else {
                throw VQError(.usage, "'vq config' needs an action: \(actions.joined(separator: " or "))")
            }
            guard parsed.positionals.count == 1, let action = ConfigAction(rawValue: word) else {
                let hint = Suggestion.closest(to: word, among: actions).map { "; did you mean '\($0)'?" } ?? ""
                throw VQError(
                    .usage, "unknown config action '\(parsed.positionals.joined(separator: " "))'\(hint) (expected: \(actions.joined(separator: ", ")))")
            }
            switch action {
            case .path: return .configPath(configPath: parsed.last(.config))
            case .check: return .configCheck(configPath: parsed.last(.config))
            }
        case .mcp:
            guard parsed.positionals.isEmpty else { throw VQError(.usage, "'vq mcp' takes no arguments (got '\(parsed.positionals[0])')") }
            return .mcp(configPath: parsed.last(.config), httpPort: try QueryOptions.whole(parsed.last(.http), option: "http", range: 0...65535))
        case .completions:
            guard parsed.positionals.count == 1, let shell = Shell(rawValue: parsed.positionals[0]) else {
                throw VQError(.usage, "'vq completions' needs one shell: bash, zsh or fish")
            }
            return .completions(shell)
        case .help:
            guard let word = parsed.positionals.first else { return .help(.query) }
            guard parsed.positionals.count == 1, let command = CommandName(rawValue: word), command != .query else {
                let hint = Suggestion.closest(to: word, among: CommandName.words).map { "; did you mean '\($0)'?" } ?? ""
                throw VQError(
                    .usage,
                    "'vq help' takes one command name, got '\(parsed.positionals.joined(separator: " "))'\(hint) (commands: \(CommandName.words.joined(separator: ", ")))"
                )
            }
            return .help(command)
        case .version:
            guard parsed.positionals.isEmpty else { throw VQError(.usage, "'vq version' takes no arguments (got '\(parsed.positionals[0])')") }
            return .version
        }
    }
}

extension Invocation {
    /// `_prepare FILE [--max-side N] [--max-pixels N] [--quality N] [--frames N]`, parsed with the query option table.
    static func prepareImage(_ arguments: [String]) throws(VQError) -> Invocation {
        let options = try QueryOptions(try ArgumentParser.parse(arguments))
        guard options.positionals.count == 1 else {
            throw VQError(.usage, "usage: vq _prepare FILE [--max-side N] [--max-pixels N] [--quality N] [--frames N]")
        }
        return .prepareImage(
            path: options.positionals[0], maxSide: options.maxSide, maxPixels: options.maxPixels, quality: options.quality,
            frames: options.video.frames)
    }
}
