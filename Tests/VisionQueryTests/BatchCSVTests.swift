import Platform
import XCTest

@testable import VisionQuery

/// CSV rows: quoting, fields from a checked object, the reader's view of a torn last row, and the resume journal.
final class BatchCSVTests: XCTestCase {
    func testRowsQuoteOnlyWhereNeededAndJoinArrays() throws {
        let csv = BatchCSV(schema: try AnswerSchema.load("caption, tags [string], people int, extra", origin: "test"))
        XCTAssertEqual(String(decoding: csv.header, as: UTF8.self), "image,caption,tags,people,extra,error\r\n")
        var result = BatchResult(image: "dir/a, b.jpg")
        result.structuredOutput = try OrderedJSON.parse(#"{"caption":"say \"hi\"\nnow","tags":["x","y"],"people":2,"extra":null}"#)
        XCTAssertEqual(String(decoding: csv.row(for: result), as: UTF8.self), "\"dir/a, b.jpg\",\"say \"\"hi\"\"\nnow\",x; y,2,,\r\n")
        var failed = BatchResult(image: "c.jpg")
        failed.output = "raw"
        failed.error = VQError(.nonConforming, "the answer breaks the schema: $.people: expected integer, got string \"many\"")
        XCTAssertEqual(
            String(decoding: csv.row(for: failed), as: UTF8.self),
            "c.jpg,,,,,\"the answer breaks the schema: $.people: expected integer, got string \"\"many\"\"\"\r\n")
    }

    func testResumeKeepsTheHeaderAndGoodRowsAndDropsATornOne() {
        let csv = BatchCSV(schema: nil)
        let text = "image,output,error\r\na.jpg,\"two\r\nlines\",\r\nb.jpg,,HTTP 500\r\na.jpg,again,\r\nc.jpg,\"torn"
        let (answered, kept) = csv.journal(Data(text.utf8))
        XCTAssertEqual(String(decoding: kept, as: UTF8.self), "image,output,error\r\na.jpg,\"two\r\nlines\",\r\n")
        XCTAssertEqual(answered.count, 1)
        XCTAssertEqual(BatchCSV.records(Data(text.utf8)).map(\.fields.count), [3, 3, 3, 3], "the torn row is not a record")
    }

    func testFormulaCellsAreNeutralisedUnlessRawAndNULNeverReachesACell() {
        let csv = BatchCSV(schema: nil)
        for (answer, cell) in [
            ("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""), ("+1", "'+1"), ("-2", "'-2"),
            ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "\"'\rx\""), ("plain = fine", "plain = fine"), ("a\0b", "ab"),
        ] {
            var result = BatchResult(image: "a.jpg")
            result.output = answer
            XCTAssertEqual(String(decoding: csv.row(for: result), as: UTF8.self), "a.jpg,\(cell),\r\n", answer)
        }
        var result = BatchResult(image: "=evil.jpg")
        result.output = "=1+1\0"
        XCTAssertEqual(String(decoding: BatchCSV(schema: nil, neutralisesFormulas: false).row(for: result), as: UTF8.self), "=evil.jpg,=1+1,\r\n")
        let row = csv.row(for: result)
        XCTAssertEqual(String(decoding: row, as: UTF8.self), "'=evil.jpg,'=1+1,\r\n")
        var (answered, _) = csv.journal(csv.header + row)
        XCTAssertFalse(answered.insert(key: nil, image: "=evil.jpg"), "resume matches the neutralised row to its image")
    }
}
