import Glibc

/// Decimal text: a number with a fixed count of decimals, rounded as printf's `%.Nf` rounds ("2.35 s", "12.5%"), and
/// zero-padded integers (`%04d`), and integers with thousands separators ("1,204").
public enum DecimalText {
    public static func grouped(_ value: Int) -> String {
        let digits = Array(String(value.magnitude))
        var out = value < 0 ? "-" : ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out += "," }
            out.append(digit)
        }
        return out
    }

    public static func zeroPadded(_ value: some BinaryInteger, width: Int) -> String {
        let digits = String(value.magnitude)
        return (value < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    public static func fixed(_ value: Double, places: Int) -> String {
        precondition((0...17).contains(places), "places out of range")
        var buffer = [CChar](repeating: 0, count: 64)
        let written = withVaList([Int32(places), value]) { vsnprintf(&buffer, buffer.count, "%.*f", $0) }
        if written >= buffer.count {  // beyond 1e45 or so: rare enough to allocate exactly
            buffer = [CChar](repeating: 0, count: Int(written) + 1)
            _ = withVaList([Int32(places), value]) { vsnprintf(&buffer, buffer.count, "%.*f", $0) }
        }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
