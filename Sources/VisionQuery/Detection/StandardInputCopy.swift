import FoundationEssentials
import Platform

/// The bytes a run read from standard input, kept once read: `vq detect --annotate` draws on the image given as `-`.
final class StandardInputCopy: @unchecked Sendable {
    private let lock = Lock()
    private var kept: Data?

    /// Keeps `data` and passes it on.
    func keep(_ data: Data) -> Data {
        lock.withLock { kept = data }
        return data
    }

    var data: Data? { lock.withLock { kept } }
}
