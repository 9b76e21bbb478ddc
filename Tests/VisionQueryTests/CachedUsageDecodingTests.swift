import Transport
import XCTest

@testable import VisionQuery

/// Each service's report of prompt-cache reads (and Gemini's thinking tokens) becomes the same `Usage` fields,
/// which the cost arithmetic prices.
final class CachedUsageDecodingTests: XCTestCase {
    private func profile(_ api: APIKind) -> Profile {
        var profile = Profile(name: "t", api: api)
        profile.baseURL = "http://127.0.0.1/v1"
        return profile
    }

    private func usage(_ events: [StreamEvent]) -> Usage? {
        events.lazy.compactMap { if case .usage(let usage) = $0 { usage } else { nil } }.first
    }

    func testOpenAIChatCachedTokensArePartOfPromptTokens() {
        let events = OpenAIAdapter(profile: profile(.openai)).decode(
            #"{"choices":[],"usage":{"prompt_tokens":2006,"completion_tokens":300,"total_tokens":2306,"prompt_tokens_details":{"cached_tokens":1920}}}"#)
        XCTAssertEqual(usage(events), Usage(promptTokens: 2006, completionTokens: 300, totalTokens: 2306, cachedPromptTokens: 1920))
    }

    func testResponsesCachedTokens() {
        let events = OpenAIResponsesAdapter(profile: profile(.openaiResponses)).decode(
            #"{"type":"response.completed","response":{"status":"completed","usage":{"input_tokens":125,"output_tokens":48,"total_tokens":173,"input_tokens_details":{"cached_tokens":98}}}}"#,
            event: "response.completed")
        XCTAssertEqual(usage(events), Usage(promptTokens: 125, completionTokens: 48, totalTokens: 173, cachedPromptTokens: 98))
    }

    func testAnthropicCacheReadsAreAddedToInput() {
        let events = AnthropicAdapter(profile: profile(.anthropic)).decode(
            #"{"type":"message_start","message":{"model":"claude-x","usage":{"input_tokens":20,"cache_read_input_tokens":1590,"output_tokens":1}}}"#,
            event: "message_start")
        XCTAssertEqual(usage(events), Usage(promptTokens: 1610, completionTokens: 1, totalTokens: 1611, cachedPromptTokens: 1590))
    }

    func testGeminiCachedContentAndThinkingTokens() {
        let events = GeminiAdapter(profile: profile(.gemini)).decode(
            #"{"candidates":[{"content":{"parts":[{"text":"A cat"}]}}],"usageMetadata":{"promptTokenCount":300,"cachedContentTokenCount":258,"candidatesTokenCount":2,"thoughtsTokenCount":40,"totalTokenCount":342}}"#
        )
        XCTAssertEqual(usage(events), Usage(promptTokens: 300, completionTokens: 42, totalTokens: 342, cachedPromptTokens: 258))
    }
}
