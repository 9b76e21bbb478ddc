import Foundation
import Imaging
import TestSupport
import XCTest

@testable import VisionQuery

/// The mapping `vq detect` is for: a JPEG with a red box at a known place in its stored pixels and each EXIF
/// orientation 1-8 is prepared as a query would (turned upright, shrunk); a model stand-in finds the box in the
/// bytes sent and answers in its family's convention; the box vq returns must land on the box as a viewer shows it.
final class DetectionMappingTests: XCTestCase {
    static let (width, height) = (300, 200)
    static let rect = DetectionImages.Rect(left: 30, top: 20, right: 120, bottom: 80)

    private func assertLands(
        _ box: DetectionBox?, on expected: DetectionImages.Rect, tolerance: Double, _ message: String, line: UInt = #line
    ) {
        guard let box else { return XCTFail("no box: \(message)", line: line) }
        XCTAssertEqual(box.xMin, expected.left, accuracy: tolerance, message, line: line)
        XCTAssertEqual(box.yMin, expected.top, accuracy: tolerance, message, line: line)
        XCTAssertEqual(box.xMax, expected.right, accuracy: tolerance, message, line: line)
        XCTAssertEqual(box.yMax, expected.bottom, accuracy: tolerance, message, line: line)
    }

    /// Prepares the test JPEG with `options`, answers as Gemini from the bytes sent, returns what vq maps back.
    private func detect(orientation: Int, options: PreparationOptions, prompt: DetectionPrompt) throws -> ([Detection], SentImageFrame) {
        let file = try DetectionImages.jpeg(width: Self.width, height: Self.height, rect: Self.rect, orientation: orientation)
        let prepared = try ImagePreparer.prepare(file, options: options)
        let frame = SentImageFrame(prepared)
        let answer = try DetectionImages.geminiAnswer(for: prepared.data)
        return (try DetectionAnswer.read(answer, prompt: prompt, frame: frame), frame)
    }

    func testEveryOrientationTurnedAndShrunkMapsBackToTheDisplayedBox() throws {
        let prompt = DetectionPrompt(target: "the red box", kind: .boxes, convention: .gemini)
        for orientation in 1...8 {
            let (detections, frame) = try detect(orientation: orientation, options: PreparationOptions(maxSide: 100), prompt: prompt)
            let expected = DetectionImages.displayed(Self.rect, width: Self.width, height: Self.height, orientation: orientation)
            let swaps = orientation >= 5
            XCTAssertEqual(frame.displayed, PixelSize(width: swaps ? 200 : 300, height: swaps ? 300 : 200), "orientation \(orientation)")
            XCTAssertEqual(frame.sent.width * frame.sent.height < Self.width * Self.height, true, "orientation \(orientation): shrunk")
            XCTAssertEqual(detections.count, 1, "orientation \(orientation)")
            // One sent pixel is 3 original pixels; JPEG edges blur by about one sent pixel.
            assertLands(
                detections.first?.box, on: expected, tolerance: 6, "orientation \(orientation): \(String(describing: detections.first?.box)) vs \(expected)")
            XCTAssertEqual(detections.first?.label, "red box")
            XCTAssertEqual(detections.first?.score, 0.9)
        }
    }

    func testStoredPixelsSentUnturnedGetTheTurnAppliedToTheAnswer() throws {
        let prompt = DetectionPrompt(target: "the red box", kind: .boxes, convention: .gemini)
        for orientation in 2...8 {
            let (detections, frame) = try detect(orientation: orientation, options: PreparationOptions(resize: false), prompt: prompt)
            XCTAssertFalse(frame.uprighted, "--no-resize sends the stored pixels")
            let expected = DetectionImages.displayed(Self.rect, width: Self.width, height: Self.height, orientation: orientation)
            assertLands(detections.first?.box, on: expected, tolerance: 2, "orientation \(orientation)")
        }
    }

