internal import CShims
import FoundationEssentials
import Platform

/// Work that must be undone remotely when Ctrl-C arrives (a file uploaded to a service): inside a scope SIGINT only
/// raises a flag (`isRaised`) that the work polls; it cleans up, and when the outermost scope ends the interrupt
/// ends vq as usual (130). In `vq chat`, which catches Ctrl-C itself, the flag is left for the chat loop.
/// Scopes nest and may be entered from several threads (batch workers).
public enum InterruptScope {
    /// Runs `body` inside a scope.
    public static func run<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        state.enter()
        defer { state.leave() }
        return try body()
    }

    /// Whether Ctrl-C arrived while inside a scope (or while the chat loop catches it).
    public static var isRaised: Bool { vq_interrupt_pending() != 0 }

    private static let state = ScopeState()

    /// The nesting depth and whether the outermost scope turned catching on (then it re-raises the interrupt).
    private final class ScopeState: @unchecked Sendable {
        private let lock = Lock()
        private var depth = 0
        private var ownsCatching = false

        func enter() {
            lock.withLock {
                if depth == 0 && vq_interrupt_is_caught() == 0 {
                    vq_interrupt_catch(1)
                    ownsCatching = true
                }
                depth += 1
            }
        }

        func leave() {
            let interrupted = lock.withLock { () -> Bool in
                depth -= 1
                guard depth == 0, ownsCatching else { return false }
                ownsCatching = false
                let pending = vq_interrupt_pending() != 0
                vq_interrupt_catch(0)
                return pending
            }
            if interrupted { vq_interrupt_raise() }
        }
    }
}
