import Foundation

/// Timestamps services send in RFC 3339 ("2026-12-08T09:00:00.123456Z"), with or without fractional seconds.
enum RFC3339Date {
    static func date(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }
}
