import Foundation
import Imaging
import TestSupport
import XCTest

final class PDFDocumentTests: XCTestCase {
    /// Three letter pages: text and the picture; text only; the picture turned by /Rotate 90.
    static let threePages = TestPDF.make([
        TestPDF.Page(text: "Invoice total 42", image: true),
        TestPDF.Page(text: "Second page"),
        TestPDF.Page(rotate: 90, text: "Turned", image: true),
    ])

    func testReadsPageCountAndSizesAsDisplayed() throws {
        let pdf = try PDFDocument(data: Self.threePages, limits: .default)
        XCTAssertEqual(pdf.pageCount, 3)
        XCTAssertEqual(pdf.pageSize(1).width, 612)
        XCTAssertEqual(pdf.pageSize(1).height, 792)
        XCTAssertEqual(pdf.pageSize(3).width, 792, "/Rotate 90 shows the page landscape")
        XCTAssertEqual(pdf.pageSize(3).height, 612)
    }

    func testRendersDirectlyAtTheSizeThatFitsWithTextSquareAndPicture() throws {
        let pdf = try PDFDocument(data: Self.threePages, limits: .default)
        // 792 pixels on the long side: one pixel a point, so the page's drawing lands where the test put it.
        let page = try pdf.renderPage(1, options: PreparationOptions(maxSide: 792))
        XCTAssertEqual([page.width, page.height], [612, 792])
        XCTAssertTrue(page.reencoded)
        XCTAssertEqual(page.originalByteCount, Self.threePages.count)
        XCTAssertTrue(page.notes.contains("page 1 (612x792 pt) rendered at 72 dpi"), "\(page.notes)")
        let pixels = try ImageDecoder.decodeRGB(page.data)
        XCTAssertEqual([pixels.width, pixels.height], [612, 792])
        XCTAssertTrue(Self.isDark(pixels, x: 108, y: 792 - 108), "the square at the bottom left")
        XCTAssertTrue(Self.isWhite(pixels, x: 400, y: 700), "the white page around it")
        XCTAssertTrue(Self.hasInk(pixels, xs: 72..<400, ys: 60..<100), "the text line near the top")
        XCTAssertTrue(Self.matches(pixels, x: 356, y: 792 - 450, TestPDF.imageColours[0]), "the picture's red corner")
        XCTAssertTrue(Self.matches(pixels, x: 456, y: 792 - 350, TestPDF.imageColours[3]), "the picture's yellow corner")
    }

    func testRotatedPageComesOutLandscapeTurnedClockwise() throws {
        let pdf = try PDFDocument(data: Self.threePages, limits: .default)
        let page = try pdf.renderPage(3, options: PreparationOptions(maxSide: 792))
        XCTAssertEqual([page.width, page.height], [792, 612])
        let pixels = try ImageDecoder.decodeRGB(page.data)
        // /Rotate 90 turns the page clockwise: its bottom-left square shows at the top left, and the picture's
        // red top-left corner at its top right.
        XCTAssertTrue(Self.isDark(pixels, x: 108, y: 108), "the square at the top left")
        XCTAssertTrue(Self.isWhite(pixels, x: 108, y: 612 - 108))
        XCTAssertTrue(Self.matches(pixels, x: 450, y: 356, TestPDF.imageColours[0]), "red, turned to the top right")
        XCTAssertTrue(Self.matches(pixels, x: 350, y: 456, TestPDF.imageColours[3]), "yellow, turned to the bottom left")
    }

    func testRenderSizeFitsMaxSideMaxPixelsAndTheDPICeiling() throws {
        let pdf = try PDFDocument(data: Self.threePages, limits: .default)
        let anthropic = try pdf.renderPage(1, options: PreparationOptions(maxSide: 1568))
        XCTAssertEqual([anthropic.width, anthropic.height], [1212, 1568])
        let byPixels = try pdf.renderPage(2, options: PreparationOptions(maxPixels: 1_200_000))
        XCTAssertLessThanOrEqual(byPixels.width * byPixels.height, 1_200_000)
        XCTAssertGreaterThan(byPixels.width * byPixels.height, 1_150_000)
        XCTAssertEqual(Double(byPixels.width) / Double(byPixels.height), 612.0 / 792.0, accuracy: 0.01)
        // No limit from the options: the page at 100 dpi (the document limit), not blown up.
        let small = try PDFDocument(data: Self.threePages, limits: DocumentLimits(maxDPI: 100))
        let unlimited = try small.renderPage(1, options: PreparationOptions())
        XCTAssertEqual([unlimited.width, unlimited.height], [850, 1100])
        let landscape = try pdf.renderPage(3, options: PreparationOptions(maxSide: 1000))
        XCTAssertEqual([landscape.width, landscape.height], [1000, 773])
    }

