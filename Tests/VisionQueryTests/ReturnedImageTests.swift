import XCTest

@testable import VisionQuery

/// Images in answers: every response shape, and markdown data URLs in text split at any point.
final class ReturnedImageTests: XCTestCase {
    let adapter = OpenAIAdapter(profile: BuiltinProfiles.named("aihubmix")!)
    let bytes = Data([0x89, 0x50, 0x4E, 0x47, 1, 2, 3])
    var b64: String { bytes.base64EncodedString() }

    func images(_ events: [StreamEvent]) -> [ReturnedImage] {
        events.compactMap { if case .image(let image) = $0 { return image } else { return nil } }
    }

    func testMultiModContentShapes() {
        let body =
            #"{"choices":[{"index":0,"message":{"role":"assistant","content":"Hi","multi_mod_content":[{"text":"","inlineData":{"data":"\#(b64)","mimeType":"png"}},{"text":"hello","inlineData":{}},{"inline_data":{"data":"\#(b64)","mime_type":"image/jpeg"}},{"inlineData":{"data":"***","mimeType":"png"}}]},"finish_reason":"stop"}]}"#
        let events = adapter.decodeResponse(Data(body.utf8))
        XCTAssertEqual(
            images(events),
            [
                .decoded(data: bytes, mimeHint: "image/png", sourceURL: nil),
                .decoded(data: bytes, mimeHint: "image/jpeg", sourceURL: nil),
                .undecodable("a returned image (image/png) is not valid base64"),
            ])
        XCTAssertTrue(events.contains(.text("Hi")))
    }

    func testOpenRouterMessageAndDeltaImages() {
        let url = "data:image/png;base64,\(b64)"
        let whole = #"{"choices":[{"message":{"content":null,"images":[{"type":"image_url","imageUrl":{"url":"\#(url)"}}]},"finish_reason":"stop"}]}"#
        XCTAssertEqual(images(adapter.decodeResponse(Data(whole.utf8))), [.decoded(data: bytes, mimeHint: "image/png", sourceURL: url)])
        let chunk = #"{"choices":[{"index":0,"delta":{"images":[{"type":"image_url","image_url":{"url":"\#(url)"}}]}}]}"#
        XCTAssertEqual(images(adapter.decode(chunk)), [.decoded(data: bytes, mimeHint: "image/png", sourceURL: url)])
    }

    func testModalitiesAreSent() throws {
        var query = Query(prompt: "Draw", model: "gemini-2.0-flash-exp")
        query.modalities = ["text", "image"]
        let body = String(decoding: try adapter.makeRequest(query, key: "k").bodyData(), as: UTF8.self)
        XCTAssertTrue(body.contains(#""modalities":["text","image"]"#), body)
    }

    func testMarkdownFilterAtEveryChunkSplit() {
        let text = "a ! b ![x] ![y](https://e.org/i.png) ![pic](data:image/png;base64,\(b64)) end ![q](data:x"
        let expected = "a ! b ![x] ![y](https://e.org/i.png) ![pic](saved-1) end ![q](saved-2)"
        for size in 1...12 {
            var filter = MarkdownImageFilter()
            var urls: [String] = []
            let replace: (String) -> String = {
                urls.append($0)
                return "saved-\(urls.count)"
            }
            var out = ""
            var rest = Substring(text)
            while !rest.isEmpty {
                out += filter.feed(String(rest.prefix(size)), replace: replace)
                rest = rest.dropFirst(size)
            }
            out += filter.finish(replace: replace)
            XCTAssertEqual(out, expected, "chunk size \(size)")
            XCTAssertEqual(urls, ["data:image/png;base64,\(b64)", "data:x"])
        }
    }

    func testBase64Variants() {
        XCTAssertEqual(ReturnedImageDecoder.decodeBase64(String(b64.dropLast())), bytes, "missing padding")
        XCTAssertEqual(ReturnedImageDecoder.decodeBase64(b64.prefix(4) + "\n" + b64.dropFirst(4)), bytes, "line breaks")
        XCTAssertNil(ReturnedImageDecoder.decodeBase64("!!"))
    }
}
