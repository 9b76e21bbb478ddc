internal import CShims
import Glibc

/// Removes vq's temporary files when it is interrupted (SIGINT, SIGTERM, SIGHUP), then lets the signal end
/// the process as usual, so the shell sees 130 or 143. Wraps the async-signal-safe table in `vq_signals.c`.
public enum InterruptCleanup {
    /// Installs the handlers; call once at start.
    public static func install() { vq_signals_install() }

    /// Text written to stderr when a signal ends vq (nil: nothing), e.g. how to continue an interrupted batch.
    public static func setNotice(_ text: String?) {
        if let text { vq_signals_set_notice(text) } else { vq_signals_set_notice(nil) }
    }

    /// Registers `path` for removal on interrupt (safe from any thread); keep the token and call `release` when the file is gone or renamed.
    public static func track(_ path: String) -> Token { Token(slot: vq_cleanup_register(path)) }

    /// A registration in the cleanup table.
    public struct Token: Sendable {
        let slot: Int32
        /// False when the table was full or the path too long: the file would not be removed on an interrupt.
        public var isRegistered: Bool { slot >= 0 }
        public func release() { vq_cleanup_unregister(slot) }
    }
}
