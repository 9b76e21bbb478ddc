import Transport
import XCTest

@testable import VisionQuery

/// Request bodies (golden JSON) and decoding of streamed and whole chat-completion responses.
final class OpenAIAdapterTests: XCTestCase {
    let scaleway = BuiltinProfiles.named("scaleway")!

    func body(_ request: HTTPRequest) -> String { String(decoding: request.bodyData(), as: UTF8.self) }

    func testGoldenBodyWithSamplingOptionsAndRemoteURL() throws {
        var query = Query(prompt: "What is this image?", model: "pixtral-12b-2409")
        query.system = "You are Xavier Niel."
        query.parts = [InputPart(source: "https://picsum.photos/id/32/512/512", content: .remoteURL("https://picsum.photos/id/32/512/512"))]
        query.temperature = 0.7
        query.topP = 0.9
        query.maxTokens = 2048
        query.stop = ["END"]
        query.detail = .low
        let request = try OpenAIAdapter(profile: scaleway).makeRequest(query, key: "sk-secret")
        XCTAssertEqual(request.method, "POST")
        XCTAssertEqual(request.url, "https://api.scaleway.ai/v1/chat/completions")
        XCTAssertEqual(
            body(request),
            #"{"max_tokens":2048,"messages":[{"content":"You are Xavier Niel.","role":"system"},{"content":[{"text":"What is this image?","type":"text"},{"image_url":{"detail":"low","url":"https://picsum.photos/id/32/512/512"},"type":"image_url"}],"role":"user"}],"model":"pixtral-12b-2409","stop":["END"],"stream":true,"stream_options":{"include_usage":true},"temperature":0.7,"top_p":0.9}"#
        )
        XCTAssertTrue(request.headers.contains { $0.name == "Authorization" && $0.value == "Bearer sk-secret" })
        XCTAssertTrue(request.headers.contains { $0.name == "Accept" && $0.value == "text/event-stream" })
    }

    func testNonStreamingMinimalBody() throws {
        var query = Query(prompt: "Hi", model: "gemini-pro-vision")
        query.stream = false
        query.maxTokens = 400
        let request = try OpenAIAdapter(profile: scaleway).makeRequest(query, key: nil)
        XCTAssertEqual(
            body(request),
            #"{"max_tokens":400,"messages":[{"content":[{"text":"Hi","type":"text"}],"role":"user"}],"model":"gemini-pro-vision","stream":false}"#)
        XCTAssertFalse(request.headers.contains { $0.name == "Authorization" })
    }

    func testSegmindStyleProfileUsesModelPathAndKeyHeader() throws {
        let segmind = BuiltinProfiles.named("segmind")!
        let request = try OpenAIAdapter(profile: segmind).makeRequest(Query(prompt: "Hi", model: "qwen2-vl-72b-instruct"), key: "k")
        XCTAssertEqual(request.url, "https://api.segmind.com/v1/qwen2-vl-72b-instruct")
        XCTAssertTrue(request.headers.contains { $0.name == "x-api-key" && $0.value == "k" })
        XCTAssertTrue(request.secretHeaderNames.contains("x-api-key"))
        XCTAssertFalse(body(request).contains("stream_options"))
    }

    func testOpenAIProfileUsesMaxCompletionTokensAndExtraHeadersReplace() throws {
        var query = Query(prompt: "Hi", model: "gpt-4o-mini")
        query.maxTokens = 10
        var request = try OpenAIAdapter(profile: BuiltinProfiles.named("openai")!).makeRequest(query, key: "k")
        request.apply(extraHeaders: [("accept", "application/x-custom"), ("X-Trace", "1")])
        XCTAssertTrue(body(request).contains(#""max_completion_tokens":10"#))
        XCTAssertEqual(request.headers.filter { $0.name.lowercased() == "accept" }.map(\.value), ["application/x-custom"])
        XCTAssertTrue(request.headers.contains { $0.name == "X-Trace" })
    }

    func testDecodesStreamChunks() throws {
        let adapter = OpenAIAdapter(profile: scaleway)
        XCTAssertEqual(adapter.decode(#"{"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}"#), [.model("m")])
        XCTAssertEqual(adapter.decode(#"{"choices":[{"index":0,"delta":{"content":"Hel"},"finish_reason":null}],"usage":null}"#), [.text("Hel")])
        XCTAssertEqual(adapter.decode(#"{"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#), [.finish(reason: "stop")])
        XCTAssertEqual(
            adapter.decode(#"{"choices":[],"usage":{"prompt_tokens":9,"completion_tokens":12,"total_tokens":21}}"#),
            [.usage(Usage(promptTokens: 9, completionTokens: 12, totalTokens: 21))])
        XCTAssertEqual(adapter.decode("[DONE]"), [.done])
        XCTAssertEqual(adapter.decode(#"{"error":{"message":"Provider returned error","code":502}}"#), [.serviceError("Provider returned error")])
        if case .malformed(let message) = adapter.decode("{not json").first {
            XCTAssertTrue(message.hasPrefix("malformed stream event"))
        } else {
            XCTFail("malformed JSON must be an error")
        }
    }

    func testDecodesWholeResponse() throws {
        let seed003 =
            #"{"id":"chatcmpl-123","object":"chat.completion","created":1677652288,"choices":[{"index":0,"message":{"role":"assistant","content":"\n\nHello there, how may I assist you today?"},"finish_reason":"stop"}],"usage":{"prompt_tokens":9,"completion_tokens":12,"total_tokens":21}}"#
        XCTAssertEqual(
            OpenAIAdapter(profile: scaleway).decodeResponse(Data(seed003.utf8)),
            [
                .text("\n\nHello there, how may I assist you today?"), .finish(reason: "stop"),
                .usage(Usage(promptTokens: 9, completionTokens: 12, totalTokens: 21)), .done,
            ])
        let parts = #"{"choices":[{"message":{"content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]}}]}"#
        XCTAssertEqual(OpenAIAdapter(profile: scaleway).decodeResponse(Data(parts.utf8)), [.text("ab"), .done])
    }
}
