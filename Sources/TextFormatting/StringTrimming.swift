/// Trimming without Foundation, with the same character classes as its `CharacterSet.whitespaces`,
/// `.whitespacesAndNewlines` and `.newlines`.
extension StringProtocol {
    /// Without leading and trailing spaces and tabs (Unicode's space separators, U+0009 and U+200B).
    public func trimmingWhitespace() -> String { trimming(where: Self.isWhitespace) }

    /// Without leading and trailing whitespace and line breaks.
    public func trimmingWhitespaceAndNewlines() -> String { trimming { Self.isWhitespace($0) || Self.isNewline($0) } }

    /// Without leading and trailing line breaks (LF, VT, FF, CR, NEL, U+2028, U+2029).
    public func trimmingNewlines() -> String { trimming(where: Self.isNewline) }

    /// Without leading and trailing scalars found in `characters`.
    public func trimming(scalarsIn characters: String) -> String {
        let set = Set(characters.unicodeScalars)
        return trimming { set.contains($0) }
    }

    /// Without leading and trailing scalars for which `predicate` holds.
    public func trimming(where predicate: (Unicode.Scalar) -> Bool) -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !predicate($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !predicate($0) })!
        var result = String.UnicodeScalarView()
        result.append(contentsOf: scalars[first...last])
        return String(result)
    }

    /// Foundation's set: tab, Unicode's space separators, and U+200B (a space separator in old Unicode versions).
    private static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\t" || scalar == "\u{200B}" || scalar.properties.generalCategory == .spaceSeparator
    }

    private static func isNewline(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A...0x0D, 0x85, 0x2028, 0x2029: true
        default: false
        }
    }
}
