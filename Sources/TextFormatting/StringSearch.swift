/// Case-insensitive search and comparison, and padding to a width, without Foundation.
extension StringProtocol {
    /// The first range of `needle` in `self[bounds]` (all of it when nil), ignoring case (characters compared by
    /// their lowercase forms).
    public func range(ofCaseInsensitive needle: some StringProtocol, in bounds: Range<Index>? = nil) -> Range<Index>? {
        let wanted = needle.map { $0.lowercased() }
        guard !wanted.isEmpty else { return nil }
        let region = bounds ?? startIndex..<endIndex
        var start = region.lowerBound
        while start < region.upperBound {
            var position = start
            var matched = 0
            while matched < wanted.count, position < region.upperBound, self[position].lowercased() == wanted[matched] {
                position = index(after: position)
                matched += 1
            }
            if matched == wanted.count { return start..<position }
            start = index(after: start)
        }
        return nil
    }

    /// Whether `self` and `other` are equal ignoring case.
    public func equalsIgnoringCase(_ other: some StringProtocol) -> Bool {
        count == other.count && zip(self, other).allSatisfy { $0.lowercased() == $1.lowercased() }
    }

    /// Without one trailing `suffix`, if it ends with it.
    public func trimmingSuffix(_ suffix: String) -> String { hasSuffix(suffix) ? String(dropLast(suffix.count)) : String(self) }

    /// Without trailing whitespace and line breaks (what the regular expression `\s+$` removed).
    public func trimmingTrailingWhitespace() -> String {
        var end = endIndex
        while end > startIndex, self[index(before: end)].isWhitespace { end = index(before: end) }
        return String(self[..<end])
    }

    /// Padded with spaces, or cut, to `length` UTF-16 units (what Foundation's `padding(toLength:)` counted).
    public func padded(toLength length: Int) -> String {
        let units = utf16.count
        if units >= length { return units == length ? String(self) : String(decoding: Array(utf16.prefix(length)), as: UTF16.self) }
        return String(self) + String(repeating: " ", count: length - units)
    }
}

/// Substring search and replacement on Unicode scalars, as Foundation's `contains` and `replacingOccurrences` matched
/// (the standard library's compare whole characters, so they miss the LF of a CRLF, or a quote followed by a
/// combining mark: escaping and header checks must not).
extension StringProtocol {
    /// Whether `needle`'s scalars occur in `self`'s.
    public func containsScalars(_ needle: String) -> Bool { Self.firstMatch(Array(utf8), Array(needle.utf8), from: 0) != nil }

    /// Every occurrence of `target`'s scalars replaced by `replacement`.
    public func replacingScalars(_ target: String, with replacement: String) -> String {
        let bytes = Array(utf8)
        let needle = Array(target.utf8)
        guard !needle.isEmpty, var match = Self.firstMatch(bytes, needle, from: 0) else { return String(self) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var position = 0
        while true {
            out.append(contentsOf: bytes[position..<match])
            out.append(contentsOf: replacement.utf8)
            position = match + needle.count
            guard let next = Self.firstMatch(bytes, needle, from: position) else { break }
            match = next
        }
        out.append(contentsOf: bytes[position...])
        return String(decoding: out, as: UTF8.self)
    }

    /// The offset of the first `needle` in `bytes` at or after `start` (UTF-8 matching is scalar matching).
    private static func firstMatch(_ bytes: [UInt8], _ needle: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, bytes.count >= needle.count else { return nil }
        var index = start
        while index <= bytes.count - needle.count {
            if bytes[index] == needle[0] && bytes[index..<index + needle.count].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}
