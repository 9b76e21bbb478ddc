import FoundationEssentials
import VisionQuery

/// What Tab completes at the chat prompt: a chat command at the start of the line, a path after `/image`.
struct ChatCompleter {
    let environment: [String: String]
    /// Where relative paths start (the current directory).
    var directory = FileManager.default.currentDirectoryPath

    /// The text to insert at the cursor and, when the choice is not yet unique, the candidates to list.
    func complete(_ beforeCursor: String) -> (insertion: String, candidates: [String]) {
        if beforeCursor.hasPrefix("/image ") {
            let typed = String(beforeCursor.dropFirst("/image ".count).drop { $0 == " " })
            return completePath(typed)
        }
        guard beforeCursor.hasPrefix("/"), !beforeCursor.contains(" ") else { return ("", []) }
        let names = ChatInput.commands.map(\.name) + ["/quit"]
        return Self.choose(typed: beforeCursor, among: names.filter { $0.hasPrefix(beforeCursor) }.sorted(), unique: " ")
    }

    /// Completes a file path: entries of its directory that start with the typed name (dot files only when the name
    /// starts with a dot); a directory gets a `/` so Tab can go on into it.
    private func completePath(_ typed: String) -> (insertion: String, candidates: [String]) {
        let slash = typed.lastIndex(of: "/")
        let directoryPart = slash.map { String(typed[...$0]) } ?? ""
        let namePart = slash.map { String(typed[typed.index(after: $0)...]) } ?? typed
        let expanded = ChatPath.expand(directoryPart, environment: environment)
        let listed = expanded.isEmpty ? directory : (expanded.hasPrefix("/") ? expanded : directory + "/" + expanded)
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: listed) else { return ("", []) }
        let matches = entries.filter { $0.hasPrefix(namePart) && (namePart.hasPrefix(".") || !$0.hasPrefix(".")) }.sorted().map { name in
            var isDirectory = false
            _ = FileManager.default.fileExists(atPath: listed + "/" + name, isDirectory: &isDirectory)
            return isDirectory ? name + "/" : name
        }
        return Self.choose(typed: namePart, among: matches, unique: "")
    }

    /// One match: the rest of it (and `unique` after a complete word). Several: their common prefix beyond what was
    /// typed, or, when there is none, the list.
    static func choose(typed: String, among matches: [String], unique: String) -> (insertion: String, candidates: [String]) {
        guard let first = matches.first else { return ("", []) }
        if matches.count == 1 {
            let rest = String(first.dropFirst(typed.count))
            return (rest + (first.hasSuffix("/") ? "" : unique), [])
        }
        var common = first
        for match in matches.dropFirst() {
            common = String(zip(common, match).prefix { $0 == $1 }.map(\.0))
        }
        let rest = String(common.dropFirst(typed.count))
        return rest.isEmpty ? ("", matches) : (rest, [])
    }
}
