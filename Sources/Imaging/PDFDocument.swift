internal import CShims
import FoundationEssentials
import TextFormatting

/// An open PDF (poppler, loaded on first use): its pages' sizes, each page rendered for sending, a subset of its
/// pages as a new PDF. Owns poppler's document and frees it in `deinit`; use it from one thread at a time.
public final class PDFDocument {
    private let handle: OpaquePointer
    private let limits: DocumentLimits
    private let byteCount: Int
    /// Each page's size in points as displayed, read (and checked against the limits) when the file is opened.
    private let pageSizes: [(width: Double, height: Double)]

    /// The PDF trailer's end marker; a file whose last kilobyte lacks it was cut off (viewers look that far too).
    private static let endMarker = Data("%%EOF".utf8)
    private static let endMarkerWindow = 1024

    /// Opens the PDF in `data` and checks what it declares: an encrypted file (one that needs a password), a
    /// truncated or damaged one, more pages than `limits.maxPages`, or a page larger than `limits.maxPageSide`
    /// is refused before any page is rendered.
    public init(data: Data, limits: DocumentLimits = .default) throws(ImageError) {
        guard !data.isEmpty else { throw ImageError(.empty, "empty file") }
        var message = [CChar](repeating: 0, count: Int(VQ_IMAGE_MSG_SIZE))
        var opened: OpaquePointer? = nil
        let status = data.withUnsafeBytes { bytes in
            vq_pdf_open(bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count, &opened, &message)
        }
        guard status == VQ_PDF_OK, let opened else { throw Self.error(status, message) }
        do {
            pageSizes = try Self.checkedPageSizes(opened, data: data, limits: limits)
        } catch {
            vq_pdf_close(opened)
            throw error
        }
        handle = opened
        self.limits = limits
        byteCount = data.count
    }

    /// Every page's size, after checking that the file is whole and that its pages are within `limits`.
    private static func checkedPageSizes(
        _ handle: OpaquePointer, data: Data, limits: DocumentLimits
    ) throws(ImageError) -> [(width: Double, height: Double)] {
        guard data.suffix(endMarkerWindow).firstRange(of: endMarker) != nil else {
            throw ImageError(.corrupt, "truncated PDF: it does not end with %%EOF (the file was cut off)")
        }
        var message = [CChar](repeating: 0, count: Int(VQ_IMAGE_MSG_SIZE))
        let count = Int(vq_pdf_page_count(handle, &message))
        guard count > 0 else {
            let reason = message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            throw ImageError(.corrupt, "damaged PDF: no pages found\(reason.isEmpty ? "" : " (\(reason))")")
        }
        guard count <= limits.maxPages else {
            throw ImageError(.tooLarge, "the PDF has \(count) pages, over the limit of \(limits.maxPages)")
        }
        var sizes: [(width: Double, height: Double)] = []
        sizes.reserveCapacity(count)
        for index in 0..<count {
            var width = 0.0
            var height = 0.0
            guard vq_pdf_page_size(handle, Int32(index), &width, &height) != 0 else {
                throw ImageError(.corrupt, "damaged PDF: page \(index + 1) cannot be read")
            }
            try check(page: index + 1, width: width, height: height, limits: limits)
            sizes.append((width, height))
        }
        return sizes
    }

    deinit { vq_pdf_close(handle) }

    /// Pages, numbered 1...pageCount.
    public var pageCount: Int { pageSizes.count }

    /// The page's size in points as displayed (its /Rotate applied); `page` is 1-based.
    public func pageSize(_ page: Int) -> (width: Double, height: Double) {
        precondition((1...pageCount).contains(page), "page \(page) outside 1...\(pageCount)")
        return pageSizes[page - 1]
    }

