import FoundationEssentials
import History
import Platform

/// The conversation log as queries use it: opened on first use; any failure to write it (unwritable, corrupt,
/// locked) is one warning and the answer goes on. Reading a conversation to continue it is the one place a
/// problem is an error, since the query cannot be what the user asked for. Safe to share between the threads of a
/// batch: one exchange is written at a time.
public final class QueryLog: @unchecked Sendable {
    public let path: String
    /// False with `--no-log` or `log = false`: nothing is written (a conversation can still be continued).
    public var writes: Bool
    private let warn: (String) -> Void
    private var store: HistoryStore?
    private var warned = false
    private let lock = Lock()

    public init(environment: [String: String], writes: Bool = true, warn: @escaping (String) -> Void) {
        path = LogLocator.path(environment: environment)
        self.writes = writes
        self.warn = warn
    }

    /// The conversation `choice` names, read back with its images; nil for `.none`. 64 when there is none to continue.
    public func continuation(_ choice: ConversationChoice) throws(VQError) -> ContinuedConversation? {
        if choice == .none { return nil }
        let found: ContinuedConversation?
        do throws(HistoryError) {
            found = try read(choice)
        } catch {
            throw VQError(.usage, "cannot read the log \(path) to continue a conversation: \(error.message)")
        }
        guard let found else {
            if case .id(let id) = choice { throw VQError(.usage, "no conversation \(id) in the log (see 'vq logs')") }
            throw VQError(.usage, "no earlier conversation to continue (-c); ask a question first")
        }
        return found
    }

    /// The conversation `choice` names, or nil when the log has none such.
    private func read(_ choice: ConversationChoice) throws(HistoryError) -> ContinuedConversation? {
        lock.lock()
        defer { lock.unlock() }
        guard let store = try openedStore(create: false) else { return nil }
        let id: Int
        switch choice {
        case .none: return nil
        case .latest:
            guard let latest = try store.latestConversationID() else { return nil }
            id = latest
        case .id(let wanted):
            guard try store.conversationExists(wanted) else { return nil }
            id = wanted
        }
        return ContinuedConversation(id: id, exchanges: try store.conversation(id))
    }

    /// Records one exchange of `conversationID` (a new conversation when nil). Nil when not logging or when the
    /// log cannot be written (said once, as a warning).
    public func record(
        query: Query, profile: Profile, conversationID: Int?, started: Date, outcome: QueryOutcome?,
        answer: String, savedImages: [String], error: VQError?
    ) -> LoggedExchange? {
        guard writes else { return nil }
        return record(
            ExchangeRecordBuilder.exchange(
                query: query, profile: profile, conversationID: conversationID, started: started,
                outcome: outcome, answer: answer, savedImages: savedImages, error: error,
                duration: Date().timeIntervalSince(started)))
    }

    /// Records an exchange already built (a chat turn); nil when not logging or the log cannot be written.
    func record(_ exchange: HistoryExchange) -> LoggedExchange? {
        guard writes else { return nil }
        lock.lock()
        defer { lock.unlock() }
        do throws(HistoryError) {
            guard let store = try openedStore(create: true) else { return nil }
            let ids = try store.record(exchange)
            return LoggedExchange(id: ids.id, conversationID: ids.conversationID)
        } catch {
            if !warned {
                warned = true
                warn("cannot write the log \(path): \(error.message); the answer is not logged (--no-log or 'log = false' turns logging off)")
            }
            return nil
        }
    }

    private func openedStore(create: Bool) throws(HistoryError) -> HistoryStore? {
        if let store { return store }
        store = try HistoryStore.open(path: path, create: create)
        return store
    }
}

/// The ids an exchange was logged under (`--json` reports them as `id` and `conversation_id`).
public struct LoggedExchange: Equatable, Sendable {
    public let id: Int
    public let conversationID: Int
}

extension LoggedExchange {
    /// `id` and `conversation_id` for `--json` (null when the exchange was not logged).
    public static func jsonFields(_ logged: LoggedExchange?) -> [String: Any] {
        ["id": logged.map { $0.id as Any } ?? JSONNull(), "conversation_id": logged.map { $0.conversationID as Any } ?? JSONNull()]
    }
}
