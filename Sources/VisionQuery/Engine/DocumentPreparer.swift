import FoundationEssentials
import Imaging
import Platform
import TextFormatting

/// Turns the bytes of a PDF into an input's parts by the policy: the whole document (only the selected pages) for a
/// service that reads PDFs, else each selected page rendered through the image preparation (its own -v line, the
/// same size and byte limits as any image). A PDF that is encrypted, truncated, damaged or a bomb is refused (65)
/// before anything is sent. Poppler is loaded only here, so a query without a PDF never loads it.
struct DocumentPreparer: Sendable {
    var policy: DocumentPolicy
    /// The preparation of one inline image; rendered pages share the request's byte budget among themselves.
    let preparation: PreparationOptions
    /// Whether `preparation.maxEncodedBytes` is a share of the request's byte limit (then split among the pages).
    let sharesRequestBudget: Bool

    /// `pageRendered` is told (page, of pages) after each page rendered.
    func prepare(_ data: Data, source: String, label: String, pageRendered: ((Int, Int) -> Void)? = nil) throws(VQError) -> Input {
        let document: PDFDocument
        do { document = try PDFDocument(data: data) } catch { throw VQError(.badInput, "\(label): \(error.message)") }
        let all = Array(1...document.pageCount)
        let pages: [Int]
        do throws(PageSelectionError) { pages = try policy.pages?.pages(inDocumentOf: document.pageCount) ?? all } catch {
            throw VQError(.usage, "\(label): --pages \(policy.pages?.description ?? ""): \(error.message)")
        }
        var notes: [String] = []
        if policy.route == .native {
            let whole = pages == all ? data : try extract(pages, from: document, label: label)
            guard let reason = policy.overLimit(pages: pages.count, bytes: whole.count) else {
                let name = source == "-" ? "stdin.pdf" : PathText.lastComponent(source)
                let sizes = pages.map { page in
                    let points = document.pageSize(page)
                    return PageSize(width: Int(points.width.rounded()), height: Int(points.height.rounded()))
                }
                let info = DocumentInfo(
                    fileName: name.isEmpty ? "document.pdf" : name, pageCount: pages.count, pageSizes: sizes, pageNumbers: pages)
                var input = Input(source: source, medium: .document, parts: [InputPart(source: source, content: .document(data: whole, info: info))])
                input.route = "\(Self.describe(pages, of: document.pageCount)) sent whole as a PDF (\(ByteCountText.format(whole.count)))"
                return input
            }
            guard policy.rendersOverLimits else {
                throw VQError(.badInput, "\(label): \(reason); choose pages with --pages (or send them rendered: --pdf render)")
            }
            notes.append("\(reason): its pages are sent rendered instead (--pages sends fewer)")
        }
        var options = preparation
        if sharesRequestBudget, let cap = options.maxEncodedBytes { options.maxEncodedBytes = max(1, cap / pages.count) }
        var parts: [InputPart] = []
        for (index, page) in pages.enumerated() {
            do {
                let prepared = try document.renderPage(page, options: options)
                let info = ImageInfo(format: prepared.format, width: prepared.width, height: prepared.height)
                parts.append(InputPart(source: source, content: .image(data: prepared.data, info: info), page: page, preparation: prepared))
            } catch {
                throw VQError(.badInput, "\(label): \(error.message)")
            }
            pageRendered?(index + 1, pages.count)
        }
        var input = Input(source: source, medium: .document, parts: parts)
        input.notes = notes
        let bytes = parts.compactMap(\.inlineByteCount).reduce(0, +)
        input.route = "\(Self.describe(pages, of: document.pageCount)) rendered as \(parts.count) image(s) (\(ByteCountText.format(bytes)))"
        return input
    }

    /// "all 3 pages", "pages 1, 2, 5 of 12".
    static func describe(_ pages: [Int], of count: Int) -> String {
        if pages == Array(1...count) { return count == 1 ? "its 1 page" : "all \(count) pages" }
        return "page\(pages.count == 1 ? "" : "s") \(pages.map(String.init).joined(separator: ", ")) of \(count)"
    }

    /// The parts with each PDF sent whole replaced by its pages rendered as images, numbered as in the user's file
    /// (after the service refused the file part).
    func renderingDocuments(_ parts: [InputPart]) throws(VQError) -> [InputPart] {
        var all = self
        all.policy.pages = nil
        all.policy.route = .render
        var rendered: [InputPart] = []
        for part in parts {
            guard case .document(let data, let info) = part.content else {
                rendered.append(part)
                continue
            }
            for (index, page) in try all.prepare(data, source: part.source, label: part.name).parts.enumerated() {
                rendered.append(InputPart(source: page.source, content: page.content, page: info.pageNumbers[index], preparation: page.preparation))
            }
        }
        return rendered
    }

    /// Every page of a PDF kept in a conversation, rendered as `data:` URLs, for a service that reads no PDFs.
    func pageImages(_ data: Data, label: String) throws(VQError) -> [String] {
        var all = self
        all.policy.pages = nil
        all.policy.route = .render
        return try all.prepare(data, source: label, label: label).parts.compactMap { part in
            guard case .image(let bytes, let info) = part.content else { return nil }
            return "data:\(info.format.mimeType);base64,\(bytes.base64EncodedString())"
        }
    }

    private func extract(_ pages: [Int], from document: PDFDocument, label: String) throws(VQError) -> Data {
        do { return try document.extractPages(pages) } catch { throw VQError(.badInput, "\(label): cannot cut pages \(pages): \(error.message)") }
    }
}
