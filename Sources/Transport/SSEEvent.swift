/// One dispatched server-sent event.
public struct SSEEvent: Equatable, Sendable {
    /// The `event:` field; nil when the stream named none (i.e. "message").
    public var event: String?
    /// `data:` lines joined with "\n".
    public var data: String
    /// The last event ID seen on the stream, if any.
    public var id: String?

    public init(event: String? = nil, data: String, id: String? = nil) {
        self.event = event
        self.data = data
        self.id = id
    }
}
