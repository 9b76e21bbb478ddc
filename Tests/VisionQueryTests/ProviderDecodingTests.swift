import Transport
import XCTest

@testable import VisionQuery

/// Each native adapter's decoders on the documented event shapes, and the token formulas on the providers' own examples.
final class ProviderDecodingTests: XCTestCase {
    private func profile(_ api: APIKind) -> Profile {
        var profile = Profile(name: "t", api: api)
        profile.baseURL = "http://127.0.0.1/v1"
        return profile
    }

    func testAnthropicNamedEventsAndUsageAcrossTheStream() {
        let adapter = AnthropicAdapter(profile: profile(.anthropic))
        XCTAssertEqual(
            adapter.decode(#"{"type":"message_start","message":{"model":"claude-x","usage":{"input_tokens":25,"output_tokens":1}}}"#, event: "message_start"),
            [.model("claude-x"), .usage(Usage(promptTokens: 25, completionTokens: 1, totalTokens: 26))])
        XCTAssertEqual(adapter.decode(#"{"type":"ping"}"#, event: "ping"), [])
        XCTAssertEqual(
            adapter.decode(#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}"#, event: "content_block_delta"), [.text("Hi")])
        XCTAssertEqual(
            adapter.decode(#"{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{"}}"#, event: "content_block_delta"),
            [.text("{")],
            "vq sends a tool only for --schema (the forced 'answer' tool): its input is the answer")
        XCTAssertEqual(
            adapter.decode(#"{"type":"message_delta","delta":{"stop_reason":"max_tokens"},"usage":{"output_tokens":15}}"#, event: "message_delta"),
            [.finish(reason: "length"), .usage(Usage(completionTokens: 15))])
        XCTAssertEqual(adapter.decode(#"{"type":"message_stop"}"#, event: "message_stop"), [.done])
        XCTAssertEqual(
            adapter.decode(#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#, event: "error"),
            [.serviceError("Overloaded (overloaded_error)")])
        XCTAssertEqual(
            Usage(promptTokens: 25, completionTokens: 1, totalTokens: 26).merged(with: Usage(completionTokens: 15)),
            Usage(promptTokens: 25, completionTokens: 15, totalTokens: 40), "the total follows the final output count")
        XCTAssertEqual(
            Usage(promptTokens: 25, completionTokens: 1, totalTokens: 26).merged(with: Usage(totalTokens: 30)),
            Usage(promptTokens: 25, completionTokens: 1, totalTokens: 30))
    }

    func testGeminiWholeResponsesBlocksAndImages() {
        let adapter = GeminiAdapter(profile: profile(.gemini))
        let chunk =
            #"[{"candidates":[{"content":{"parts":[{"text":"thinking","thought":true},{"text":"A cat"}]},"finishReason":"MAX_TOKENS"}],"usageMetadata":{"promptTokenCount":300,"candidatesTokenCount":2,"totalTokenCount":302},"modelVersion":"gemini-2.5-flash"}]"#
        XCTAssertEqual(
            adapter.decode(chunk),
            [
                .model("gemini-2.5-flash"), .text("A cat"), .finish(reason: "length"),
                .usage(Usage(promptTokens: 300, completionTokens: 2, totalTokens: 302)),
            ])
        XCTAssertEqual(
            adapter.decode(#"{"promptFeedback":{"blockReason":"PROHIBITED_CONTENT"}}"#), [.serviceError("the prompt was blocked (PROHIBITED_CONTENT)")])
        let image = #"{"candidates":[{"content":{"parts":[{"inline_data":{"mime_type":"image/png","data":"aGVsbG8="}}]}}]}"#
        XCTAssertEqual(adapter.decode(image), [.image(.decoded(data: Data("hello".utf8), mimeHint: "image/png", sourceURL: nil))])
        XCTAssertEqual(
            adapter.demandedWait(
                errorBody: Data(#"{"error":{"code":429,"details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"38s"}]}}"#.utf8)), 38)
        XCTAssertNil(adapter.demandedWait(errorBody: Data("not json".utf8)))
    }

    func testOllamaLinesAndRelabelledNDJSONBody() {
        let adapter = OllamaAdapter(profile: profile(.ollama))
        XCTAssertEqual(adapter.decode(#"{"model":"llava","message":{"role":"assistant","content":"Hi"},"done":false}"#), [.model("llava"), .text("Hi")])
        XCTAssertEqual(
            adapter.decode(#"{"model":"llava","message":{"content":""},"done":true,"done_reason":"length","prompt_eval_count":5,"eval_count":7}"#),
            [.model("llava"), .finish(reason: "length"), .usage(Usage(promptTokens: 5, completionTokens: 7, totalTokens: 12)), .done])
        XCTAssertEqual(adapter.decode(#"{"error":"model runner has unexpectedly stopped"}"#), [.serviceError("model runner has unexpectedly stopped")])
        let ndjson = "{\"message\":{\"content\":\"a\"},\"done\":false}\n{\"message\":{\"content\":\"b\"},\"done\":true}\n"
        XCTAssertEqual(adapter.decodeResponse(Data(ndjson.utf8)).filter { if case .text = $0 { true } else { false } }, [.text("a"), .text("b")])
    }

    func testResponsesTypedEvents() {
        let adapter = OpenAIResponsesAdapter(profile: profile(.openaiResponses))
        XCTAssertEqual(adapter.decode(#"{"type":"response.output_text.delta","delta":"Hel"}"#), [.text("Hel")])
        XCTAssertEqual(
            adapter.decode(#"{"type":"response.incomplete","response":{"status":"incomplete","incomplete_details":{"reason":"max_output_tokens"}}}"#),
            [.finish(reason: "length"), .done])
        XCTAssertEqual(
            adapter.decode(#"{"type":"response.failed","response":{"error":{"message":"boom","code":"server_error"}}}"#),
            [.serviceError("boom (server_error)")])
        XCTAssertEqual(
            adapter.decode(#"{"type":"response.output_item.done","item":{"type":"image_generation_call","result":"aGVsbG8=","output_format":"png"}}"#),
            [.image(.decoded(data: Data("hello".utf8), mimeHint: "image/png", sourceURL: nil))])
        XCTAssertEqual(adapter.decode(#"{"type":"response.in_progress"}"#), [])
    }

    func testMessagesMapToEachWireFormat() throws {
        let conversation = try Conversation.parse(
            Data(
                #"[{"role":"system","content":"Be terse"},{"role":"user","content":[{"type":"text","text":"What?"},{"type":"image_url","image_url":{"url":"data:image/png;base64,aGVsbG8="}}]},{"role":"assistant","content":"A cat"}]"#
                    .utf8), source: "t")
        var query = Query(prompt: "Colour?", model: "m")
        query.history = conversation
        let anthropic =
            try JSONSerialization.jsonObject(with: AnthropicAdapter(profile: profile(.anthropic)).makeRequest(query, key: "k").bodyData()) as! [String: Any]
        XCTAssertEqual(anthropic["system"] as? String, "Be terse")
        XCTAssertEqual((anthropic["messages"] as! [[String: Any]]).map { $0["role"] as! String }, ["user", "assistant", "user"])
        let gemini = try JSONSerialization.jsonObject(with: GeminiAdapter(profile: profile(.gemini)).makeRequest(query, key: "k").bodyData()) as! [String: Any]
        XCTAssertEqual((gemini["contents"] as! [[String: Any]]).map { $0["role"] as! String }, ["user", "model", "user"])
        let ollama = try JSONSerialization.jsonObject(with: OllamaAdapter(profile: profile(.ollama)).makeRequest(query, key: nil).bodyData()) as! [String: Any]
        XCTAssertEqual((ollama["messages"] as! [[String: Any]])[1]["images"] as? [String], ["aGVsbG8="])

        query.history = try Conversation.parse(
            Data(#"[{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://e.org/x.png"}}]}]"#.utf8), source: "t")
        XCTAssertThrowsError(try GeminiAdapter(profile: profile(.gemini)).makeRequest(query, key: "k")) {
            XCTAssertEqual(($0 as! VQError).category, .badInput)
        }
    }

    func testTokenFormulasMatchTheProvidersExamples() {
        // OpenAI's guide: 1024x1024 high = 765 tokens; 2048x4096 = 1105; low = 85.
        XCTAssertEqual(ImageTokenEstimator.estimate(model: "gpt-4o", api: .openai, width: 1024, height: 1024, detail: nil), 765)
        XCTAssertEqual(ImageTokenEstimator.estimate(model: "gpt-4o", api: .openai, width: 2048, height: 4096, detail: .high), 1105)
        XCTAssertEqual(ImageTokenEstimator.estimate(model: "gpt-4o", api: .openai, width: 4096, height: 4096, detail: .low), 85)
        // Anthropic: w*h/750; 1092x1092 is their ~1590 example.
        XCTAssertEqual(ImageTokenEstimator.estimate(model: "claude-sonnet-4-5", api: .anthropic, width: 1092, height: 1092, detail: nil), 1590)
        // Gemini: 258 up to 384x384; 960x540 is 6 tiles of 360 px crop units.
        XCTAssertEqual(ImageTokenEstimator.estimate(model: "gemini-2.5-flash", api: .gemini, width: 384, height: 384, detail: nil), 258)
        XCTAssertEqual(ImageTokenEstimator.estimate(model: "gemini-2.5-flash", api: .gemini, width: 960, height: 540, detail: nil), 258 * 6)
        // A Gemini model behind an OpenAI-style gateway is billed as Gemini; an unknown model has no formula.
        XCTAssertEqual(ImageTokenEstimator.estimate(model: "google/gemini-2.5-flash", api: .openai, width: 384, height: 384, detail: nil), 258)
        XCTAssertNil(ImageTokenEstimator.estimate(model: "llava", api: .openai, width: 640, height: 480, detail: nil))
        XCTAssertEqual(ImageTokenEstimator.estimate(model: "pixtral-12b-2409", api: .openai, width: 2048, height: 1024, detail: nil), 64 * 32)
    }
}
