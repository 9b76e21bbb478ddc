/// What one answer may make vq keep, whatever the server sends: its text and the images saved from it. The
/// defaults live here and nowhere else; a profile may set `max_answer_bytes` and `max_saved_images`.
public struct AnswerLimits: Equatable, Sendable {
    /// Bytes of answer text kept (16 MiB); a longer answer stops there, marked incomplete.
    public static let defaultMaxAnswerBytes = 16 << 20
    /// Images saved from one answer (100); the rest are reported, not written.
    public static let defaultMaxSavedImages = 100

    public var maxAnswerBytes = AnswerLimits.defaultMaxAnswerBytes
    public var maxSavedImages = AnswerLimits.defaultMaxSavedImages

    public init() {}
}