    func testPagesGoAsJPEGUnlessPNGIsSmaller() throws {
        let pdf = try PDFDocument(data: Self.threePages, limits: .default)
        let withPicture = try pdf.renderPage(1, options: PreparationOptions(maxSide: 1568))
        let png = try pdf.renderPage(2, options: PreparationOptions(maxSide: 1568))
        // Flat black and white: PNG compresses it far better than JPEG, and says so in a -v note.
        XCTAssertEqual(png.format, .png)
        XCTAssertTrue(png.notes.contains { $0.hasPrefix("PDF page sent as PNG (") && $0.hasSuffix(" smaller than JPEG)") }, "\(png.notes)")
        XCTAssertTrue([ImageFormat.png, .jpeg].contains(withPicture.format))
        let photo = try PDFDocument(data: Self.photoPDF, limits: .default)
        let jpeg = try photo.renderPage(1, options: PreparationOptions(maxSide: 1568))
        XCTAssertEqual(jpeg.format, .jpeg, "a page-filling photo goes as JPEG")
        XCTAssertFalse(jpeg.notes.contains { $0.contains("sent as") }, "\(jpeg.notes)")
    }

    func testShrinksAPageFurtherToFitTheByteCap() throws {
        let photo = try PDFDocument(data: Self.photoPDF, limits: .default)
        let full = try photo.renderPage(1, options: PreparationOptions(maxSide: 1568))
        let cap = base64Length(full.data.count) / 3
        let capped = try photo.renderPage(1, options: PreparationOptions(maxSide: 1568, maxEncodedBytes: cap))
        XCTAssertLessThanOrEqual(base64Length(capped.data.count), cap)
        XCTAssertLessThan(capped.width, full.width)
        XCTAssertTrue(capped.notes.contains { $0.hasPrefix("shrunk further") }, "\(capped.notes)")
    }

    func testNoResizeRendersAtTheDPICeilingAndRefusesOverTheCap() throws {
        let pdf = try PDFDocument(data: Self.threePages, limits: DocumentLimits(maxDPI: 144))
        let page = try pdf.renderPage(2, options: PreparationOptions(maxSide: 500, resize: false))
        XCTAssertEqual([page.width, page.height], [1224, 1584])
        let photo = try PDFDocument(data: Self.photoPDF, limits: .default)
        XCTAssertThrowsError(try photo.renderPage(1, options: PreparationOptions(resize: false, maxEncodedBytes: 10_000))) {
            let error = $0 as! ImageError
            XCTAssertEqual(error.kind, .tooLarge)
            XCTAssertTrue(error.message.hasSuffix("and resizing is off"), error.message)
        }
    }

    func testExtractsExactlyTheChosenPagesAsTextNotPictures() throws {
        let pdf = try PDFDocument(data: Self.threePages, limits: .default)
        let subset = try pdf.extractPages([3, 1])
        let extracted = try PDFDocument(data: subset, limits: .default)
        XCTAssertEqual(extracted.pageCount, 2)
        XCTAssertEqual(extracted.pageSize(1).width, 792, "page 3 as displayed: landscape")
        XCTAssertEqual(extracted.pageSize(1).height, 612)
        XCTAssertEqual(extracted.pageSize(2).width, 612)
        let text = try TestPDF.text(of: subset)
        XCTAssertTrue(text.contains("Turned"), text)
        XCTAssertTrue(text.contains("Invoice total 42"), text)
        XCTAssertFalse(text.contains("Second page"), text)
        XCTAssertLessThan(text.range(of: "Turned")!.lowerBound, text.range(of: "Invoice")!.lowerBound, "in the order asked")
        // The extracted page renders like the original one.
        let again = try ImageDecoder.decodeRGB(try extracted.renderPage(1, options: PreparationOptions(maxSide: 792)).data)
        XCTAssertTrue(Self.isDark(again, x: 108, y: 108))
        XCTAssertTrue(Self.matches(again, x: 450, y: 356, TestPDF.imageColours[0]))
    }

