/// How media uploaded to a service's Files API are kept: `--keep-uploads` leaves them on the service (until they
/// expire), recorded in the log for a continued conversation to reuse (`Conversation.uploads`).
public struct UploadSettings: Sendable {
    /// `--keep-uploads`: do not delete uploaded files after the answer.
    public var keep = false

    public init(keep: Bool = false) { self.keep = keep }
}
