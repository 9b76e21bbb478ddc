import FoundationEssentials
import Platform

/// Reads standard input at most once, whoever asks first (the prompt or a `-` image).
final class StandardInput: @unchecked Sendable {
    private let lock = Lock()
    private var cached: Data?

    var read: @Sendable () -> Data {
        { [self] in
            lock.withLock {
                if let cached { return cached }
                let data = FileIO.readStandardInput()
                cached = data
                return data
            }
        }
    }
}
