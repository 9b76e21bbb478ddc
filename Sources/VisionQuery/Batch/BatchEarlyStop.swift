import FoundationEssentials
import Platform

/// Decides that a batch cannot work: its first `sample` requests all failed with the same setup error (TLS, proxy,
/// a refused connection, 401/403, a wrong base_url) and none succeeded. The batch then sends nothing more, says it
/// once and exits with that error's code; `--resume` later picks up every image. Until it is decided, the warnings
/// for that error are held back (`holdsBack`), so 10,000 images do not print 10,000 copies of one message.
public final class BatchEarlyStop: @unchecked Sendable {
    private let lock = Lock()
    private let sample: Int
    private var failedRequests = 0
    private var candidate: VQError?
    /// A success or a different error arrived: this batch is not stopped early.
    private var goesOn = false
    private var reason: VQError?
    private var held: [String] = []
    /// Receives the held-back warnings when the batch turns out to go on.
    private let release: @Sendable ([String]) -> Void

    public init(sample: Int = 3, release: @escaping @Sendable ([String]) -> Void) {
        precondition(sample > 0, "sample must be positive")
        self.sample = sample
        self.release = release
    }

    /// The error that stopped the batch, if it was stopped.
    public var stopReason: VQError? { lock.withLock { reason } }

    /// The caller stopped the batch (`stop(because:)`), not the first requests' failures.
    public private(set) var stoppedByCaller = false

    /// Stops the batch at once for a reason of the caller's (its output cannot be written): nothing more is sent.
    public func stop(because error: VQError) {
        lock.withLock {
            guard reason == nil else { return }
            reason = error
            stoppedByCaller = true
        }
    }

    public var isStopped: Bool { stopReason != nil }

    /// Records the results of one request (one per image it carried); true when the batch must stop now.
    func record(_ results: [BatchResult]) -> Bool {
        var released: [String] = []
        let stop = lock.withLock { () -> Bool in
            if reason != nil { return true }
            if goesOn { return false }
            if let error = results.first(where: { !$0.succeeded })?.error, !results.contains(where: \.succeeded),
                error.stopsBatch, candidate == nil || candidate == error
            {
                candidate = error
                failedRequests += 1
                if failedRequests >= sample { reason = error }
                return reason != nil
            }
            goesOn = true
            released = held
            held = []
            return false
        }
        if !released.isEmpty { release(released) }
        return stop
    }

    /// Whether the warning `line` about `error` is held back (it may be the one error that stops the batch).
    public func holdsBack(_ error: VQError, line: String) -> Bool {
        lock.withLock {
            guard !goesOn, error.stopsBatch, candidate == nil || candidate == error else { return false }
            held.append(line)
            return true
        }
    }

    /// At the end of a batch that was not stopped: hands on the warnings still held back.
    public func finish() {
        let released = lock.withLock { () -> [String] in
            guard reason == nil else { return [] }
            defer { held = [] }
            return held
        }
        if !released.isEmpty { release(released) }
    }
}
