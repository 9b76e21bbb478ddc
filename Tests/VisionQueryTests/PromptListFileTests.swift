import XCTest

@testable import VisionQuery

/// A prompt list's lines: their own options checked by the flags' check and taken over the command line's, paths
/// relative to the list's folder, and the names a line may use.
final class PromptListFileTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("vq-prompts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("lists"), withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    private func items(_ text: String, base: ImageGeneration = ImageGeneration()) throws -> [BatchItem] {
        let path = folder.appendingPathComponent("lists/p.jsonl").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return try PromptListFile(path: path, base: base).items()
    }

    func testALineCanNameEveryOptionButPartialImagesByItsFlagsNameAndTheProvenanceName() {
        for option in ImageGeneration.Option.allCases where option != .partialImages {
            XCTAssertEqual(PromptListFile.optionFields[ImageGeneration.name(of: option)], option)
        }
        XCTAssertEqual(PromptListFile.optionFields["input_fidelity"], .fidelity)
        XCTAssertEqual(PromptListFile.optionFields["count"], .count)
        XCTAssertNil(PromptListFile.optionFields["partial-images"])
        var made = ImageGeneration()
        made.count = 2
        made.inputFidelity = "high"
        for (name, _) in made.summary { XCTAssertNotNil(PromptListFile.optionFields[name], "provenance name \(name) can be copied into a line") }
    }

    func testALinesOptionsReplaceTheCommandLinesForThatLineOnly() throws {
        var base = ImageGeneration()
        base.quality = "low"
        base.size = PixelDimensions(width: 1536, height: 1024)
        base.count = 1
        let list = try items(
            """
            {"id": "a", "prompt": "a fox"}
            {"id": "b", "prompt": "a heron", "aspect": "1:1", "n": 3, "model": "dall-e-3"}
            {"id": "c", "prompt": "a crane", "size": "auto", "quality": "HD"}
            """, base: base)
        XCTAssertEqual(list.map(\.key), ["a", "b", "c"])
        XCTAssertTrue(list[0].options.isEmpty)
        XCTAssertEqual(list[0].options.applied(to: base), base)
        let b = list[1].options.applied(to: base)
        XCTAssertEqual(b.aspect, AspectRatio(width: 1, height: 1))
        XCTAssertNil(b.size, "a line's aspect replaces the command line's size: one shape, said two ways")
        XCTAssertEqual(b.count, 3)
        XCTAssertEqual(b.quality, "low")
        XCTAssertEqual(list[1].options.model, "dall-e-3")
        XCTAssertEqual(list[1].options.summary, "model dall-e-3, n 3, aspect 1:1")
        let c = list[2].options.applied(to: base)
        XCTAssertTrue(c.automaticSize)
        XCTAssertNil(c.size)
        XCTAssertEqual(c.quality, "hd")
        var query = Query(prompt: "a heron", model: "gpt-image-1")
        query.generation = base
        list[1].options.apply(to: &query)
        XCTAssertEqual(query.model, "dall-e-3")
        XCTAssertEqual(query.generation?.count, 3)
    }

    func testPathsInALineAreRelativeToTheListsFolder() throws {
        let list = try items(
            #"{"prompt": "dusk", "images": ["a.png", "/abs/b.png", "https://example.org/c.png", "sub/d.png"], "mask": "m.png"}"#)
        let folder = self.folder.appendingPathComponent("lists").path
        XCTAssertEqual(list[0].sources, ["\(folder)/a.png", "/abs/b.png", "https://example.org/c.png", "\(folder)/sub/d.png"])
        XCTAssertEqual(list[0].options.generation.mask, "\(folder)/m.png")
    }

    func testValuesAreCheckedByTheFlagsCheck() {
        var generation = ImageGeneration()
        for (option, text, expected) in [
            (ImageGeneration.Option.count, "0", "a whole number from 1 to 10"), (.compression, "101", "a whole number from 0 to 100"),
            (.size, "12", "WIDTHxHEIGHT such as 1024x1024, or auto"), (.format, "gif", "png, jpeg, webp"), (.mask, "", "the path of a PNG"),
        ] {
            XCTAssertThrowsError(try generation.set(option, text)) { error in
                XCTAssertEqual((error as? ImageGeneration.RefusedValue)?.expected, expected)
            }
        }
        XCTAssertEqual(generation, ImageGeneration(), "a refused value changes nothing")
    }
}
