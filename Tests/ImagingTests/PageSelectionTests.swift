import Imaging
import XCTest

final class PageSelectionTests: XCTestCase {
    func testParsesPagesRangesAndOpenEnds() throws {
        XCTAssertEqual(try PageSelection(parsing: "1-3,7").pages(inDocumentOf: 10), [1, 2, 3, 7])
        XCTAssertEqual(try PageSelection(parsing: "5-").pages(inDocumentOf: 7), [5, 6, 7])
        XCTAssertEqual(try PageSelection(parsing: "-2").pages(inDocumentOf: 7), [1, 2])
        XCTAssertEqual(try PageSelection(parsing: " 4 , 2 - 3 ").pages(inDocumentOf: 7), [4, 2, 3])
        XCTAssertEqual(try PageSelection(parsing: "3,1-4,3").pages(inDocumentOf: 7), [3, 1, 2, 4], "in the order given, each once")
        XCTAssertEqual(try PageSelection(parsing: "2-2").pages(inDocumentOf: 2), [2])
        XCTAssertEqual(try PageSelection(parsing: "1-3,7, 9-").description, "1-3,7,9-")
    }

    func testRefusesMalformedPartsNamingThem() {
        let cases: [(String, String)] = [
            ("1-3,x", "invalid page range 'x' in '1-3,x': 'x' is not a page number"),
            ("0-2", "invalid page range '0-2' in '0-2': pages are numbered from 1"),
            ("5-3", "invalid page range '5-3' in '5-3': the range runs backwards"),
            ("1,,2", "invalid page selection '1,,2': an empty part (write e.g. 1-3,7)"),
            ("", "invalid page selection '': an empty part (write e.g. 1-3,7)"),
            ("-", "invalid page range '-' in '-': a range needs a first or a last page"),
            ("1-2-3", "invalid page range '1-2-3' in '1-2-3': write a page (7) or a range (1-3, 5-, -2)"),
            ("+3", "invalid page range '+3' in '+3': '+3' is not a page number"),
            ("99999999999999999999", "invalid page range '99999999999999999999' in '99999999999999999999': '99999999999999999999' is not a page number"),
        ]
        for (text, message) in cases {
            XCTAssertThrowsError(try PageSelection(parsing: text), text) {
                XCTAssertEqual($0 as? PageSelectionError, PageSelectionError(.invalid, message))
            }
        }
    }

    func testPagesPastTheEndNameTheCount() throws {
        XCTAssertThrowsError(try PageSelection(parsing: "1-3,12").pages(inDocumentOf: 10)) {
            XCTAssertEqual($0 as? PageSelectionError, PageSelectionError(.outOfRange, "page 12 is past the end: the document has 10 pages"))
        }
        XCTAssertThrowsError(try PageSelection(parsing: "4-").pages(inDocumentOf: 1)) {
            XCTAssertEqual($0 as? PageSelectionError, PageSelectionError(.outOfRange, "page 4 is past the end: the document has 1 page"))
        }
    }
}
