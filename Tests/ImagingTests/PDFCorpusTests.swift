import Foundation
import Imaging
import TestSupport
import XCTest

/// PDFs other writers made, from pdf.js's test corpus (Tests/Fixtures/pdf.js, licence in its README).
final class PDFCorpusTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/pdf.js")

    static func fixture(_ name: String) throws -> Data { try Data(contentsOf: fixtures.appendingPathComponent(name)) }

    func testRotatedSecondPageComesOutLandscapeWithItsText() throws {
        let data = try Self.fixture("rotation.pdf")
        let pdf = try PDFDocument(data: data, limits: .default)
        XCTAssertEqual(pdf.pageCount, 2)
        let portrait = try pdf.renderPage(1, options: PreparationOptions(maxSide: 1568))
        let landscape = try pdf.renderPage(2, options: PreparationOptions(maxSide: 1568))
        XCTAssertEqual([portrait.width, portrait.height], [1212, 1568])
        XCTAssertEqual([landscape.width, landscape.height], [1568, 1212])
        // The text runs along the long side of the landscape page: ink in its top band, read left to right.
        let pixels = try ImageDecoder.decodeRGB(landscape.data)
        XCTAssertTrue(PDFDocumentTests.hasInk(pixels, xs: 0..<1568, ys: 0..<400))
        let text = try TestPDF.text(of: pdf.extractPages([2]))
        XCTAssertTrue(text.contains("This is my second page. It will have a landscape layout."), text)
        XCTAssertFalse(text.contains("first page"), text)
    }

    func testTransparencyRendersOnWhite() throws {
        let pdf = try PDFDocument(data: try Self.fixture("alphatrans.pdf"), limits: .default)
        let page = try pdf.renderPage(1, options: PreparationOptions(maxSide: 800))
        XCTAssertEqual(page.height, 800)
        let pixels = try ImageDecoder.decodeRGB(page.data)
        XCTAssertEqual(pixels.channels, 3, "pages are opaque")
        XCTAssertTrue(PDFDocumentTests.isWhite(pixels, x: 2, y: 2), "the page's corner is white, not black or transparent")
        let coloured = stride(from: 0, to: pixels.height, by: 4).contains { y in
            stride(from: 0, to: pixels.width, by: 4).contains { x in
                let p = pixels.pixel(x: x, y: y)
                return Int(p.max()!) - Int(p.min()!) > 100
            }
        }
        XCTAssertTrue(coloured, "the translucent red, green and blue shapes are drawn")
    }

    func testEmbeddedFontRendersAndStaysTextWhenExtracted() throws {
        let pdf = try PDFDocument(data: try Self.fixture("Embedded_font.pdf"), limits: .default)
        XCTAssertEqual(pdf.pageSize(1).width, 792)
        let pixels = try ImageDecoder.decodeRGB(try pdf.renderPage(1, options: PreparationOptions(maxSide: 792)).data)
        XCTAssertTrue(PDFDocumentTests.hasInk(pixels, xs: 0..<792, ys: 0..<612))
        XCTAssertTrue(try TestPDF.text(of: pdf.extractPages([1])).contains("除"))
    }
}
