import Imaging
import TestSupport
import XCTest

/// Images that models return (AiHubMix, OpenRouter, markdown data URLs) are validated and saved, never overwriting.
final class ImageOutputEndToEndTests: EndToEndCase {
    let namePattern = #"^vq-\d{8}-\d{6}-\d+\.(png|jpg)$"#

    func testAiHubMixMultiModContentInEveryShapeIsSaved() throws {
        let server = try ImageOutputStubServer(shape: .multiModContent)
        let result = try vq(["--no-stream", "--modalities", "text,image", "-o", "out", "Draw a mermaid"], baseURL: server.baseURL)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "Here is your drawing.\n")
        let saved = try files(in: "out")
        XCTAssertEqual(saved.count, 2, "the PNG and the JPEG; the empty inlineData item is skipped: \(saved)")
        XCTAssertTrue(saved.allSatisfy { $0.range(of: namePattern, options: .regularExpression) != nil }, "\(saved)")
        XCTAssertEqual(Set(saved.map { ($0 as NSString).pathExtension }), ["png", "jpg"], "extension from the bytes")
        XCTAssertTrue(result.stderr.contains("vq: saved out/\(saved.first { $0.hasSuffix(".png") }!) (8x8 png, "), result.stderr)
        XCTAssertTrue(result.stderr.contains("(4x4 jpeg, "), result.stderr)
        let png = try Data(contentsOf: directory.appendingPathComponent("out").appendingPathComponent(saved.first { $0.hasSuffix(".png") }!))
        XCTAssertEqual(png, ImageOutputStubServer.generated)
        let body = try server.requests[0].json() as! [String: Any]
        XCTAssertEqual(body["modalities"] as? [String], ["text", "image"])
        assertKeyNeverShown(result)
    }

    func testStreamedMultiModContentAndProfileModalities() throws {
        let server = try ImageOutputStubServer(shape: .multiModContent)
        let result = try vq(["Draw"], baseURL: server.baseURL, extraConfig: #"modalities = ["text", "image"]"#)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "Here is your drawing.\n")
        XCTAssertEqual(try files().count, 2, "saved in the current directory by default")
        XCTAssertEqual((try server.requests[0].json() as! [String: Any])["modalities"] as? [String], ["text", "image"])
    }

    func testOpenRouterImagesStreamedAndRepeatedInFinalMessageAreSavedOnce() throws {
        let server = try ImageOutputStubServer(shape: .openRouter)
        let result = try vq(["--json", "Draw"], baseURL: server.baseURL)
        XCTAssertEqual(result.status, 0, result.stderr)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        let saved = try files()
        XCTAssertEqual(saved.count, 1, "delta.images and message.images carry the same URL: \(saved)")
        XCTAssertEqual(object["saved_images"] as? [String], saved)
        XCTAssertEqual(object["text"] as? String, "Here it is.")

        let whole = try vq(["--no-stream", "--output", "pic.png", "Draw"], baseURL: server.baseURL)
        XCTAssertEqual(whole.status, 0, whole.stderr)
        XCTAssertTrue(whole.stderr.contains("vq: saved pic.png (8x8 png"), whole.stderr)
        XCTAssertEqual(try Data(contentsOf: directory.appendingPathComponent("pic.png")), ImageOutputStubServer.generated)
    }

    func testMarkdownDataURLIsSavedAndReplacedByItsPathWhileStreaming() throws {
        let server = try ImageOutputStubServer(shape: .markdown)
        for arguments in [["Draw"], ["--no-stream", "Draw"]] {
            let before = Set(try files())
            let result = try vq(arguments, baseURL: server.baseURL)
            XCTAssertEqual(result.status, 0, result.stderr)
            let saved = Set(try files()).subtracting(before)
            XCTAssertEqual(saved.count, 1, "\(arguments)")
            let name = saved.first!
            XCTAssertEqual(result.stdout, "Here:\n![a crayon drawing](\(name))\nDone! See [docs](https://example.org).\n")
            XCTAssertFalse(result.stdout.contains("base64"))
        }
    }

    func testImageEditingSendsTheImageAndSavesTheResult() throws {
        let server = try ImageOutputStubServer(shape: .multiModContent)
        let sketch = try png("sketch.png", width: 12, height: 10)
        let result = try vq(
            [
                "--modalities", "text,image", "--output", "crayon.png",
                "describe the image with a concise and engaging paragraph, then fill color as children's crayon style",
                "sketch.png",
            ], baseURL: server.baseURL)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(try Data(contentsOf: directory.appendingPathComponent("crayon.png")), sketch, "image in, image out")
        XCTAssertEqual(try files(prefix: "crayon-2."), ["crayon-2.jpg"], "a second image goes beside --output")
    }

    func testExistingOutputFileIsExit73AndNothingIsSentOrWritten() throws {
        let server = try ImageOutputStubServer(shape: .openRouter)
        try Data("precious".utf8).write(to: directory.appendingPathComponent("pic.png"))
        let result = try vq(["--output", "pic.png", "Draw"], baseURL: server.baseURL)
        XCTAssertEqual(result.status, 73, result.stderr)
        XCTAssertTrue(result.stderr.contains("pic.png: already exists"), result.stderr)
        XCTAssertEqual(try Data(contentsOf: directory.appendingPathComponent("pic.png")), Data("precious".utf8))
        XCTAssertEqual(server.requests.count, 0)
    }

    func testInvalidReturnedImagesAreReportedNotSavedAndTheTextStillPrinted() throws {
        let server = try ImageOutputStubServer(shape: .invalid)
        let result = try vq(["--no-stream", "Draw"], baseURL: server.baseURL)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "The text survives.\n")
        XCTAssertTrue(result.stderr.contains("not valid base64"), result.stderr)
        XCTAssertTrue(result.stderr.contains("not saved: not an image"), result.stderr)
        XCTAssertEqual(try files(), [])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".tmp") }, [])
    }

    func testOutputOptionsAreChecked() throws {
        let both = try vq(["-o", "d", "--output", "f.png", "Draw"], baseURL: nil)
        XCTAssertEqual(both.status, 64, both.stderr)
        let badModality = try vq(["--modalities", "text,video", "Draw"], baseURL: nil)
        XCTAssertEqual(badModality.status, 64, badModality.stderr)
        XCTAssertTrue(badModality.stderr.contains("text, image, audio"), badModality.stderr)
    }
}
