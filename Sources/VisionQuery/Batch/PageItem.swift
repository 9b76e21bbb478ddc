import FoundationEssentials
import Imaging

/// `vq batch --per-page`: one item per page of a PDF, named `report.pdf#p3` (its line's `image` and the end of its
/// key), so each page is sent, written, sharded and resumed on its own.
public enum PageItem {
    /// `report.pdf#p3`.
    public static func name(_ path: String, page: Int) -> String { "\(path)#p\(page)" }

    /// The document and page of a page item's name; nil for anything else.
    public static func split(_ name: String) -> (path: String, page: Int)? {
        guard let mark = name.ranges(of: "#p").last, let page = Int(name[mark.upperBound...]), page > 0 else { return nil }
        return (String(name[..<mark.lowerBound]), page)
    }

    /// The pages a local PDF's items are made of (`--pages` applied); nil for anything that is not a PDF that opens
    /// (its own line then says why).
    static func pages(of path: String, selection: PageSelection?) -> [Int]? {
        guard !InputLoader.isURL(path), InputLoader.sniffedKind(path)?.documentFormat != nil,
            let data = FileManager.default.contents(atPath: path), let document = try? PDFDocument(data: data)
        else { return nil }
        let all = Array(1...document.pageCount)
        return (try? selection?.pages(inDocumentOf: document.pageCount)) ?? all
    }
}
