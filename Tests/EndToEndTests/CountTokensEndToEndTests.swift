import Foundation
import TestSupport
import XCTest

/// `vq --count-tokens`: Anthropic's `/messages/count_tokens` and Gemini's `:countTokens` on their stubs (which count
/// 100 tokens a message and 1590 an image, and 10 + 258 an image), the count priced; other apis refuse before sending.
final class CountTokensEndToEndTests: EndToEndCase {
    private let prices = "\n[prices.\"stub-vision-1\"]\ninput = 3\noutput = 15\n"

    func testAnthropicCountsWithoutGenerating() throws {
        let server = try AnthropicStubServer()
        _ = try png("a.png")
        let text = try vq(["--count-tokens", "Describe", "a.png"], baseURL: server.baseURL, extraConfig: "api = \"anthropic\"\n" + prices)
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertEqual(text.stdout, "1690\n")
        XCTAssertTrue(text.stderr.contains("1690 input tokens, counted by stub; input cost $0.00507"), text.stderr)
        XCTAssertEqual(server.requests.map(\.path), ["/v1/messages/count_tokens"], "nothing is generated")

        let json = try vq(
            ["--count-tokens", "--json", "-s", "Be brief", "Describe", "a.png"], baseURL: server.baseURL, extraConfig: "api = \"anthropic\"\n" + prices)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any], json.stdout + json.stderr)
        XCTAssertEqual(object["input_tokens"] as? Int, 1690)
        XCTAssertEqual((object["input_cost"] as? [String: Any])?["usd"] as? Double, 0.00507)
    }

    func testGeminiCountsTheWholeRequest() throws {
        let server = try GeminiStubServer()
        _ = try png("a.png")
        let result = try vq(["--count-tokens", "Describe", "a.png"], baseURL: server.baseURL, extraConfig: "api = \"gemini\"\n")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "268\n")
        XCTAssertTrue(result.stderr.contains("input cost unknown"), result.stderr)
        XCTAssertTrue(server.requests.allSatisfy { $0.path.hasSuffix("/models/stub-vision-1:countTokens") }, "\(server.requests.map(\.path))")
    }

    func testServicesWithoutACountingEndpointRefuse() throws {
        let server = try OpenAIStubServer()
        defer { server.stop() }
        _ = try png("a.png")
        let result = try vq(["--count-tokens", "Describe", "a.png"], server: server)
        XCTAssertEqual(result.status, 64, result.stderr)
        XCTAssertTrue(result.stderr.contains("has no token counting endpoint"), result.stderr)
        XCTAssertEqual(server.seen.count, 0)
    }
}
