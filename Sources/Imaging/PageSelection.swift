import FoundationEssentials
import TextFormatting

/// Pages chosen with `--pages`: "1-3,7", "5-" (5 to the end), "-2" (1 to 2); page numbers start at 1.
public struct PageSelection: Sendable, Equatable, CustomStringConvertible {
    /// One comma-separated part: a page or an inclusive range, open at the end when `last` is nil.
    public struct Range: Sendable, Equatable {
        public let first: Int
        public let last: Int?
    }

    public let ranges: [Range]

    /// Parses the text of `--pages`; spaces around commas and dashes are allowed.
    public init(parsing text: String) throws(PageSelectionError) {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        var ranges: [Range] = []
        for part in parts {
            ranges.append(try Self.range(String(part), in: text))
        }
        self.ranges = ranges
    }

    /// The selected page numbers for a document of `pageCount` pages, in the order given, each once.
    public func pages(inDocumentOf pageCount: Int) throws(PageSelectionError) -> [Int] {
        var pages: [Int] = []
        var seen = Set<Int>()
        for range in ranges {
            let last = range.last ?? pageCount
            for page in [range.first, last] where page > pageCount {
                throw PageSelectionError(
                    .outOfRange, "page \(page) is past the end: the document has \(pageCount) page\(pageCount == 1 ? "" : "s")")
            }
            for page in range.first...last where seen.insert(page).inserted {
                pages.append(page)
            }
        }
        return pages
    }

    public var description: String {
        ranges.map { range in
            switch range.last {
            case range.first: "\(range.first)"
            case nil: "\(range.first)-"
            case let last?: "\(range.first)-\(last)"
            }
        }.joined(separator: ",")
    }

    private static func range(_ raw: String, in text: String) throws(PageSelectionError) -> Range {
        let part = raw.trimmingWhitespace()
        func invalid(_ why: String) -> PageSelectionError {
            PageSelectionError(.invalid, "invalid page range '\(part)' in '\(text)': \(why)")
        }
        guard !part.isEmpty else {
            throw PageSelectionError(.invalid, "invalid page selection '\(text)': an empty part (write e.g. 1-3,7)")
        }
        let bounds = part.split(separator: "-", maxSplits: 2, omittingEmptySubsequences: false).map { String($0).trimmingWhitespace() }
        func number(_ text: String) throws(PageSelectionError) -> Int {
            guard !text.isEmpty, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let value = Int(text) else {
                throw invalid("'\(text)' is not a page number")
            }
            guard value >= 1 else { throw invalid("pages are numbered from 1") }
            return value
        }
        switch bounds.count {
        case 1:
            let page = try number(bounds[0])
            return Range(first: page, last: page)
        case 2:
            if bounds[0].isEmpty && bounds[1].isEmpty { throw invalid("a range needs a first or a last page") }
            let first = bounds[0].isEmpty ? 1 : try number(bounds[0])
            if bounds[1].isEmpty { return Range(first: first, last: nil) }
            let last = try number(bounds[1])
            guard first <= last else { throw invalid("the range runs backwards") }
            return Range(first: first, last: last)
        default:
            throw invalid("write a page (7) or a range (1-3, 5-, -2)")
        }
    }
}
