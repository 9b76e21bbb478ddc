internal import CShims

/// Ctrl-C as a request instead of an end (`vq chat`): while catching, SIGINT only raises a flag that the caller
/// polls (to stop the answer being written) and takes. Wraps the async-signal-safe flag in `vq_signals.c`.
public enum InterruptFlag {
    /// Starts or stops catching SIGINT; the flag starts lowered.
    public static func catching(_ on: Bool) { vq_interrupt_catch(on ? 1 : 0) }

    /// Whether Ctrl-C was pressed since the flag was last taken.
    public static var isRaised: Bool { vq_interrupt_pending() != 0 }

    /// Whether Ctrl-C was pressed; lowers the flag.
    public static func take() -> Bool { vq_interrupt_take() != 0 }
}
