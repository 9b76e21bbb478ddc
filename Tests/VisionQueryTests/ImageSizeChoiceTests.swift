import XCTest

@testable import VisionQuery

/// `--size` and `--aspect` as OpenAI's models take them: fixed sizes for gpt-image-1 and dall-e, any size within
/// gpt-image-2's limits (sides multiples of 16, 1:3 to 3:1, at most 3840x2160; OpenAI's OpenAPI spec 2.3.0).
final class ImageSizeChoiceTests: XCTestCase {
    private func size(_ text: String? = nil, aspect: String? = nil, model: String) -> (value: String, note: String?)? {
        var generation = ImageGeneration()
        generation.size = text.flatMap(PixelDimensions.init(parsing:))
        generation.aspect = aspect.flatMap(AspectRatio.init(parsing:))
        return ImageSizeChoice.openAISize(generation, model: model)
    }

    func testGPTImage2TakesAnySizeWithinItsLimits() throws {
        XCTAssertEqual(size("1536x864", model: "gpt-image-2")?.value, "1536x864")
        XCTAssertNil(size("1536x864", model: "gpt-image-2")?.note, "a size it makes as asked needs no note")
        XCTAssertEqual(size("1000x1000", model: "gpt-image-2")?.value, "1008x1008", "sides become multiples of 16")
        XCTAssertEqual(size("5000x1000", model: "gpt-image-2-2026-04-21")?.value, "3008x1008", "at most 3:1")
        XCTAssertEqual(size("7680x4320", model: "gpt-image-2")?.value, "3840x2160", "at most 3840x2160")
        XCTAssertEqual(size(aspect: "16:9", model: "gpt-image-2")?.value, "1024x576")
        let note = try XCTUnwrap(size("1000x1000", model: "gpt-image-2")?.note)
        XCTAssertTrue(note.hasPrefix("--size 1000x1000 -> size 1008x1008"), note)
        XCTAssertNil(size(model: "gpt-image-2"), "nothing asked, nothing sent")
    }

    func testFixedSizeModelsGetTheNearest() {
        XCTAssertEqual(size("1600x900", model: "gpt-image-1")?.value, "1536x1024")
        XCTAssertEqual(size("1536x864", model: "gpt-image-1.5")?.value, "1536x1024", "only gpt-image-2 takes free sizes")
        XCTAssertEqual(size(aspect: "9:16", model: "dall-e-3")?.value, "1024x1792")
    }
}
