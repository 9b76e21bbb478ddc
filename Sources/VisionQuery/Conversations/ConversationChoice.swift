/// Which logged conversation a query continues (`-c`, `--conversation ID`), if any.
public enum ConversationChoice: Equatable, Sendable {
    case none
    /// `-c`: the conversation of the most recent exchange.
    case latest
    /// `--conversation ID`.
    case id(Int)
}
