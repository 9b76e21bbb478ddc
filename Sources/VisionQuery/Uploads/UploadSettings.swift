/// How media uploaded to a service's Files API are kept and reused: `--keep-uploads` leaves them on the service
/// (until they expire), and a continued conversation brings the files its earlier exchanges kept.
public struct UploadSettings: Sendable {
    /// `--keep-uploads`: do not delete uploaded files after the answer.
    public var keep = false
    /// Files kept by earlier exchanges of the conversation, by the SHA-256 of their bytes.
    public var earlier: [String: GeminiFile] = [:]

    public init(keep: Bool = false, earlier: [String: GeminiFile] = [:]) {
        self.keep = keep
        self.earlier = earlier
    }
}
