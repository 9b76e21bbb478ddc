/// Percent-encoding of URL parts (RFC 3986), with the sets vq needs.
public enum PercentEncoding {
    /// Allowed unencoded in a query (Foundation's `urlQueryAllowed`).
    public static let queryAllowed = Set("!$&'()*+,-./0123456789:;=?@ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz~".utf8)
    /// Allowed unencoded in one path segment (Foundation's `urlPathAllowed` without `/`).
    public static let segmentAllowed = Set("!$&'()*+,-.0123456789:=@ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz~".utf8)

    /// `text` with every UTF-8 byte outside `allowed` written as `%XX`.
    public static func encode(_ text: String, allowing allowed: Set<UInt8>) -> String {
        var out = ""
        for byte in text.utf8 {
            if allowed.contains(byte) { out.unicodeScalars.append(Unicode.Scalar(byte)) } else { out += "%" + HexText.padded(byte, width: 2, uppercase: true) }
        }
        return out
    }
}
