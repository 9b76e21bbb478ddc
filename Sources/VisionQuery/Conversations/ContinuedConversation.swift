import FoundationEssentials
import History

/// A logged conversation read back to be continued: its id, the profile, model and system prompt it last used,
/// and its exchanges (with the image bytes that were sent).
public struct ContinuedConversation: Sendable {
    public let id: Int
    public let profile: String?
    public let model: String?
    public let system: String?
    let exchanges: [HistoryExchange]

    init(id: Int, exchanges: [HistoryExchange]) {
        self.id = id
        self.exchanges = exchanges
        profile = exchanges.last?.profile
        model = exchanges.last?.model
        system = exchanges.last?.system
    }

    /// The earlier turns to send before the new prompt; nil when no exchange of it was answered.
    public var history: Conversation? { ConversationReplay.conversation(exchanges) }

    /// `options` with the conversation's profile, model and system prompt where the command line names none.
    /// A profile named on the command line brings its own default model.
    public func applied(to options: QueryOptions) -> QueryOptions {
        var options = options
        if options.profile == nil {
            options.profile = profile
            if options.model == nil { options.model = model }
        }
        if options.system == nil { options.system = system }
        return options
    }
}
