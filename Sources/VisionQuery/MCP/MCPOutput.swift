/// Where the server's messages for one exchange go: the stdio stream for every message, or over HTTP the answer
/// (and, on an event stream, the notifications and requests) belonging to one POST.
protocol MCPOutput: AnyObject, Sendable {
    /// Writes one message; false once nobody reads any more.
    @discardableResult func send(_ message: [String: Any]) -> Bool
    /// Whether a write failed (the client went away).
    var isGone: Bool { get }
}
