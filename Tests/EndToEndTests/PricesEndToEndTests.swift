import Foundation
import TestSupport
import XCTest

/// `vq prices`: the bundled table with its date and source, config sections on top, a miss is exit 1.
final class PricesEndToEndTests: EndToEndCase {
    func testListsBundledAndConfiguredPrices() throws {
        let config = try writeConfig(
            baseURL: "http://127.0.0.1:9/v1", extra: "\n[prices.\"stub-vision-1\"]\ninput = 1.5\noutput = 2\n[prices.\"gpt-4o-mini\"]\noutput = 0.7\n")
        let environment = ["VQ_CONFIG": config]
        let all = try VQProcess.run(["prices"], environment: environment, directory: directory)
        XCTAssertEqual(all.status, 0, all.stderr)
        XCTAssertTrue(all.stdout.contains("anthropic  claude-sonnet-4-5 "), all.stdout)
        XCTAssertTrue(all.stderr.contains("LiteLLM") && all.stderr.contains("dated 20"), all.stderr)
        XCTAssertTrue(all.stderr.contains("config: \(config)"), all.stderr)

        let json = try VQProcess.run(["prices", "--json", "gpt-4o-mini"], environment: environment, directory: directory)
        let list = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        let mini = try XCTUnwrap(list.first { $0["model"] as? String == "gpt-4o-mini" })
        XCTAssertEqual(mini["from"] as? String, "config")
        XCTAssertEqual(mini["output"] as? Double, 0.7)
        XCTAssertEqual(mini["input"] as? Double, 0.15, "the bundled input price stays")

        let stub = try VQProcess.run(["prices", "stub-vision"], environment: environment, directory: directory)
        XCTAssertTrue(stub.stdout.contains("stub-vision-1") && stub.stdout.contains("config"), stub.stdout)

        let none = try VQProcess.run(["prices", "no-such-model"], environment: environment, directory: directory)
        XCTAssertEqual(none.status, 1)
        XCTAssertEqual(none.stdout, "")
        XCTAssertTrue(none.stderr.contains("no price for a model matching 'no-such-model'"), none.stderr)
    }

    func testBadPriceSectionIsAConfigError() throws {
        let config = try writeConfig(baseURL: "http://127.0.0.1:9/v1", extra: "\n[prices.\"m\"]\ninput = \"cheap\"\n")
        let result = try VQProcess.run(["prices"], environment: ["VQ_CONFIG": config], directory: directory)
        XCTAssertEqual(result.status, 78)
        XCTAssertTrue(result.stderr.contains("config.toml:9: price of 'm': input must be a number"), result.stderr)
    }
}
