/// Collects one hop's response head from curl's header lines, skipping 1xx heads and trailers.
struct ResponseHeadParser {
    private(set) var status = 0
    private(set) var headers: [String: String] = [:]
    private(set) var isComplete = false
    private var lastName: String?

    /// Feeds one raw header line (with its line ending). Returns true when this line completed the head. Lines are
    /// read as the octets HTTP defines them as (CR, LF, space, tab and the colon are ASCII), a header line without
    /// building Characters: a batch feeds six a response.
    mutating func feed(_ line: String) -> Bool {
        guard !isComplete else { return false }  // trailers after a chunked body
        let bytes = Array(line.utf8)
        var end = bytes.count
        while end > 0, bytes[end - 1] == Self.lineFeed || bytes[end - 1] == Self.carriageReturn { end -= 1 }
        if bytes.starts(with: "HTTP/".utf8) {
            let text = String(decoding: bytes[..<end], as: UTF8.self)
            status = Int(text.split(separator: " ", maxSplits: 2).dropFirst().first ?? "") ?? 0
            headers = [:]
            lastName = nil
            return false
        }
        if end == 0 {
            if (100..<200).contains(status) && status != 101 {
                status = 0  // interim response; the real head follows
                headers = [:]
                return false
            }
            isComplete = true
            return true
        }
        if Self.isBlank(bytes[0]), let name = lastName {
            headers[name, default: ""] += " " + Self.trimmedText(bytes[..<end])  // obsolete line folding
            return false
        }
        guard let colon = bytes[..<end].firstIndex(of: Self.colon) else { return false }
        let rawName = Self.trimmedText(bytes[..<colon])
        let name = rawName.utf8.allSatisfy { $0 < 0x80 } ? Self.asciiLowercased(rawName) : rawName.lowercased()
        let value = Self.trimmedText(bytes[(colon + 1)..<end])
        headers[name] = headers[name].map { "\($0), \(value)" } ?? value
        lastName = name
        return false
    }

    private static let lineFeed = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")
    private static let colon = UInt8(ascii: ":")

    private static func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }

    /// `bytes` without leading and trailing spaces and tabs (HTTP optional whitespace), as text.
    private static func trimmedText(_ bytes: ArraySlice<UInt8>) -> String {
        var bytes = bytes
        while let first = bytes.first, isBlank(first) { bytes = bytes.dropFirst() }
        while let last = bytes.last, isBlank(last) { bytes = bytes.dropLast() }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func asciiLowercased(_ text: String) -> String {
        String(decoding: text.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }, as: UTF8.self)
    }
}
