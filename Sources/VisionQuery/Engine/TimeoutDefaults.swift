/// Default seconds of silence before a transfer is given up, when neither a flag nor the profile says.
public enum TimeoutDefaults {
    /// A streamed answer sends something (at least keep-alives) all the time.
    public static let streamStall: Double = 60
    /// A whole (non-streamed) answer, as `--no-stream` and `vq batch` ask for, sends nothing until it is complete.
    public static let wholeAnswerStall: Double = 900
}
