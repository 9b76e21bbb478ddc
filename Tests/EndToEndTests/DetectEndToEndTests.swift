import Foundation
import TestSupport
import XCTest

/// `vq detect` through the binary against the Gemini stub, which finds the red box in the image it received and
/// answers `box_2d` on 0-1000: phone-style EXIF-rotated JPEGs (orientations 5-8), shrunk on the way, must come
/// back as boxes on the red box as a viewer shows the original; an answer that is no detection exits 79.
final class DetectEndToEndTests: EndToEndCase {
    static let (width, height) = (640, 480)
    static let rect = DetectionImages.Rect(left: 100, top: 60, right: 260, bottom: 200)

    private func detect(_ server: GeminiStubServer, _ arguments: [String]) throws -> VQProcess.Result {
        try vq(["detect"] + arguments, baseURL: server.baseURL, extraConfig: "api = \"gemini\"")
    }

    func testRotatedShrunkPhotosComeBackInTheOriginalsDisplayedPixels() throws {
        let server = try GeminiStubServer { images in (try? DetectionImages.geminiAnswer(for: images.first ?? Data())) ?? "no image" }
        for orientation in [1, 5, 6, 7, 8] {
            let file = try DetectionImages.jpeg(width: Self.width, height: Self.height, rect: Self.rect, orientation: orientation)
            try file.write(to: directory.appendingPathComponent("photo.jpg"))
            let result = try detect(server, ["--max-side", "160", "the red box", "photo.jpg"])
            XCTAssertEqual(result.status, 0, "orientation \(orientation): \(result.stderr)")
            let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], result.stdout)
            let swaps = orientation >= 5
            XCTAssertEqual(object["width"] as? Int, swaps ? Self.height : Self.width, result.stdout)
            XCTAssertEqual(object["height"] as? Int, swaps ? Self.width : Self.height, result.stdout)
            XCTAssertEqual(object["coordinates"] as? String, "gemini")
            let objects = try XCTUnwrap(object["objects"] as? [[String: Any]], result.stdout)
            XCTAssertEqual(objects.count, 1, result.stdout)
            XCTAssertEqual(objects.first?["label"] as? String, "red box")
            XCTAssertEqual(objects.first?["score"] as? Double, 0.9)
            let box = try XCTUnwrap(objects.first?["box"] as? [Int], result.stdout)
            let expected = DetectionImages.displayed(Self.rect, width: Self.width, height: Self.height, orientation: orientation)
            // One sent pixel is 4 original pixels; JPEG edges blur by about one sent pixel.
            for (got, want) in zip(box, [expected.left, expected.top, expected.right, expected.bottom]) {
                XCTAssertEqual(Double(got), want, accuracy: 8, "orientation \(orientation): \(box) vs \(expected)")
            }
        }
        // The prompt stated the convention and the schema was sent as Gemini's responseSchema.
        let body = try XCTUnwrap(server.requests.last?.json() as? [String: Any])
        let text = (((body["contents"] as? [[String: Any]])?.first?["parts"] as? [[String: Any]])?.compactMap { $0["text"] as? String } ?? []).joined()
        XCTAssertTrue(text.contains("Detect: the red box") && text.contains("[ymin, xmin, ymax, xmax]"), text)
        let config = try XCTUnwrap(body["generationConfig"] as? [String: Any])
        XCTAssertNotNil(config["responseSchema"] ?? config["responseJsonSchema"] ?? config["response_schema"], "\(config)")
    }

    func testAnAnswerThatIsNoDetectionExits79WithTheReason() throws {
        let server = try GeminiStubServer { _ in #"{"objects": [{"label": "red box", "box_2d": [10, 20, 30, 4000]}]}"# }
        try jpeg("a.jpg", width: 32, height: 32)
        let result = try detect(server, ["the red box", "a.jpg"])
        XCTAssertEqual(result.status, 79, result.stderr)
        XCTAssertEqual(result.stdout, "")
        XCTAssertTrue(result.stderr.contains("not a valid detection: objects[0].box_2d [10, 20, 30, 4000] lies outside the image"), result.stderr)
    }

    func testDetectNeedsATargetAndOneImageAndSendsNothingOtherwise() throws {
        let server = try GeminiStubServer()
        try jpeg("a.jpg")
        let result = try detect(server, ["the red box", "a.jpg", "a.jpg"])
        XCTAssertEqual(result.status, 64, result.stderr)
        XCTAssertTrue(result.stderr.contains("'vq detect' needs TARGET and one IMAGE"), result.stderr)
        XCTAssertTrue(server.requests.isEmpty)
    }
}