    func testRefusesAnEncryptedPDF() throws {
        let locked = try TestPDF.encrypted(Self.threePages, password: "secret")
        XCTAssertEqual(ImageSniffer.sniff(locked).documentFormat, .pdf)
        XCTAssertThrowsError(try PDFDocument(data: locked, limits: .default)) {
            XCTAssertEqual($0 as? ImageError, ImageError(.unsupported, "encrypted PDF (a password is required)"))
        }
    }

    func testRefusesTruncatedAndDamagedPDFs() throws {
        // Cut in the middle, poppler cannot read it and says why.
        XCTAssertThrowsError(try PDFDocument(data: Self.threePages.prefix(Self.threePages.count / 2), limits: .default)) {
            let error = $0 as! ImageError
            XCTAssertEqual(error.kind, .corrupt)
            XCTAssertTrue(error.message.hasPrefix("truncated or damaged PDF: PDF document is damaged ("), error.message)
        }
        // Cut just before the end marker, poppler would read it (and would mend worse cuts in silence).
        XCTAssertThrowsError(try PDFDocument(data: Self.threePages.dropLast(6), limits: .default)) {
            XCTAssertEqual($0 as? ImageError, ImageError(.corrupt, "truncated PDF: it does not end with %%EOF (the file was cut off)"))
        }
        let garbage = Data("%PDF-1.7\nnothing here but words\n%%EOF\n".utf8)
        XCTAssertThrowsError(try PDFDocument(data: garbage, limits: .default)) {
            XCTAssertEqual(
                $0 as? ImageError,
                ImageError(.corrupt, "truncated or damaged PDF: PDF document is damaged (Couldn't find trailer dictionary)"))
        }
        XCTAssertThrowsError(try PDFDocument(data: Data(), limits: .default)) {
            XCTAssertEqual($0 as? ImageError, ImageError(.empty, "empty file"))
        }
    }

    func testRefusesABombFromWhatItDeclares() throws {
        let huge = TestPDF.make([TestPDF.Page(), TestPDF.Page(width: 1_000_000, height: 1_000_000)])
        XCTAssertThrowsError(try PDFDocument(data: huge, limits: .default)) {
            XCTAssertEqual(
                $0 as? ImageError,
                ImageError(.tooLarge, "page 2 declares 1000000x1000000 points, over the PDF maximum of 14400 points a side"))
        }
        let many = TestPDF.make(Array(repeating: TestPDF.Page(), count: 30))
        XCTAssertThrowsError(try PDFDocument(data: many, limits: DocumentLimits(maxPages: 20))) {
            XCTAssertEqual($0 as? ImageError, ImageError(.tooLarge, "the PDF has 30 pages, over the limit of 20"))
        }
        XCTAssertEqual(try PDFDocument(data: many, limits: DocumentLimits(maxPages: 30)).pageCount, 30)
        // A page tree that claims 100,000 pages but holds one: never taken at its word.
        let lying = TestPDF.make([TestPDF.Page()], declaredCount: 100_000)
        XCTAssertThrowsError(try PDFDocument(data: lying, limits: .default)) {
            XCTAssertEqual(
                $0 as? ImageError,
                ImageError(.corrupt, "damaged PDF: no pages found (Page count (100000) larger than number of objects (7))"))
        }
    }

    /// One letter page filled with a noisy photo (a JPEG image), which only JPEG compresses well.
    static let photoPDF = TestPDF.make([
        TestPDF.Page(
            photo: (
                try! ImageEncoder.encodeJPEG(pixels: PreparationImages.photo(width: 850, height: 1100), width: 850, height: 1100, channels: 3, quality: 92),
                850, 1100
            ))
    ])

    func base64Length(_ count: Int) -> Int { 4 * ((count + 2) / 3) }

    // MARK: pixels

    static func isDark(_ image: DecodedImage, x: Int, y: Int) -> Bool { image.pixel(x: x, y: y).allSatisfy { $0 < 60 } }
    static func isWhite(_ image: DecodedImage, x: Int, y: Int) -> Bool { image.pixel(x: x, y: y).allSatisfy { $0 > 240 } }

    static func matches(_ image: DecodedImage, x: Int, y: Int, _ colour: [UInt8]) -> Bool {
        zip(image.pixel(x: x, y: y), colour).allSatisfy { abs(Int($0) - Int($1)) < 40 }
    }

    /// Some pixel in the area is dark (glyphs drawn).
    static func hasInk(_ image: DecodedImage, xs: Range<Int>, ys: Range<Int>) -> Bool {
        ys.contains { y in xs.contains { x in image.pixel(x: x, y: y).allSatisfy { $0 < 100 } } }
    }
}