    /// Renders the page (1-based) on white, directly at the size that fits the options' `maxSide` and `maxPixels`
    /// (at most `DocumentLimits.maxDPI`), then encodes it as an image is prepared: JPEG, or PNG when that is
    /// smaller, shrunk further to fit `maxEncodedBytes`. Only this page's pixels are held while it runs.
    public func renderPage(_ page: Int, options: PreparationOptions) throws(ImageError) -> PreparedImage {
        let points = pageSize(page)
        let size = renderSize(points, options: options)
        var pixels = PixelBuffer()
        var message = [CChar](repeating: 0, count: Int(VQ_IMAGE_MSG_SIZE))
        let status = vq_pdf_render(handle, Int32(page - 1), UInt32(size.width), UInt32(size.height), &pixels.raw, &message)
        guard status == VQ_PDF_OK else { throw Self.error(status, message, page: page) }
        let dpi = Double(size.longSide) * 72 / max(points.width, points.height)
        let note = "page \(page) (\(Self.format(points.width))x\(Self.format(points.height)) pt) rendered at \(Int(dpi.rounded())) dpi"
        var job = PreparationJob(renderedPage: pixels, documentByteCount: byteCount, options: options, notes: [note])
        pixels = PixelBuffer()  // the job holds the only reference, so its shrinking may free the full-size page
        return try job.run()
    }

    /// A new PDF holding only `pages` (1-based, in that order): each page drawn again as vector graphics and text
    /// (text stays text), as displayed.
    public func extractPages(_ pages: [Int]) throws(ImageError) -> Data {
        precondition(!pages.isEmpty, "extractPages needs at least one page")
        for page in pages { precondition((1...pageCount).contains(page), "page \(page) outside 1...\(pageCount)") }
        let indexes = pages.map { Int32($0 - 1) }
        var out = vq_image_buffer()
        defer { vq_image_buffer_free(&out) }
        var message = [CChar](repeating: 0, count: Int(VQ_IMAGE_MSG_SIZE))
        let status = indexes.withUnsafeBufferPointer { vq_pdf_extract(handle, $0.baseAddress, $0.count, &out, &message) }
        guard status == VQ_PDF_OK else { throw Self.error(status, message) }
        return Data(bytes: out.bytes, count: out.count)
    }

    /// The pixel size a page is rendered at: its size at `maxDPI`, fitted to the options' limits (a turned-off
    /// `resize` keeps `maxDPI`) and always to the decompression limits.
    func renderSize(_ points: (width: Double, height: Double), options: PreparationOptions) -> PixelSize {
        let scale = limits.maxDPI / 72
        let full = PixelSize(
            width: max(1, Int((points.width * scale).rounded())), height: max(1, Int((points.height * scale).rounded())))
        let sides = [options.resize ? options.maxSide : nil, options.limits.maxSide].compactMap { $0 }
        let pixels = [options.resize ? options.maxPixels : nil, options.limits.maxPixels].compactMap { $0 }
        return full.fitted(maxSide: sides.min(), maxPixels: pixels.min())
    }

    /// Refuses a page whose declared size is empty or over `maxPageSide` (a bomb: 10^6 x 10^6 points).
    private static func check(page: Int, width: Double, height: Double, limits: DocumentLimits) throws(ImageError) {
        let declared = "page \(page) declares \(format(width))x\(format(height)) points"
        guard width.isFinite, height.isFinite, width >= 1, height >= 1 else {
            throw ImageError(.corrupt, "damaged PDF: \(declared)")
        }
        guard width <= limits.maxPageSide, height <= limits.maxPageSide else {
            throw ImageError(.tooLarge, "\(declared), over the PDF maximum of \(format(limits.maxPageSide)) points a side")
        }
    }

    private static func error(_ status: vq_pdf_status, _ message: [CChar], page: Int? = nil) -> ImageError {
        let reason = message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        let which = page.map { "page \($0): " } ?? ""
        switch status {
        case VQ_PDF_ENCRYPTED: return ImageError(.unsupported, "encrypted PDF (a password is required)")
        case VQ_PDF_DAMAGED: return ImageError(.corrupt, "\(which)truncated or damaged PDF: \(reason)")
        case VQ_PDF_UNAVAILABLE: return ImageError(.unsupported, reason)
        default: return ImageError(.tooLarge, "\(which)\(reason)")
        }
    }

    /// Points without a needless fraction: "612", "595.3".
    private static func format(_ points: Double) -> String {
        points.rounded() == points && abs(points) < 1e15 ? String(Int(points)) : DecimalText.fixed(points, places: 1)
    }
}
