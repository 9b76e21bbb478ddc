import Foundation
import Imaging
import XCTest

@testable import VisionQuery

/// Which route a video takes, decided from the profile's api and its `video` key in one place.
final class VideoPolicyTests: XCTestCase {
    private func policy(_ api: APIKind, video: VideoRoute? = nil) throws -> VideoPolicy {
        var profile = Profile(name: "p", api: api)
        profile.video = video
        return try VideoPolicy(profile: profile, options: QueryOptions())
    }

    func testGeminiReadsVideoWholeAndEveryOtherApiGetsFrames() throws {
        XCTAssertEqual(try policy(.gemini).route, .native)
        for api in APIKind.allCases where api != .gemini {
            XCTAssertEqual(try policy(api).route, .frames, "\(api)")
        }
    }

    func testTheProfileKeyChoosesAmongTheRoutesItsApiHas() throws {
        XCTAssertEqual(try policy(.gemini, video: .frames).route, .frames)
        XCTAssertEqual(try policy(.openai, video: .videoURL).route, .videoURL)
        XCTAssertTrue(try policy(.openai, video: .videoURL).sendsWhole)
        for (api, route) in [(APIKind.anthropic, VideoRoute.native), (.ollama, .videoURL), (.gemini, .videoURL), (.openai, .native)] {
            XCTAssertThrowsError(try policy(api, video: route), "\(api) \(route)") { error in
                XCTAssertEqual((error as? VQError)?.category, .config)
                XCTAssertTrue((error as? VQError)?.message.contains("\"frames\"") == true, "\(error)")
            }
        }
    }

    func testTheProfileKeyIsReadFromTheConfig() throws {
        let config = try ConfigFile.parse(
            "[profiles.qwen]\napi = \"openai\"\nbase_url = \"http://127.0.0.1:9/v1\"\nmodel = \"qwen\"\nvideo = \"video_url\"\n", path: "c.toml")
        let profile = try ProfileResolver(config: config, environment: [:]).resolve(profileFlag: "qwen", modelFlag: nil)
        XCTAssertEqual(profile.video, .videoURL)
        let bad = try ConfigFile.parse("[profiles.q]\napi = \"openai\"\nmodel = \"m\"\nvideo = \"whole\"\n", path: "c.toml")
        XCTAssertThrowsError(try ProfileResolver(config: bad, environment: [:]).resolve(profileFlag: "q", modelFlag: nil)) { error in
            XCTAssertTrue("\(error)".contains("video must be \"native\", \"frames\" or \"video_url\""), "\(error)")
        }
    }

    func testTimesAreReadAsSecondsMinutesAndHours() {
        let good: [(String, Double)] = [("90", 90), ("1.5", 1.5), ("1:30", 90), ("01:24.5", 84.5), ("1:02:03.5", 3723.5), ("0:00", 0), ("75:00", 4500)]
        for (text, seconds) in good { XCTAssertEqual(VideoTime.seconds(text), seconds, text) }
        for text in ["", "-1", "1:60", "1:2:60", "a", "1:", ":30", "1.5:30", "1:30:00:00", "1e3", ".", "1..2", "+5", " 5", "inf"] {
            XCTAssertNil(VideoTime.seconds(text), text)
        }
    }

    func testTimesArePrintedWithTenths() {
        XCTAssertEqual(VideoTime.format(84.5), "01:24.5")
        XCTAssertEqual(VideoTime.format(0), "00:00.0")
        XCTAssertEqual(VideoTime.format(59.96), "01:00.0")
        XCTAssertEqual(VideoTime.format(3723.5), "1:02:03.5")
    }

    func testAFrameIsNamedAndCaptionedByItsTime() {
        let part = InputPart(source: "clip.mp4", content: .image(data: Data(), info: ImageInfo(format: .jpeg, width: 1, height: 1)), frameTime: 84.5)
        XCTAssertEqual(part.name, "clip.mp4@01:24.5")
        XCTAssertEqual(part.caption, "clip.mp4: frame at 01:24.5")
        XCTAssertNil(InputPart(source: "a.png", content: .remoteURL("https://x/a.png")).caption)
    }
}
