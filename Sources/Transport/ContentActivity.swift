import Dispatch
import FoundationEssentials
import Platform

/// When the answer last made progress, as its reader judges it: a streamed answer's keep-alive pings (`: ping`,
/// Anthropic's `event: ping`) move bytes but not the answer, so with one of these the stall timer is reset only
/// by the reader's `touch()` (and by the request body going out), never by bytes alone.
public final class ContentActivity: @unchecked Sendable {
    private let lock = Lock()
    private var last = DispatchTime.now().uptimeNanoseconds

    public init() {}

    /// The answer moved on (text, an image, usage, its end).
    public func touch() {
        lock.lock()
        last = DispatchTime.now().uptimeNanoseconds
        lock.unlock()
    }

    /// The uptime in nanoseconds of the last `touch()`.
    var lastTouched: UInt64 {
        lock.lock()
        defer { lock.unlock() }
        return last
    }
}
