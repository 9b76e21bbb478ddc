import Foundation
import TestSupport
import Transport
import XCTest

@testable import VisionQuery

/// The fast path for OpenAI stream chunks (`OpenAIChunkScanner`) against the general decoder: wherever it answers,
/// it gives the same events; it answers for the common shapes; streams split at random points decode alike.
final class OpenAIChunkScannerTests: XCTestCase {
    let adapter = OpenAIAdapter(profile: BuiltinProfiles.named("scaleway")!)

    /// OpenAI's own chunk shape, as api.openai.com sends it with `stream_options.include_usage`.
    static func realChunk(delta: String, finish: String = "null", usage: String = "null") -> String {
        #"{"id":"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT","object":"chat.completion.chunk","created":1741569952,"model":"gpt-4o-2024-08-06","service_tier":"default","system_fingerprint":"fp_f9f4fb6dbf","choices":[{"index":0,"delta":"#
            + delta + #","logprobs":null,"finish_reason":"# + finish + #"}],"usage":"# + usage + "}"
    }

    /// Chunks in the shapes services send, and the odd ones the fast path must leave to the general decoder.
    static let chunks: [String] = [
        realChunk(delta: #"{"role":"assistant","content":"","refusal":null}"#),
        realChunk(delta: #"{"content":"Hello"}"#),
        realChunk(delta: #"{"content":" wor\"ld\" \\ \/ \b\f\n\r\t é \u00e9 \u4e2d \ud83d\ude00"}"#),
        realChunk(delta: #"{}"#, finish: #""stop""#),
        realChunk(delta: #"{"content":null}"#, finish: #""length""#),
        #"{"id":"x","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":12,"total_tokens":21}}"#,
        // OpenAI's real shape in its other forms: logprobs, a refusal, each finish reason, the usage chunk, escaped
        // unicode (surrogate pairs included) and control characters, escaped and raw.
        realChunk(delta: #"{"content":"Hi"}"#).replacingOccurrences(
            of: #""logprobs":null"#,
            with:
                #""logprobs":{"content":[{"token":"Hi","logprob":-0.0019,"bytes":[72,105],"top_logprobs":[{"token":"Hi","logprob":-0.0019,"bytes":[72,105]},{"token":"Hello","logprob":-6.25,"bytes":null}]}],"refusal":null}"#
        ),
        realChunk(delta: #"{"content":null,"refusal":"I can't help with that."}"#),
        realChunk(delta: #"{"role":"assistant","content":null,"refusal":""}"#),
        realChunk(delta: #"{}"#, finish: #""length""#),
        realChunk(delta: #"{}"#, finish: #""content_filter""#),
        realChunk(delta: #"{"content":"x"}"#, finish: #""stop""#),
        realChunk(delta: #"{"content":"\u00e9\u00E9\u4e2d\ud83d\ude00\uD83D\uDE00\ud83c\udff3\ufe0f\u200d\ud83c\udf08"}"#),
        realChunk(delta: #"{"content":"\u0001\u001b[31mred\u001b[0m\u007f\u0085\u2028\u2029"}"#),
        realChunk(delta: "{\"content\":\"raw \u{7f} DEL and \u{85} NEL\"}"),
        realChunk(delta: #"{"content":"\ud83d"}"#),
        realChunk(delta: #"{"content":"\ud83d\u0041"}"#),
        realChunk(delta: #"{"content":"\ude00\ud83d"}"#),
        realChunk(delta: #"{"content":"\u12"}"#),
        realChunk(delta: #"{"content":"\u12G4"}"#),
        realChunk(
            delta: #"null"#,
            usage:
                #"{"prompt_tokens":100,"completion_tokens":4,"total_tokens":104,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}"#
        ),
        #"{"id":"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT","object":"chat.completion.chunk","created":1741569952,"model":"gpt-4o-2024-08-06","service_tier":"default","system_fingerprint":"fp_f9f4fb6dbf","choices":[],"usage":{"prompt_tokens":100,"completion_tokens":4,"total_tokens":104,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0}}}"#,
        #"{"id":"c","object":"chat.completion.chunk","created":1,"model":"gpt-4o","system_fingerprint":null,"choices":[{"index":0,"delta":{"content":"no fingerprint"},"logprobs":null,"finish_reason":null}]}"#,
        // Azure OpenAI: a first chunk of prompt filter results with no model, then content filter results per choice.
        #"{"choices":[],"created":0,"id":"","model":"","object":"","prompt_filter_results":[{"prompt_index":0,"content_filter_results":{"hate":{"filtered":false,"severity":"safe"}}}]}"#,
        #"{"choices":[{"content_filter_results":{"hate":{"filtered":false,"severity":"safe"},"self_harm":{"filtered":false,"severity":"safe"}},"delta":{"content":"Azure"},"finish_reason":null,"index":0,"logprobs":null}],"created":1741569952,"id":"chatcmpl-x","model":"gpt-4o-2024-08-06","object":"chat.completion.chunk","system_fingerprint":"fp_1"}"#,
        // Keys that share a length and first letter with known ones, and empty keys.
        #"{"modem":"x","choice":[],"choicez":[],"contents":1,"":0,"choices":[{"indey":1,"deltas":{},"delta":{"contend":"x","content":"y"}}]}"#,
        #"{"choices":[{"index":0,"delta":{"content":"x","":null}}],"model":""}"#,
        #"{"choices":[{"index":0,"delta":{"content":"Hel"},"finish_reason":null}],"usage":null}"#,
        #"{"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}"#,
        #"  {"model" : "m" ,"choices" : [ { "index" : 0 , "delta" : { "content" : "x" } } ] }  "#,
        #"{"choices":[{"index":1,"delta":{"content":"second choice"}},{"index":0,"delta":{"content":"first"}}]}"#,
        #"{"choices":[{"delta":{"content":"no index"}}]}"#,
        #"{"choices":[{"index":"0","delta":{"content":"string index"}}]}"#,
        #"{"choices":[{"index":0.0,"delta":{"content":"float index"}}]}"#,
        #"{"choices":[{"index":00,"delta":{"content":"leading zero"}}]}"#,
        #"{"choices":[{"index":-0,"delta":{"content":"minus zero"}}]}"#,
        #"{"choices":null,"model":null}"#,
        #"{"choices":[1,2]}"#,
        #"{"choices":[{"index":0,"delta":"text"}]}"#,
        #"{"choices":[{"index":0,"delta":null,"finish_reason":"stop"}]}"#,
        #"{"choices":[{"index":0,"delta":{"content":[{"type":"text","text":"parts"}]}}]}"#,
        #"{"choices":[{"index":0,"delta":{"content":5}}]}"#,
        #"{"choices":[{"index":0,"delta":{"content":"a","content":"b"}}]}"#,
        #"{"id":"a","id":"b","choices":[{"index":0,"delta":{"content":"duplicate id"}}]}"#,
        #"{"model":"a","model":"b"}"#,
        #"{"mod\u0065l":"escaped key","choices":[]}"#,
        #"{"error":{"message":"Provider returned error","code":502}}"#,
        #"{"error":null,"choices":[{"index":0,"delta":{"content":"x"}}]}"#,
        #"{"choices":[{"index":0,"delta":{"images":[{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}}]}}]}"#,
        #"{"choices":[{"index":0,"delta":{"multi_mod_content":[{"inline_data":{"mime_type":"image/png","data":"iVBORw0KGgo="}}]}}]}"#,
        #"{"choices":[{"index":0,"delta":{},"message":{"content":"whole"},"finish_reason":"stop"}]}"#,
        #"{"choices":[{"index":0,"delta":{"content":"x"},"finish_reason":7}]}"#,
        #"{"model":7,"choices":[]}"#,
        #"{"created":1e3,"choices":[{"index":0,"delta":{"content":"exponent"}}]}"#,
        #"{"created":12345678901234567890,"choices":[{"index":0,"delta":{"content":"long number"}}]}"#,
        #"{"created":-1.5,"x":[true,false,null,{"a":[[]]}],"choices":[{"index":0,"delta":{"content":"skipped values"}}]}"#,
        #"{"created":01,"choices":[]}"#,
        #"{"created":1.,"choices":[]}"#,
        #"{"x":"\ud800","choices":[{"index":0,"delta":{"content":"lone surrogate elsewhere"}}]}"#,
        #"{"choices":[{"index":0,"delta":{"content":"lone \udc00 low"}}]}"#,
        #"{"choices":[{"index":0,"delta":{"content":"nul \u0000"}}]}"#,
        #"{"choices":[{"index":0,"delta":{"content":"bad \x escape"}}]}"#,
        "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"raw\ttab\"}}]}",
        #"{"choices":[{"index":0,"delta":{"content":"x"}}]} trailing"#,
        #"{"choices":[{"index":0,"delta":{"content":"x"}}],}"#,
        #"{"choices":[{"index":0,"delta":{"content":"x"}}]"#,
        #"{"a":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}"#,
        #"{}"#,
        #"[]"#,
        #""text""#,
        "[DONE]",
        " [DONE] ",
        "",
        "{not json",
    ]

    func testTheFastPathAgreesWithTheGeneralDecoderOnEveryShape() {
        for chunk in Self.chunks {
            let full = adapter.decodeStreamEventFully(SSEEvent(data: chunk))
            if let fast = OpenAIChunkScanner.events(in: chunk) {
                XCTAssertEqual(fast, full, chunk)
            }
            XCTAssertEqual(adapter.decodeStreamEvent(SSEEvent(data: chunk)), full, chunk)
        }
    }

    func testTheFastPathReadsTheCommonShapes() {
        let common = [
            Self.realChunk(delta: #"{"role":"assistant","content":"","refusal":null}"#),
            Self.realChunk(delta: #"{"content":"Hello \"quoted\" \u00e9 \ud83d\ude00\n"}"#),
            Self.realChunk(delta: #"{}"#, finish: #""stop""#),
            Self.realChunk(delta: #"{"content":null,"refusal":"I can't help with that."}"#),
            Self.chunks.first { $0.contains(#""top_logprobs""#) }!,
            Self.chunks.first { $0.contains(#""content_filter_results":{"hate""#) }!,
            #"{"choices":[{"index":0,"delta":{"content":"Hel"},"finish_reason":null}],"usage":null}"#,
            #"{"choices":[{"index":1,"delta":{"content":"other"}},{"index":0,"delta":{"content":"x"}}]}"#,
        ]
        for chunk in common {
            XCTAssertNotNil(OpenAIChunkScanner.events(in: chunk), chunk)
        }
        XCTAssertEqual(
            OpenAIChunkScanner.events(in: Self.realChunk(delta: #"{"content":"a\"b\u00e9\ud83d\ude00"}"#)),
            [.model("gpt-4o-2024-08-06"), .text("a\"bé😀")])
        XCTAssertEqual(
            OpenAIChunkScanner.events(in: Self.realChunk(delta: #"{"content":"\n\"x"}"#)),
            [.model("gpt-4o-2024-08-06"), .text("\n\"x")], "a string that starts with an escape")
        XCTAssertEqual(
            OpenAIChunkScanner.events(in: Self.realChunk(delta: #"{"content":"\u001b[0m\u00e9"}"#, finish: #""stop""#)),
            [.model("gpt-4o-2024-08-06"), .text("\u{1b}[0m\u{e9}"), .finish(reason: "stop")], "control characters pass as text")
        XCTAssertEqual(
            OpenAIChunkScanner.events(in: Self.realChunk(delta: #"{"content":null,"refusal":"No."}"#)), [.model("gpt-4o-2024-08-06")],
            "a refusal in a delta is no text (as in the general decoder)")
        XCTAssertNil(OpenAIChunkScanner.events(in: #"{"choices":[],"usage":{"prompt_tokens":9}}"#), "usage goes to the general decoder")
        XCTAssertNil(OpenAIChunkScanner.events(in: #"{"error":{"message":"x"}}"#), "errors go to the general decoder")
    }

    /// A quote, an escape, a control character or a multi-byte character at every offset of an eight-byte word (the
    /// scanner skips plain bytes eight at a time): both paths agree, and the fast one answers wherever the JSON is valid.
    func testEveryOffsetWithinAWordScansAlike() {
        let specials = ["\u{1}", "\t", "\u{1f}", " ", "\u{7f}", "é", "😀", #"\""#, #"\\"#, #"\n"#, #"\u00e9"#, "\"", "!"]
        for special in specials {
            for offset in 0..<17 {
                let text = String(repeating: "a", count: offset) + special + String(repeating: "b", count: 17 - offset)
                for chunk in [Self.realChunk(delta: #"{"content":""# + text + #""}"#), #"{"id":""# + text + #"","choices":[]}"#] {
                    let full = adapter.decodeStreamEventFully(SSEEvent(data: chunk))
                    let fast = OpenAIChunkScanner.events(in: chunk)
                    if let fast { XCTAssertEqual(fast, full, chunk) }
                    let valid = !special.unicodeScalars.contains { $0.value < 0x20 } && special != "\""
                    XCTAssertEqual(fast != nil, valid, chunk)
                }
            }
        }
    }

    /// Random edits of real chunks (bytes replaced, inserted, deleted from JSON's alphabet): wherever the fast path
    /// answers, the general decoder gives the same events.
    func testRandomlyEditedChunksDecodeAlikeOnBothPaths() {
        var rng = SeededGenerator(seed: 28)
        let alphabet = Array(#"{}[]":,\ 0123456789.-eEtrufalsn"u00e9dD8ABxyz"#.utf8) + [0x09, 0x0A, 0x01, 0xC3, 0xA9]
        var answered = 0
        for round in 0..<20_000 {
            var bytes = Array(Self.chunks[round % Self.chunks.count].utf8)
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                let position = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &rng)
                let byte = alphabet.randomElement(using: &rng)!
                switch Int.random(in: 0..<3, using: &rng) {
                case 0 where !bytes.isEmpty: bytes[position] = byte
                case 1 where !bytes.isEmpty: bytes.remove(at: position)
                default: bytes.insert(byte, at: position)
                }
            }
            let chunk = String(decoding: bytes, as: UTF8.self)
            if let fast = OpenAIChunkScanner.events(in: chunk) {
                answered += 1
                XCTAssertEqual(fast, adapter.decodeStreamEventFully(SSEEvent(data: chunk)), chunk)
            }
        }
        XCTAssertGreaterThan(answered, 1000, "the fast path answered too rarely to be tested")
    }

    /// Whole streams of every chunk above plus random text deltas, split at random points: the events are the same
    /// as the general decoder's on the unsplit stream.
    func testRandomlySplitStreamsDecodeAlike() {
        var rng = SeededGenerator(seed: 2026)
        let pieces = ["Hello", " wor", "ld", "é", "中文", "😀", "\"", "\\", "\n", "\t", "</s>", " ", "\u{7f}", "\u{2028}"]
        for _ in 0..<50 {
            var chunks = Self.chunks.shuffled(using: &rng)
            for _ in 0..<40 {
                var text = ""
                for _ in 0..<Int.random(in: 0...4, using: &rng) { text += pieces.randomElement(using: &rng)! }
                let content = String(decoding: try! JSONSerialization.data(withJSONObject: [text], options: []), as: UTF8.self)
                chunks.insert(Self.realChunk(delta: #"{"content":"# + content.dropFirst().dropLast() + "}"), at: Int.random(in: 0...chunks.count, using: &rng))
            }
            let stream = Data(chunks.filter { !$0.contains("\n") }.map { "data: \($0)\n\n" }.joined().utf8)
            var whole = SSEParser()
            let expected = (whole.feed(stream) + whole.finish().events).flatMap { adapter.decodeStreamEventFully($0) }
            var parser = SSEParser()
            var events: [StreamEvent] = []
            var offset = 0
            while offset < stream.count {
                let end = min(stream.count, offset + Int.random(in: 1...300, using: &rng))
                events += parser.feed(stream.subdata(in: offset..<end)).flatMap { adapter.decodeStreamEvent($0) }
                offset = end
            }
            events += parser.finish().events.flatMap { adapter.decodeStreamEvent($0) }
            XCTAssertEqual(events, expected)
        }
    }

    /// An Images API stream event has no `choices`: the fast path leaves it to the general decoder, which knows it.
    func testAnImagesAPIEventIsLeftToTheGeneralDecoder() {
        let partial = #"{"type":"image_generation.partial_image","b64_json":"","partial_image_index":1}"#
        XCTAssertNil(OpenAIChunkScanner.events(in: partial))
        XCTAssertEqual(adapter.decodeStreamEvent(SSEEvent(data: partial)), [.partialImage(index: 1)])
    }
}
