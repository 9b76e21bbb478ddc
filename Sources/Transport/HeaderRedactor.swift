/// Hides secret header values before anything is logged.
public enum HeaderRedactor {
    public static let placeholder = "[redacted]"

    /// The value to log for header `name`: the placeholder when the name is secret.
    public static func redact(name: String, value: String, secretNames: Set<String> = HTTPRequest.defaultSecretHeaderNames) -> String {
        let lower = name.lowercased()
        return secretNames.contains(lower) || HTTPRequest.defaultSecretHeaderNames.contains(lower) ? placeholder : value
    }
}
