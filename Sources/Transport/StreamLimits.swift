/// The bounds on what a server may make vq hold in memory, in one place: a whole response body, and one line (or
/// one event's data) of a streamed answer. A server that sends more is cut off with an error naming the limit.
public enum StreamLimits {
    /// A whole (non-streamed) success body, and one SSE/NDJSON line or SSE event: 64 MiB, room for a large image.
    public static let maxBodyBytes = 64 << 20
    /// The same limit for a line, named for what it bounds.
    public static let maxLineBytes = maxBodyBytes
}
