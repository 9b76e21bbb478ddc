import FoundationEssentials
import TextFormatting

/// A moment in a video as the user writes it (`90`, `1:30`, `1:02:03.5`) and as vq prints it (`01:30.0`).
public enum VideoTime {
    /// Seconds from `text`: `S`, `M:SS` or `H:MM:SS`, each with an optional fraction of a second; nil when malformed.
    public static func seconds(_ text: String) -> Double? {
        let fields = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard (1...3).contains(fields.count) else { return nil }
        var total = 0.0
        for (index, field) in fields.enumerated() {
            let isLast = index == fields.count - 1
            guard !field.isEmpty, field.allSatisfy({ $0.isASCII && ($0.isNumber || (isLast && $0 == ".")) }),
                field.filter({ $0 == "." }).count <= 1, field != ".", let value = Double(field)
            else { return nil }
            // Minutes and seconds after a colon are below 60.
            if index > 0 && value >= 60 { return nil }
            total = total * 60 + value
        }
        return total.isFinite ? total : nil
    }

    /// `01:24.5` (minutes and seconds, one decimal), `1:02:03.5` past an hour.
    public static func format(_ seconds: Double) -> String {
        let tenths = Int((max(0, seconds) * 10).rounded())
        let hours = tenths / 36_000
        let minutes = tenths / 600 % 60
        let secondsPart = DecimalText.zeroPadded(tenths / 10 % 60, width: 2) + ".\(tenths % 10)"
        let minutesPart = DecimalText.zeroPadded(minutes, width: 2) + ":"
        return hours > 0 ? "\(hours):" + minutesPart + secondsPart : minutesPart + secondsPart
    }
}
