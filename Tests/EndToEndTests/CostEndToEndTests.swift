import Foundation
import TestSupport
import XCTest

/// Cost in money through the binary, against the OpenAI stub (which reports 10 + images prompt tokens and 7 completion
/// tokens): `--json`, batch lines and summary, the log and `vq logs --cost`; unknown is "unknown", never 0.
final class CostEndToEndTests: EndToEndCase {
    private var server: OpenAIStubServer!
    /// $1000 / $2000 per million tokens: one image costs 11 × 0.001 + 7 × 0.002 = $0.025.
    private let prices = "\n[prices.\"stub-vision-1\"]\ninput = 1000\noutput = 2000\n"
    private var logPath: String { directory.appendingPathComponent("logs.db").path }

    override func setUpWithError() throws {
        try super.setUpWithError()
        server = try OpenAIStubServer()
        for name in ["a.png", "b.png", "c.png"] { _ = try png(name) }
    }

    override func tearDownWithError() throws {
        server.stop()
        try super.tearDownWithError()
    }

    private func object(_ text: String) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], text)
    }

    func testQueryJSONHasTheCostOrUnknown() throws {
        let priced = try vq(["--json", "Describe", "a.png"], server: server, extraConfig: prices, env: ["VQ_LOG_DB": logPath])
        XCTAssertEqual(priced.status, 0, priced.stderr)
        let cost = try XCTUnwrap(try object(priced.stdout)["cost"] as? [String: Any], priced.stdout)
        XCTAssertEqual(try XCTUnwrap(cost["usd"] as? Double), 0.025, accuracy: 1e-12)
        XCTAssertTrue((cost["prices"] as? String)?.hasPrefix("config ") == true, "\(cost)")

        let unpriced = try vq(["--json", "Describe", "a.png"], server: server, env: ["VQ_LOG_DB": logPath])
        let unknown = try XCTUnwrap(try object(unpriced.stdout)["cost"] as? [String: Any])
        XCTAssertEqual(unknown["usd"] as? String, "unknown")
        XCTAssertTrue((unknown["reason"] as? String)?.contains("no price for model 'stub-vision-1'") == true, "\(unknown)")

        let logged = try VQProcess.run(["logs", "--json", "-n", "2"], environment: ["VQ_LOG_DB": logPath], directory: directory)
        let entries = try logged.stdout.split(separator: "\n").map { try object(String($0)) }
        XCTAssertEqual(entries.count, 2)
        XCTAssertEqual((entries[0]["cost"] as? [String: Any])?["usd"] as? Double, 0.025)
        XCTAssertEqual((entries[1]["cost"] as? [String: Any])?["usd"] as? String, "unknown")
    }

    func testBatchLinesSummaryLogAndTotals() throws {
        let batch = try vq(
            ["batch", "--log", "Describe", "a.png", "b.png", "c.png"], server: server, extraConfig: prices, env: ["VQ_LOG_DB": logPath])
        XCTAssertEqual(batch.status, 0, batch.stderr)
        let lines = try batch.stdout.split(separator: "\n").map { try object(String($0)) }
        XCTAssertEqual(lines.count, 3)
        for line in lines { XCTAssertEqual((line["cost"] as? [String: Any])?["usd"] as? Double, 0.025, "\(line)") }
        XCTAssertTrue(batch.stderr.contains("cost: $0.075"), batch.stderr)
        _ = try vq(["Describe", "a.png"], server: server, env: ["VQ_LOG_DB": logPath])  // no price: unknown

        let text = try VQProcess.run(["logs", "--cost"], environment: ["VQ_LOG_DB": logPath], directory: directory)
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("stub-vision-1  4 "), text.stdout)
        XCTAssertTrue(text.stdout.contains("$0.075 + 1 unknown"), text.stdout)
        let json = try VQProcess.run(
            ["logs", "--cost", "--json", "--by", "day", "--since", "1d"], environment: ["VQ_LOG_DB": logPath], directory: directory)
        let totals = try object(json.stdout)
        XCTAssertEqual(try XCTUnwrap(totals["usd"] as? Double), 0.075, accuracy: 1e-12)
        XCTAssertEqual(totals["unknown"] as? Int, 1)
        XCTAssertEqual((totals["groups"] as? [[String: Any]])?.count, 1)
        let old = try VQProcess.run(
            ["logs", "--cost", "--json", "--since", "2000-01-01", "--by", "profile"], environment: ["VQ_LOG_DB": logPath], directory: directory)
        XCTAssertEqual(((try object(old.stdout))["groups"] as? [[String: Any]])?.first?["key"] as? String, "stub")
    }
}

/// `vq batch --max-cost`: the stub reports usage, so each request costs $0.025 at the configured prices; the batch
/// stops before the budget would be exceeded, says so once, and `--resume` with a new budget finishes.
final class BudgetEndToEndTests: EndToEndCase {
    private let prices = "\n[prices.\"stub-vision-1\"]\ninput = 1000\noutput = 2000\n"

    func testBudgetStopAndResumeWithANewBudget() throws {
        let server = try OpenAIStubServer()
        defer { server.stop() }
        for name in ["a.png", "b.png", "c.png", "d.png"] { _ = try png(name) }
        let out = directory.appendingPathComponent("out.jsonl").path
        let images = ["a.png", "b.png", "c.png", "d.png"]
        let first = try vq(["batch", "-j", "1", "--out", out, "--max-cost", "0.06", "Describe"] + images, server: server, extraConfig: prices)
        XCTAssertEqual(first.status, 1, first.stderr)
        XCTAssertEqual(server.seen.count, 2, "the third request would have gone over $0.06")
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, 2, "held-back images have no line")
        XCTAssertEqual(first.stderr.components(separatedBy: "--max-cost $0.06 reached").count, 2, "said once:\n\(first.stderr)")
        XCTAssertTrue(first.stderr.contains("2 request(s) not sent"), first.stderr)
        XCTAssertTrue(first.stderr.contains("cost: $0.05,"), first.stderr)

        let resumed = try vq(
            ["batch", "-j", "1", "--out", out, "--resume", "--max-cost", "1", "Describe"] + images, server: server, extraConfig: prices)
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertEqual(server.seen.count, 4)
        XCTAssertEqual(try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").count, 4)
    }

    func testABudgetNeedsAPrice() throws {
        _ = try png("a.png")
        let result = try vq(["batch", "--max-cost", "1", "Describe", "a.png"], baseURL: "http://127.0.0.1:9/v1")
        XCTAssertEqual(result.status, 78, result.stderr)
        XCTAssertTrue(result.stderr.contains("--max-cost needs the price of model 'stub-vision-1'"), result.stderr)
    }
}
