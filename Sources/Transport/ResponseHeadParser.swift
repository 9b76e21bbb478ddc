/// Collects one hop's response head from curl's header lines, skipping 1xx heads and trailers.
struct ResponseHeadParser {
    private(set) var status = 0
    private(set) var headers: [String: String] = [:]
    private(set) var isComplete = false
    private var lastName: String?

    /// Feeds one raw header line (with its line ending). Returns true when this line completed the head.
    mutating func feed(_ line: String) -> Bool {
        guard !isComplete else { return false }  // trailers after a chunked body
        let text = line.trimmingTrailingNewlines()
        if text.hasPrefix("HTTP/") {
            status = Int(text.split(separator: " ", maxSplits: 2).dropFirst().first ?? "") ?? 0
            headers = [:]
            lastName = nil
            return false
        }
        if text.isEmpty {
            if (100..<200).contains(status) && status != 101 {
                status = 0  // interim response; the real head follows
                headers = [:]
                return false
            }
            isComplete = true
            return true
        }
        if let first = text.first, first == " " || first == "\t", let name = lastName {
            headers[name, default: ""] += " " + text.trimmingBlanks()  // obsolete line folding
            return false
        }
        guard let colon = text.firstIndex(of: ":") else { return false }
        let name = text[..<colon].trimmingBlanks().lowercased()
        let value = text[text.index(after: colon)...].trimmingBlanks()
        headers[name] = headers[name].map { "\($0), \(value)" } ?? value
        lastName = name
        return false
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs (HTTP optional whitespace).
    func trimmingBlanks() -> String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" { s = s.dropFirst() }
        while let c = s.last, c == " " || c == "\t" { s = s.dropLast() }
        return String(s)
    }
}
