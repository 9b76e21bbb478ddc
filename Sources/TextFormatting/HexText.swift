/// Integers as zero-padded hexadecimal (`%04x`, `%02X`), for escapes and code points.
public enum HexText {
    public static func padded(_ value: some BinaryInteger, width: Int, uppercase: Bool = false) -> String {
        let digits = String(value, radix: 16, uppercase: uppercase)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
