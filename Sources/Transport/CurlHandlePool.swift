import FoundationEssentials
import Platform

/// Keeps idle easy handles so later sends reuse their cached connections; one user per handle at a time.
final class CurlHandlePool: @unchecked Sendable {
    private let lock = Lock()
    private var idle: [CurlEasyHandle] = []
    private let maxIdle: Int

    init(maxIdle: Int) { self.maxIdle = maxIdle }

    func take() -> CurlEasyHandle {
        lock.withLock { idle.popLast() } ?? CurlEasyHandle()
    }

    func giveBack(_ handle: CurlEasyHandle) {
        lock.withLock { if idle.count < maxIdle { idle.append(handle) } }
    }
}
