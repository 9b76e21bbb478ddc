import FoundationEssentials
import Glibc

/// HTTP dates (RFC 9110's IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT"), as `Retry-After` carries them.
enum HTTPDate {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// The date, or nil when `text` is not an IMF-fixdate in GMT (or UTC).
    static func parse(_ text: String) -> Date? {
        let fields = text.split(separator: " ")
        guard fields.count == 6, fields[0].hasSuffix(","), ["GMT", "UTC"].contains(fields[5].uppercased()),
            let day = Int32(fields[1]), let month = months.firstIndex(of: fields[2].lowercased()), let year = Int32(fields[3])
        else { return nil }
        let clock = fields[4].split(separator: ":", omittingEmptySubsequences: false).map { Int32($0) }
        guard clock.count == 3, let hour = clock[0], let minute = clock[1], let second = clock[2],
            (1...31).contains(day), (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second)
        else { return nil }
        var parts = tm()
        parts.tm_year = year - 1900
        parts.tm_mon = Int32(month)
        parts.tm_mday = day
        parts.tm_hour = hour
        parts.tm_min = minute
        parts.tm_sec = second
        return Date(timeIntervalSince1970: Double(timegm(&parts)))
    }
}
