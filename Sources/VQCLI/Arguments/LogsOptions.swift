import VisionQuery

/// The typed options of `vq logs`: what to show (a listing, one exchange, the database path) and the filters.
public struct LogsOptions: Equatable, Sendable {
    /// What `vq logs` prints.
    public enum Action: Equatable, Sendable {
        case list
        case show(Int)
        case path
    }

    /// The action words `vq logs` takes.
    static let actionWords = ["show", "path"]

    public var action = Action.list
    public var count = 3
    public var search: String?
    public var conversationID: Int?
    public var model: String?
    public var json = false
    /// `--raw`: control characters in logged text reach a terminal as they are.
    public var raw = false

    public init() {}

    init(_ parsed: ParsedArguments) throws(VQError) {
        switch parsed.positionals {
        case []: action = .list
        case ["path"]: action = .path
        case let words where words.first == "show":
            guard words.count == 2, let id = Int(words[1]), id > 0 else {
                throw VQError(.usage, "'vq logs show' needs one exchange id (a positive whole number, see 'vq logs')")
            }
            action = .show(id)
        default:
            let hint = Suggestion.closest(to: parsed.positionals[0], among: Self.actionWords).map { "; did you mean '\($0)'?" } ?? ""
            throw VQError(.usage, "unknown logs action '\(parsed.positionals.joined(separator: " "))'\(hint) (expected: show ID, path)")
        }
        count = try QueryOptions.whole(parsed.last(.count), option: "count", range: 1...1_000_000) ?? 3
        search = parsed.last(.search)
        if let search, search.allSatisfy(\.isWhitespace) { throw VQError(.usage, "'--search' needs some text") }
        conversationID = try QueryOptions.conversationID(parsed)
        model = parsed.last(.model)
        json = parsed.has(.json)
        raw = parsed.has(.raw)
    }
}
