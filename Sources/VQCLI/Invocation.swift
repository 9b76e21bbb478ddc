import Foundation
import VisionQuery

/// What the user asked for, fully typed: the parser's result after every value has been checked.
public enum Invocation: Equatable, Sendable {
    case help(CommandName)
    case version
    case query(QueryOptions)
    case batch(BatchOptions)
    case models(QueryOptions)
    case profiles(configPath: String?, json: Bool)
    case configPath(configPath: String?)
    case configCheck(configPath: String?)
    case completions(Shell)
    /// Hidden: print the man page generated from the option table (used by `make docs`).
    case manPage
    /// Hidden: prepare one image as a query would and write it to stdout (used by `make bench`).
    case prepareImage(path: String, maxSide: Int?, maxPixels: Int?, quality: Int?)

    /// Shells vq writes completion scripts for.
    public enum Shell: String, CaseIterable, Sendable { case bash, zsh, fish }

    public static func from(_ arguments: [String]) throws(VQError) -> Invocation {
        if arguments == ["_man"] { return .manPage }
        if arguments.first == "_prepare" { return try prepareImage(Array(arguments.dropFirst())) }
        let parsed = try ArgumentParser.parse(arguments)
        if parsed.has("help") { return .help(parsed.command) }
        if parsed.has("version") { return .version }
        switch parsed.command {
        case .query:
            return .query(try QueryOptions(parsed))
        case .batch:
            return .batch(try BatchOptions(parsed))
        case .models:
            guard parsed.positionals.isEmpty else { throw VQError(.usage, "'vq models' takes no arguments (got '\(parsed.positionals[0])')") }
            return .models(try QueryOptions(parsed))
        case .profiles:
            guard parsed.positionals.isEmpty else { throw VQError(.usage, "'vq profiles' takes no arguments (got '\(parsed.positionals[0])')") }
            return .profiles(configPath: parsed.last("config"), json: parsed.has("json"))
        case .config:
            let actions = ConfigAction.allCases.map(\.rawValue)
            guard let word = parsed.positionals.first else {
                throw VQError(.usage, "'vq config' needs an action: \(actions.joined(separator: " or "))")
            }
            guard parsed.positionals.count == 1, let action = ConfigAction(rawValue: word) else {
                let hint = Suggestion.closest(to: word, among: actions).map { "; did you mean '\($0)'?" } ?? ""
                throw VQError(.usage, "unknown config action '\(parsed.positionals.joined(separator: " "))'\(hint) (expected: \(actions.joined(separator: ", ")))")
            }
            switch action {
            case .path: return .configPath(configPath: parsed.last("config"))
            case .check: return .configCheck(configPath: parsed.last("config"))
            }
        case .completions:
            guard parsed.positionals.count == 1, let shell = Shell(rawValue: parsed.positionals[0]) else {
                throw VQError(.usage, "'vq completions' needs one shell: bash, zsh or fish")
            }
            return .completions(shell)
        case .help:
            guard let word = parsed.positionals.first else { return .help(.query) }
            guard parsed.positionals.count == 1, let command = CommandName(rawValue: word), command != .query else {
                let hint = Suggestion.closest(to: word, among: CommandName.words).map { "; did you mean '\($0)'?" } ?? ""
                throw VQError(.usage, "'vq help' takes one command name, got '\(parsed.positionals.joined(separator: " "))'\(hint) (commands: \(CommandName.words.joined(separator: ", ")))")
            }
            return .help(command)
        case .version:
            guard parsed.positionals.isEmpty else { throw VQError(.usage, "'vq version' takes no arguments (got '\(parsed.positionals[0])')") }
            return .version
        }
    }
}

extension Invocation {
    /// `_prepare FILE [--max-side N] [--max-pixels N] [--quality N]`, parsed with the query option table.
    static func prepareImage(_ arguments: [String]) throws(VQError) -> Invocation {
        let options = try QueryOptions(try ArgumentParser.parse(arguments))
        guard options.positionals.count == 1 else { throw VQError(.usage, "usage: vq _prepare FILE [--max-side N] [--max-pixels N] [--quality N]") }
        return .prepareImage(path: options.positionals[0], maxSide: options.maxSide, maxPixels: options.maxPixels, quality: options.quality)
    }
}
