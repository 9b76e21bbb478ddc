/// The order of object keys in vq's JSON output: what Foundation's `JSONSerialization` `.sortedKeys` gave (Unicode
/// collation, numbers by value, case ignored first), so `--json` records keep their key order. Exact for ASCII keys
/// (vq's own); other characters sort after them by code point.
public enum JSONKeyOrder {
    public static func areInIncreasingOrder(_ a: String, _ b: String) -> Bool {
        let primary = compare(Array(a.unicodeScalars), Array(b.unicodeScalars), foldingCase: true)
        if primary != 0 { return primary < 0 }
        return compare(Array(a.unicodeScalars), Array(b.unicodeScalars), foldingCase: false) < 0
    }

    /// Punctuation and symbols in the Unicode collation's order (before digits, then letters).
    private static let punctuation = Array("\t\n\u{0B}\u{0C}\r _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$".unicodeScalars)

    /// -1, 0 or 1. Digit runs compare by value; letters by their lowercase form when folding case, else lowercase first.
    private static func compare(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], foldingCase: Bool) -> Int {
        var i = 0
        var j = 0
        while i < a.count && j < b.count {
            if isDigit(a[i]) && isDigit(b[j]) {
                let startA = i
                let startB = j
                while i < a.count && isDigit(a[i]) { i += 1 }
                while j < b.count && isDigit(b[j]) { j += 1 }
                let digitsA = a[startA..<i].drop { $0 == "0" }
                let digitsB = b[startB..<j].drop { $0 == "0" }
                if digitsA.count != digitsB.count { return digitsA.count < digitsB.count ? -1 : 1 }
                for (x, y) in zip(digitsA, digitsB) where x != y { return x.value < y.value ? -1 : 1 }
                continue
            }
            let rankA = rank(a[i], foldingCase: foldingCase)
            let rankB = rank(b[j], foldingCase: foldingCase)
            if rankA != rankB { return rankA < rankB ? -1 : 1 }
            i += 1
            j += 1
        }
        if i < a.count { return 1 }
        if j < b.count { return -1 }
        return 0
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }

    private static func rank(_ scalar: Unicode.Scalar, foldingCase: Bool) -> UInt32 {
        if let position = punctuation.firstIndex(of: scalar) { return UInt32(position) }
        if isDigit(scalar) { return 100 + scalar.value - 0x30 }
        if ("a"..."z").contains(scalar) { return 200 + (scalar.value - 0x61) * 2 }
        if ("A"..."Z").contains(scalar) { return 200 + (scalar.value - 0x41) * 2 + (foldingCase ? 0 : 1) }
        return 0x1000 + scalar.value
    }
}
