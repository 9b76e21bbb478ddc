import FoundationEssentials

/// Timestamps services send in RFC 3339 ("2026-12-08T09:00:00.123456Z"), with or without fractional seconds.
enum RFC3339Date {
    static func date(_ text: String) -> Date? {
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return date }
        return try? Date.ISO8601FormatStyle().parse(text)
    }
}
