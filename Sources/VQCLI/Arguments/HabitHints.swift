/// What to say when an option is one that llm (simonw/llm) users type from habit: the vq way of saying it.
enum HabitHints {
    /// The hint for an unknown option as typed (`-a`, `--cid`), or nil.
    static func hint(forUnknown option: String) -> String? {
        switch option {
        case "-a", "--attachment": return "images are plain arguments here: vq PROMPT IMAGE..."
        case "--cid": return "continue a conversation with --conversation ID (or -c for the latest)"
        default: return nil
        }
    }

    /// The hint when `-t` (the temperature here, a template in llm) was given a word.
    static let temperatureWord = "-t is the temperature here; for a template use -T NAME"
}
