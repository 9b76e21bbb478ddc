import FoundationEssentials
import History
import VisionQuery

/// The typed options of `vq logs`: what to show (a listing, one exchange, the database path) and the filters.
public struct LogsOptions: Equatable, Sendable {
    /// What `vq logs` prints.
    public enum Action: Equatable, Sendable {
        case list
        case show(Int)
        /// `--cost`: totals since a moment (nil: all), grouped.
        case cost(since: Date?, by: CostGrouping)
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
        if parsed.has(.cost) {
            guard action == .list else { throw VQError(.usage, "'--cost' totals the log; it does not go with 'vq logs \(parsed.positionals[0])'") }
            action = .cost(
                since: try parsed.last(.since).map { (text) throws(VQError) in try Self.moment(text, now: Date()) },
                by: CostGrouping(rawValue: parsed.last(.by) ?? "") ?? .model)
        } else if let option = [OptionName.since, .by].first(where: parsed.has) {
            throw VQError(.usage, "'--\(option.rawValue)' goes with '--cost' (vq logs --cost --\(option.rawValue) ...)")
        }
    }

    /// `--since`: an age back from `now` (`30m`, `12h`, `7d`, `4w`) or a UTC date (`2026-12-01`).
    static func moment(_ text: String, now: Date) throws(VQError) -> Date {
        let units: [Character: Double] = ["m": 60, "h": 3600, "d": 86400, "w": 604_800]
        if let unit = text.last, let seconds = units[unit], let count = Double(text.dropLast()), count >= 0, count.isFinite {
            return now.addingTimeInterval(-count * seconds)
        }
        if text.count == 10, let date = HistoryTimestamp.date(text + "T00:00:00Z") { return date }
        throw VQError(.usage, "invalid value '\(text)' for '--since': expected an age such as 30m, 12h, 7d or 4w, or a date such as 2026-12-01")
    }
}