    func testAHEICTurnedByItsBoxesMapsBackToTheDisplayedBox() throws {
        let prompt = DetectionPrompt(target: "the red box", kind: .boxes, convention: .gemini)
        for orientation in [6, 8] {
            let file = try DetectionImages.heic(width: Self.width, height: Self.height, rect: Self.rect, orientation: orientation)
            let prepared = try ImagePreparer.prepare(file, options: PreparationOptions(maxSide: 100))
            let frame = SentImageFrame(prepared)
            XCTAssertEqual(frame.displayed, PixelSize(width: 200, height: 300), "orientation \(orientation)")
            let detections = try DetectionAnswer.read(try DetectionImages.geminiAnswer(for: prepared.data), prompt: prompt, frame: frame)
            let expected = DetectionImages.displayed(Self.rect, width: Self.width, height: Self.height, orientation: orientation)
            assertLands(
                detections.first?.box, on: expected, tolerance: 6,
                "HEIC orientation \(orientation): \(String(describing: detections.first?.box)) vs \(expected)")
        }
    }

    func testPointsAndEachConventionScaleTheirOwnWay() throws {
        let frame = SentImageFrame(sent: PixelSize(width: 100, height: 50), stored: PixelSize(width: 400, height: 200), orientation: .up, uprighted: true)
        let qwen3 = DetectionPrompt(target: "x", kind: .points, convention: .qwen3)
        let point = try DetectionAnswer.read(#"{"objects":[{"label":"a","point_2d":[250,500]}]}"#, prompt: qwen3, frame: frame)
        XCTAssertEqual(point.first?.point?.x, 100)
        XCTAssertEqual(point.first?.point?.y, 100)
        // Qwen2.5-VL answers in pixels of its own resize of the sent image: 100x50 becomes 112x56.
        XCTAssertEqual(CoordinateConvention.qwenSmartResize(PixelSize(width: 100, height: 50)), PixelSize(width: 112, height: 56))
        let qwen25 = DetectionPrompt(target: "x", kind: .boxes, convention: .qwen25)
        let box = try DetectionAnswer.read("```json\n" + #"{"objects":[{"label":"a","bbox_2d":[28,14,56,28]}]}"# + "\n```", prompt: qwen25, frame: frame)
        XCTAssertEqual(box.first?.box, DetectionBox(xMin: 100, yMin: 50, xMax: 200, yMax: 100))
    }

    func testAnswersThatAreNotDetectionsNameTheReason() {
        let frame = SentImageFrame(sent: PixelSize(width: 100, height: 100), stored: PixelSize(width: 100, height: 100), orientation: .up, uprighted: true)
        let prompt = DetectionPrompt(target: "x", kind: .boxes, convention: .gemini)
        let cases: [(String, String)] = [
            ("no json", "not JSON"),
            (#"{"things": []}"#, "no \"objects\" list"),
            (#"{"objects": [{"box_2d": [1, 2, 3, 4]}]}"#, "objects[0] has no \"label\""),
            (#"{"objects": [{"label": "a", "box_2d": [1, 2, 3]}]}"#, "3 numbers; 4 expected"),
            (#"{"objects": [{"label": "a", "box_2d": [1, 2, 3, 1200]}]}"#, "lies outside the image"),
            (#"{"objects": [{"label": "a", "box_2d": [500, 2, 300, 4]}]}"#, "a minimum is past its maximum"),
            (#"{"objects": [{"label": "a", "box_2d": [1, 2, 3, 4], "score": 7}]}"#, "score is 7"),
        ]
        for (answer, reason) in cases {
            XCTAssertThrowsError(try DetectionAnswer.read(answer, prompt: prompt, frame: frame)) { error in
                let error = error as? VQError
                XCTAssertEqual(error?.category, .nonConforming, answer)
                XCTAssertTrue(error?.message.contains(reason) == true, "\(answer): \(error?.message ?? "")")
            }
        }
    }

    func testTheConventionFollowsTheProfileKeyThenTheModelName() {
        var profile = Profile(name: "p", api: .openai)
        XCTAssertEqual(try CoordinateConvention.of(profile: profile, model: "qwen2.5-vl-72b-instruct"), .qwen25)
        XCTAssertEqual(try CoordinateConvention.of(profile: profile, model: "Qwen/Qwen3-VL-8B-Instruct"), .qwen3)
        XCTAssertEqual(try CoordinateConvention.of(profile: profile, model: "google/gemini-2.5-flash"), .gemini)
        XCTAssertEqual(try CoordinateConvention.of(profile: profile, model: "gpt-4o"), .vq)
        profile.detectCoordinates = "qwen3"
        XCTAssertEqual(try CoordinateConvention.of(profile: profile, model: "gpt-4o"), .qwen3)
    }
}
