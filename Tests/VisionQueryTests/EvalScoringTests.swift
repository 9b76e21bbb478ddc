import XCTest

@testable import VisionQuery

/// Each expectation kind of `vq eval` on passing and failing answers, the cases file's checks, the judge's verdicts,
/// the journal used to resume, and the score table.
final class EvalScoringTests: XCTestCase {
    private func expectation(_ json: String) throws -> EvalExpectation {
        try EvalCase.parse(#"{"prompt":"q","expect":"# + json + "}", number: 1) { VQError(.badInput, $0) }.expectation
    }

    func testExactAndContains() throws {
        let exact = try expectation(#"{"exact":"Blue"}"#)
        XCTAssertTrue(exact.verdict(for: "  Blue\n").passed)
        XCTAssertEqual(exact.verdict(for: "blue"), .fail("expected exactly \"Blue\""))
        XCTAssertTrue(try expectation(#"{"exact":"Blue","ignore_case":true}"#).verdict(for: "BLUE").passed)
        let contains = try expectation(#"{"contains":["cat","mat"]}"#)
        XCTAssertTrue(contains.verdict(for: "The Cat sat on the MAT.").passed)
        XCTAssertEqual(contains.verdict(for: "The cat sat."), .fail("does not contain \"mat\""))
    }

    func testRegexAndNumeric() throws {
        let regex = try expectation(#"{"regex":"^\\d{4}-\\d{2}-\\d{2}$"}"#)
        XCTAssertTrue(regex.verdict(for: "2026-12-06").passed)
        XCTAssertFalse(regex.verdict(for: "6 Dec 2026").passed)
        let numeric = try expectation(#"{"numeric":1234.5,"tolerance":0.5}"#)
        XCTAssertTrue(numeric.verdict(for: "The meter reads 1,234.9 kWh").passed)
        XCTAssertEqual(numeric.verdict(for: "It reads 1236 kWh"), .fail("1236 is not within 0.5 of 1234.5"))
        XCTAssertEqual(numeric.verdict(for: "unreadable"), .fail("no number in the answer (expected 1234.5)"))
        XCTAssertTrue(try expectation(#"{"numeric":-3}"#).verdict(for: "-3 degrees").passed)
    }

    func testSchemaAndFields() throws {
        let schema = try expectation(#"{"schema":"caption, people int"}"#)
        XCTAssertTrue(schema.verdict(for: #"{"caption":"Two men","people":2}"#).passed)
        XCTAssertTrue(schema.verdict(for: #"{"caption":"Two men","people":"two"}"#).reason?.contains("breaks the schema") == true)
        let fields = try expectation(#"{"fields":{"colour":"red","count":3}}"#)
        XCTAssertTrue(fields.verdict(for: "```json\n{\"count\": 3.0, \"colour\": \" Red \", \"extra\": true}\n```").passed)
        XCTAssertEqual(fields.verdict(for: #"{"colour":"red","count":4}"#), .fail("field 'count' is 4, expected 3"))
        XCTAssertEqual(fields.verdict(for: #"{"colour":"red"}"#), .fail("field 'count' is missing"))
        XCTAssertEqual(fields.verdict(for: "red, 3"), .fail("the answer is not a JSON object"))
    }

    func testCasesFileErrorsNameTheLine() {
        func error(_ text: String) -> String? {
            do {
                _ = try EvalCaseFile.parse(text, path: "cases.jsonl")
                return nil
            } catch { return error.message }
        }
        XCTAssertEqual(
            error(#"{"prompt":"q","expect":{"exactly":"a"}}"#),
            "cases.jsonl:1: unknown expectation 'exactly'; did you mean 'exact'? (expected one of exact, contains, regex, numeric, schema, fields, judge)")
        XCTAssertEqual(error("\n# comment\n{\"expect\":{\"exact\":\"a\"}}"), "cases.jsonl:3: needs a prompt or a template")
        XCTAssertEqual(error(#"{"prompt":"q","expect":{"regex":"("}}"#), "cases.jsonl:1: expect.regex is not a valid regular expression: (")
        XCTAssertEqual(error(#"{"prompt":"q","expcet":{}}"#), "cases.jsonl:1: unknown key 'expcet'; did you mean 'expect'?")
        XCTAssertEqual(
            error("{\"id\":\"a\",\"prompt\":\"q\",\"expect\":{\"exact\":\"x\"}}\n{\"id\":\"a\",\"prompt\":\"q\",\"expect\":{\"exact\":\"x\"}}"),
            "cases.jsonl:2: case id 'a' is used on line 1 too")
        XCTAssertEqual(error(""), "cases.jsonl: no cases (one JSON object per line)")
        XCTAssertEqual(error("[1]"), "cases.jsonl:1: each line must be a JSON object")
    }

    func testImagePathsAreRelativeToTheCasesFile() throws {
        let cases = try EvalCaseFile.parse(
            #"{"images":["a.jpg","/abs/b.png","https://example.org/c.jpg"],"prompt":"q","expect":{"exact":"x"}}"#, path: "suite/cases.jsonl")
        XCTAssertEqual(cases[0].images, ["suite/a.jpg", "/abs/b.png", "https://example.org/c.jpg"])
        XCTAssertEqual(cases[0].id, "1")
    }

    func testJudgeVerdicts() {
        XCTAssertEqual(EvalJudge.verdict("PASS\nIt names the dog."), .pass)
        XCTAssertEqual(EvalJudge.verdict("**Fail**: the colour is wrong"), .fail("judge: **Fail**: the colour is wrong"))
        XCTAssertEqual(EvalJudge.verdict("FAIL\nThe colour is wrong."), .fail("judge: The colour is wrong."))
        XCTAssertNil(EvalJudge.verdict("Maybe"))
        XCTAssertTrue(EvalJudge.prompt(question: "Q?", answer: "A.", criteria: "C").contains("Criteria for a passing answer: C"))
    }

    func testJournalKeepsScoredPairsAndDropsErrorsAndATornLine() throws {
        var passed = EvalResult(caseID: "1", profile: "a", kind: "exact")
        passed.verdict = .pass
        passed.cost = Cost(usd: 0.002, prices: "bundled 2026-12-06")
        var failed = EvalResult(caseID: "2", profile: "a", kind: "exact")
        failed.verdict = .fail("expected exactly \"x\"")
        var errored = EvalResult(caseID: "1", profile: "b", kind: "exact")
        errored.error = "HTTP 500"
        var data = passed.jsonLine() + failed.jsonLine() + errored.jsonLine()
        data.append(contentsOf: Array(#"{"case":"2","profile":"b","#.utf8))
        let (done, kept) = EvalJournal.read(data)
        XCTAssertEqual(done, [EvalPair(caseID: "1", profile: "a"), EvalPair(caseID: "2", profile: "a")])
        XCTAssertEqual(kept, passed.jsonLine() + failed.jsonLine())
        let back = EvalJournal.results(kept)
        XCTAssertEqual(back.map(\.passed), [true, false])
        XCTAssertEqual(back[0].cost?.usd, 0.002)
    }

    func testScoreboard() {
        func result(_ id: String, _ profile: String, passed: Bool, usd: Double?, latency: Double) -> EvalResult {
            var result = EvalResult(caseID: id, profile: profile, kind: "exact")
            result.verdict = passed ? .pass : .fail("no")
            result.latency = latency
            result.usage = Usage(promptTokens: 100, completionTokens: 10)
            result.cost = usd.map { Cost(usd: $0, prices: "bundled d") } ?? Cost(unknown: "no price")
            return result
        }
        let board = EvalScoreboard(
            profiles: ["a", "b"],
            results: [
                result("1", "a", passed: true, usd: 0.001, latency: 1), result("2", "a", passed: false, usd: 0.003, latency: 3),
                result("1", "b", passed: true, usd: nil, latency: 0.5), result("2", "b", passed: true, usd: nil, latency: 0.5),
            ])
        XCTAssertEqual(board.rows.map(\.passRate), [0.5, 1])
        XCTAssertEqual(board.lowestPassRate, 0.5)
        XCTAssertEqual(board.table[1], ["a", "1/2", "50.0%", "0", "2.00 s", "200/20", "$0.004"])
        XCTAssertEqual(board.table[2].last, "unknown")
    }
}
