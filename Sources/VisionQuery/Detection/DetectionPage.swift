import FoundationEssentials
import Imaging

/// A PDF page as `vq detect`'s image: vq renders it (never sends the file whole), so its original is the page at vq's
/// render size, and coordinates are in that raster's pixels; `dpi` says how they relate to the page's points.
struct DetectionPage {
    let number: Int
    /// Pixels per inch of the raster (72 points an inch).
    let dpi: Double

    /// The one page a PDF file argument selects (`--pages`), found before anything is sent; nil for other inputs.
    static func selected(in path: String, pages: PageSelection?) throws(VQError) -> Int? {
        guard path != "-", let numbers = PageItem.pages(of: path, selection: pages) else { return nil }
        guard numbers.count == 1 else {
            throw VQError(
                .usage,
                "vq detect: \(path) has \(numbers.count) pages\(pages == nil ? "" : " selected"); it finds things in one image: choose one page with --pages N")
        }
        return numbers[0]
    }

    /// The page of `document` rendered at `raster` as `raster` was (same preparation options, no byte limit, so no
    /// further shrinking), decoded for drawing on.
    static func render(_ document: Data, page: Int, options: PreparationOptions, raster: PixelSize) throws(VQError) -> DecodedImage {
        var options = options
        options.maxEncodedBytes = nil
        do throws(ImageError) {
            let pdf = try PDFDocument(data: document, limits: .default)
            let image = try ImageDecoder.decodeRGB(try pdf.renderPage(page, options: options).data)
            guard image.width == raster.width && image.height == raster.height else {
                throw ImageError(.tooLarge, "page \(page) renders at \(image.width)x\(image.height) now, not \(raster)")
            }
            return image
        } catch {
            throw VQError(.badInput, "page \(page): cannot render it again to draw on: \(error.message)")
        }
    }

    /// The raster's pixels per inch for `page` of `document`.
    static func dpi(_ document: Data, page: Int, raster: PixelSize) -> Double? {
        guard let pdf = try? PDFDocument(data: document, limits: .default), (1...pdf.pageCount).contains(page) else { return nil }
        let points = pdf.pageSize(page)
        return Double(max(raster.width, raster.height)) * 72 / max(points.width, points.height)
    }
}
