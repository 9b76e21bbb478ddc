import TestSupport
import XCTest

/// `vq batch --format csv` end to end, every file read back with Python's csv module: schema properties as columns,
/// arrays joined with '; ', RFC 4180 quoting, the header once, failed rows redone by `--resume`, and `output` as the
/// column without a schema.
final class BatchCSVEndToEndTests: EndToEndCase {
    static let tricky = "He said \"hi\", then\nleft"

    /// Rows as Python's csv module reads `path` (the header first).
    private func pythonRows(_ path: String, file: StaticString = #filePath, line: UInt = #line) throws -> [[String]] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import csv, json, sys; print(json.dumps(list(csv.reader(open(sys.argv[1], newline='')))))", path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "python3 could not read \(path)", file: file, line: line)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [[String]], file: file, line: line)
    }

    func testSchemaPropertiesBecomeColumnsAndResumeRedoesFailedRows() throws {
        try jpeg("a.jpg")
        _ = try png("b.png", width: 5, height: 5)
        try Data("not an image".utf8).write(to: directory.appendingPathComponent("c.jpg"))
        let server = try StructuredOutputStubServer(api: "openai", sampleText: Self.tricky)
        let arguments = [
            "batch", "--schema", "caption, tags [string], people int, outdoor bool", "--format", "csv", "--out", "out.csv",
            "Describe", "a.jpg", "b.png", "c.jpg",
        ]
        let first = try vq(arguments, baseURL: server.baseURL, extraConfig: "api = \"openai\"")
        XCTAssertEqual(first.status, 1, first.stderr)
        XCTAssertEqual(first.stdout, "", "--out takes the rows")
        let out = directory.appendingPathComponent("out.csv").path
        var rows = try pythonRows(out)
        XCTAssertEqual(rows.first, ["image", "caption", "tags", "people", "outdoor", "error"])
        XCTAssertEqual(rows.count, 4, "\(rows)")
        let answered = rows.dropFirst().filter { $0[0] != "c.jpg" }
        XCTAssertEqual(Set(answered.map { $0[0] }), ["a.jpg", "b.png"])
        for row in answered {
            XCTAssertEqual(row, [row[0], Self.tricky, Self.tricky + "; " + Self.tricky, "3", "true", ""])
        }
        let failed = try XCTUnwrap(rows.first { $0[0] == "c.jpg" })
        XCTAssertEqual(failed[1...4], ["", "", "", ""])
        XCTAssertEqual(failed[5], "c.jpg: not an image, PDF or video (plain text)")
        XCTAssertTrue(try String(contentsOfFile: out, encoding: .utf8).contains("\r\n"), "RFC 4180 line ends")

        try jpeg("c.jpg", width: 8, height: 8)
        let sent = server.requests.count
        let resumed = try vq(arguments + ["--resume"], baseURL: server.baseURL, extraConfig: "api = \"openai\"")
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertEqual(server.requests.count, sent + 1, "only the failed image is asked again")
        rows = try pythonRows(out)
        XCTAssertEqual(rows.filter { $0.first == "image" }.count, 1, "the header once: \(rows)")
        XCTAssertEqual(rows.count, 4, "\(rows)")
        XCTAssertEqual(Set(rows.dropFirst().map { $0[0] }), ["a.jpg", "b.png", "c.jpg"])
        XCTAssertTrue(rows.dropFirst().allSatisfy { $0[5] == "" }, "\(rows)")
    }

    func testAFileWithAnotherHeaderIsRefusedBeforeSending() throws {
        try jpeg("a.jpg")
        let server = try StructuredOutputStubServer(api: "openai")
        try "image,output,error\r\n".write(to: directory.appendingPathComponent("out.csv"), atomically: true, encoding: .utf8)
        let result = try vq(
            ["batch", "--schema", "caption", "--format", "csv", "--out", "out.csv", "Describe", "a.jpg"],
            baseURL: server.baseURL, extraConfig: "api = \"openai\"")
        XCTAssertEqual(result.status, 64, result.stderr)
        XCTAssertEqual(result.stderr, "vq: error: out.csv: its first row is not this run's CSV header (image,caption,error); give another --out file\n")
        XCTAssertTrue(server.requests.isEmpty)
    }

    func testWithoutASchemaTheAnswerIsTheOutputColumn() throws {
        try jpeg("a.jpg")
        let answer = Self.tricky
        let server = try LoopbackHTTPServer { _, writer in
            let body = try! JSONSerialization.data(withJSONObject: [
                "choices": [["index": 0, "message": ["role": "assistant", "content": answer], "finish_reason": "stop"]]
            ])
            writer.respond(status: 200, headers: [("Content-Type", "application/json")], body: body)
        }
        let result = try vq(["batch", "--format", "csv", "Describe", "a.jpg"], baseURL: server.baseURL)
        XCTAssertEqual(result.status, 0, result.stderr)
        let path = directory.appendingPathComponent("stdout.csv").path
        try result.stdout.write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertEqual(try pythonRows(path), [["image", "output", "error"], ["a.jpg", answer, ""]])
    }
}
