import FoundationEssentials
import Glibc

/// UTC timestamps as the log stores them (`2026-12-01T09:30:00.250Z`), written and read with the C library:
/// Foundation's ISO 8601 formatter starts ICU, which would cost more than the whole write.
public enum HistoryTimestamp {
    /// `2026-12-01T09:30:00.250Z` with milliseconds, or `2026-12-01T09:30:00Z` without.
    public static func text(_ date: Date, milliseconds: Bool = true) -> String {
        let interval = date.timeIntervalSince1970
        var seconds = time_t(interval.rounded(.down))
        let millis = min(999, Int(((interval - Double(seconds)) * 1000).rounded()))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        var text = "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))"
        if milliseconds { text += "." + String(String(millis + 1000).dropFirst()) }
        return text + "Z"
    }

    /// The date of a stored timestamp; nil when it is not one.
    public static func date(_ text: String) -> Date? {
        let fields = text.split(whereSeparator: { "-T:Z".contains($0) }).map(String.init)
        guard fields.count == 6, let year = Int32(fields[0]), let month = Int32(fields[1]), let day = Int32(fields[2]),
            let hour = Int32(fields[3]), let minute = Int32(fields[4]), let second = Double(fields[5])
        else { return nil }
        var parts = tm()
        parts.tm_year = year - 1900
        parts.tm_mon = month - 1
        parts.tm_mday = day
        parts.tm_hour = hour
        parts.tm_min = minute
        parts.tm_sec = Int32(second.rounded(.down))
        let whole = timegm(&parts)
        return Date(timeIntervalSince1970: Double(whole) + (second - second.rounded(.down)))
    }
}
