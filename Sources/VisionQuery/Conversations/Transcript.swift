import FoundationEssentials
import History

/// The exchanges of one conversation so far (a `vq` query, every turn of a `vq chat`), kept in memory to send as
/// history and recorded in the log as one conversation (the one continued with `-c`/`--conversation`, else a new
/// one started by the first exchange).
public final class Transcript: @unchecked Sendable {
    private let log: QueryLog
    public private(set) var conversationID: Int?
    private var exchanges: [HistoryExchange]

    public init(log: QueryLog, continuing continued: ContinuedConversation?) {
        self.log = log
        conversationID = continued?.id
        exchanges = continued?.exchanges ?? []
    }

    /// The earlier turns to send before the next prompt.
    public var history: Conversation? { ConversationReplay.conversation(exchanges) }

    /// Adds one exchange and what came of it, and logs it; the ids it was logged under, or nil.
    @discardableResult
    public func record(
        query: Query, profile: Profile, started: Date, outcome: QueryOutcome?, answer: String, savedImages: [String],
        error: VQError?
    ) -> LoggedExchange? {
        let exchange = ExchangeRecordBuilder.exchange(
            query: query, profile: profile, conversationID: conversationID, started: started,
            outcome: outcome, answer: answer, savedImages: savedImages, error: error,
            duration: Date().timeIntervalSince(started))
        exchanges.append(exchange)
        let logged = log.record(exchange)
        if let logged { conversationID = logged.conversationID }
        return logged
    }
}
