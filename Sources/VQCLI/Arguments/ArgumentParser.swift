import VisionQuery

/// Options and positionals read from argv by the option table, before they are given types.
public struct ParsedArguments: Equatable, Sendable {
    public var command: CommandName = .query
    /// Long option name → values in order (flags get one empty string per occurrence).
    public var values: [String: [String]] = [:]
    public var positionals: [String] = []

    public func has(_ option: OptionName) -> Bool { values[option.rawValue] != nil }
    public func last(_ option: OptionName) -> String? { values[option.rawValue]?.last }
    public func all(_ option: OptionName) -> [String] { values[option.rawValue] ?? [] }
}

/// Hand-written argv parser: `--k=v`, `--k v`, `-abc` clusters, `-mVALUE`, `--` ends options.
public enum ArgumentParser {
    public static func parse(_ arguments: [String]) throws(VQError) -> ParsedArguments {
        var parsed = ParsedArguments()
        var index = 0
        var onlyPositionals = false
        var commandChosen = false

        func record(_ spec: OptionSpec, _ value: String) throws(VQError) {
            if !spec.repeatable, parsed.values[spec.long] != nil, spec.takesValue {
                throw VQError(.usage, "option '--\(spec.long)' given more than once")
            }
            if let choices = spec.choices, !choices.contains(value) {
                throw VQError(.usage, "invalid value '\(value)' for '--\(spec.long)'; expected one of: \(choices.joined(separator: ", "))")
            }
            parsed.values[spec.long, default: []].append(value)
        }

        func takeValue(for spec: OptionSpec, name: String) throws(VQError) -> String {
            index += 1
            guard index < arguments.count else {
                throw VQError(.usage, "option '\(name)' needs a value (\(spec.valueName ?? "VALUE"))")
            }
            return arguments[index]
        }

        while index < arguments.count {
            let argument = arguments[index]
            if onlyPositionals || argument == "-" || !argument.hasPrefix("-") {
                if !commandChosen && parsed.positionals.isEmpty && !onlyPositionals,
                    let command = CommandName(rawValue: argument), command != .query
                {
                    parsed.command = command
                } else {
                    parsed.positionals.append(argument)
                }
                commandChosen = true
            } else if argument == "--" {
                onlyPositionals = true
                commandChosen = true
            } else if argument.hasPrefix("--") {
                let body = argument.dropFirst(2)
                let name = String(body.prefix { $0 != "=" })
                let inline: String? = body.contains("=") ? String(body.drop { $0 != "=" }.dropFirst()) : nil
                guard let spec = OptionTable.option(long: name) else {
                    if let habit = HabitHints.hint(forUnknown: "--\(name)") { throw VQError(.usage, "unknown option '--\(name)': \(habit)") }
                    let hint = Suggestion.closest(to: name, among: OptionTable.options.map(\.long)).map { "; did you mean '--\($0)'?" } ?? ""
                    throw VQError(.usage, "unknown option '--\(name)'\(hint)")
                }
                if spec.takesValue {
                    let value: String
                    if let inline { value = inline } else { value = try takeValue(for: spec, name: "--\(name)") }
                    try record(spec, value)
                } else {
                    if inline != nil { throw VQError(.usage, "option '--\(name)' takes no value") }
                    try record(spec, "")
                }
            } else {
                // `-model` is almost always a mistyped `--model`, not `-m odel`.
                if argument.count > 2, let spec = OptionTable.option(long: String(argument.dropFirst())) {
                    throw VQError(.usage, "unknown option '\(argument)'; did you mean '--\(spec.long)'?")
                }
                var cluster = Array(argument.dropFirst())
                while !cluster.isEmpty {
                    let letter = cluster.removeFirst()
                    guard let spec = OptionTable.option(short: letter) else {
                        if let habit = HabitHints.hint(forUnknown: "-\(letter)") { throw VQError(.usage, "unknown option '-\(letter)': \(habit)") }
                        throw VQError(.usage, "unknown option '-\(letter)'" + (argument.count > 2 ? " in '\(argument)'" : ""))
                    }
                    if spec.takesValue {
                        let value: String
                        if cluster.isEmpty { value = try takeValue(for: spec, name: "-\(letter)") } else { value = String(cluster) }
                        try record(spec, value)
                        cluster = []
                    } else {
                        try record(spec, "")
                    }
                }
            }
            index += 1
        }
        for long in parsed.values.keys {
            let spec = OptionTable.option(long: long)!
            if !spec.commands.contains(parsed.command) {
                let accepting = CommandName.allCases.filter(spec.commands.contains).map(\.displayName)
                throw VQError(
                    .usage,
                    "option '--\(long)' does not apply to \(parsed.command.displayName); it is an option of "
                        + accepting.joined(separator: ", "))
            }
        }
        return parsed
    }
}
