import Foundation
import Imaging
import TestSupport
import XCTest

/// `vq "What happens?" clip.mp4` on apis that read no video: frames sampled with FFmpeg's libraries and sent as
/// JPEG images, each after its time. The test videos (made by the ffmpeg CLI) show a red square moving right 28 px a
/// second, so the square's place in each JPEG the stub received says which moment it shows.
final class VideoFramesEndToEndTests: EndToEndCase {
    private var logPath: String { directory.appendingPathComponent("logs.db").path }

    override func setUpWithError() throws {
        try super.setUpWithError()
        try TestVideo.make(.h264MP4(faststart: false), at: directory.appendingPathComponent("clip.mp4"))
    }

    private func run(_ api: String?, _ baseURL: String, _ arguments: [String], extra: String = "", stdin: Data? = nil) throws -> VQProcess.Result {
        try vq(arguments, baseURL: baseURL, extraConfig: (api.map { "api = \"\($0)\"\n" } ?? "") + extra, env: ["VQ_LOG_DB": logPath], stdin: stdin)
    }

    /// One frame as the stub received it: the caption sent with it and its decoded pixels.
    struct SentFrame {
        var caption: String
        var image: DecodedImage

        /// Seconds from "clip.mp4: frame at 00:03.8".
        var captionTime: Double? { caption.components(separatedBy: "frame at ").last.flatMap(VideoTime.seconds) }

        /// The square's left edge, in the source video's pixels.
        var squareX: Int? {
            let y = TestVideo.squareY * image.height / TestVideo.height + 5
            return TestVideo.redStart(in: image.pixels, width: image.width, channels: image.channels, row: y)
                .map { $0 * TestVideo.width / image.width }
        }
    }

    /// The frames in the last user message of an OpenAI, Anthropic or Ollama request, with their captions.
    private func frames(_ request: RecordedRequest, api: String) throws -> [SentFrame] {
        let body = try XCTUnwrap(try request.json() as? [String: Any])
        let message = try XCTUnwrap((body["messages"] as? [[String: Any]])?.last)
        func decode(_ base64: String) throws -> DecodedImage {
            try ImageDecoder.decodeRGB(try XCTUnwrap(Data(base64Encoded: base64), "base64"))
        }
        if api == "ollama" {
            let text = try XCTUnwrap(message["content"] as? String)
            let order = try XCTUnwrap(text.components(separatedBy: "(The images, in order: ").last?.dropLast(2))
            let captions = order.components(separatedBy: "; ")
            let images = try (message["images"] as? [String] ?? []).map(decode)
            XCTAssertEqual(captions.count, images.count, text)
            return zip(captions, images).map { SentFrame(caption: $0, image: $1) }
        }
        var result: [SentFrame] = []
        var caption: String?
        for item in message["content"] as? [[String: Any]] ?? [] {
            switch item["type"] as? String {
            case "text": caption = item["text"] as? String
            case "image_url":
                let url = try XCTUnwrap((item["image_url"] as? [String: Any])?["url"] as? String)
                XCTAssertTrue(url.hasPrefix("data:image/jpeg;base64,"), url.prefix(40).description)
                result.append(SentFrame(caption: caption ?? "", image: try decode(String(url.dropFirst("data:image/jpeg;base64,".count)))))
            case "image":
                let source = try XCTUnwrap(item["source"] as? [String: Any])
                XCTAssertEqual(source["media_type"] as? String, "image/jpeg")
                result.append(SentFrame(caption: caption ?? "", image: try decode(try XCTUnwrap(source["data"] as? String))))
            default: break
            }
        }
        return result
    }

    /// Each frame's square sits where the video had it at the time its caption names.
    private func assertShowTheirTimes(_ frames: [SentFrame], _ context: String, file: StaticString = #filePath, line: UInt = #line) {
        for frame in frames {
            guard let time = frame.captionTime, let x = frame.squareX else {
                return XCTFail("\(context): caption '\(frame.caption)' or square missing", file: file, line: line)
            }
            XCTAssertEqual(Double(x), TestVideo.speed * time, accuracy: 5, "\(context): \(frame.caption)", file: file, line: line)
        }
    }

    func testFramesReachOpenAIAnthropicAndOllamaEachAfterItsTime() throws {
        let openai = try OpenAIStubServer()
        let anthropic = try AnthropicStubServer()
        let ollama = try OllamaStubServer()
        defer { openai.stop() }
        let stubs: [(api: String, url: String, requests: () -> [RecordedRequest])] = [
            ("openai", openai.baseURL, { openai.requests }), ("anthropic", anthropic.baseURL, { anthropic.requests }),
            ("ollama", ollama.baseURL, { ollama.requests }),
        ]
        for stub in stubs {
            let result = try run(stub.api, stub.url, ["--frames", "4", "What happens?", "clip.mp4"])
            XCTAssertEqual(result.status, 0, "\(stub.api): \(result.stderr)")
            XCTAssertTrue(result.stdout.hasPrefix("Saw 4 image(s): jpeg 320x240"), "\(stub.api): \(result.stdout)")
            let sent = try frames(try XCTUnwrap(stub.requests().last), api: stub.api)
            XCTAssertEqual(sent.map(\.caption), ["00:01.2", "00:03.7", "00:06.2", "00:08.7"].map { "clip.mp4: frame at \($0)" }, stub.api)
            assertShowTheirTimes(sent, stub.api)
            assertKeyNeverShown(result)
        }
    }

    func testStartEndAndFpsChooseTheMoments() throws {
        let openai = try OpenAIStubServer()
        defer { openai.stop() }
        let result = try run(nil, openai.baseURL, ["--start", "0:02", "--end", "4.5", "--fps", "1", "What happens?", "clip.mp4"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let sent = try frames(try XCTUnwrap(openai.requests.last), api: "openai")
        XCTAssertEqual(sent.compactMap(\.captionTime), [2, 3, 4])
        assertShowTheirTimes(sent, "--fps 1 from 2 s")

        // The clip has 10 frames a second: --fps 40 would send each frame four times, so it takes each once.
        let fast = try run(nil, openai.baseURL, ["-v", "--start", "2", "--end", "3", "--fps", "40", "What happens?", "clip.mp4"])
        XCTAssertEqual(fast.status, 0, fast.stderr)
        let each = try frames(try XCTUnwrap(openai.requests.last), api: "openai")
        XCTAssertEqual(each.compactMap(\.captionTime), [2, 2.1, 2.2, 2.3, 2.4, 2.5, 2.6, 2.7, 2.8, 2.9])
        XCTAssertTrue(fast.stderr.contains("--fps 40 is above the video's 10 fps, so every frame is sent once"), fast.stderr)
    }

    func testTheDefaultIsWhatMaxImagesAllowsAtMostOneASecond() throws {
        let openai = try OpenAIStubServer()
        defer { openai.stop() }
        try jpeg("photo.jpg")
        // max_images 4 and one photo: the video gets 3 frames, in the middles of thirds of its 10 s.
        let limited = try run(nil, openai.baseURL, ["What happens?", "photo.jpg", "clip.mp4"], extra: "max_images = 4")
        XCTAssertEqual(limited.status, 0, limited.stderr)
        XCTAssertEqual(try frames(try XCTUnwrap(openai.requests.last), api: "openai").compactMap(\.captionTime), [1.7, 5.0, 8.3])
        // Without a limit, one a second of a 3-second clip.
        let short = try run(nil, openai.baseURL, ["--end", "3", "What happens?", "clip.mp4"])
        XCTAssertEqual(short.status, 0, short.stderr)
        XCTAssertEqual(try frames(try XCTUnwrap(openai.requests.last), api: "openai").count, 3)
        let tooMany = try run(nil, openai.baseURL, ["--frames", "5", "What happens?", "clip.mp4"], extra: "max_images = 4")
        XCTAssertEqual(tooMany.status, 65)
        XCTAssertTrue(tooMany.stderr.contains("--frames 5 is over the 4 image(s) profile 'stub' takes"), tooMany.stderr)
    }

    func testARotatedPhoneVideoAndAWebMAndStdin() throws {
        let openai = try OpenAIStubServer()
        defer { openai.stop() }
        try TestVideo.make(.rotatedMOV, at: directory.appendingPathComponent("phone.mov"), seconds: 2)
        let phone = try run(nil, openai.baseURL, ["--frames", "1", "--end", "0.1", "Which way up?", "phone.mov"])
        XCTAssertEqual(phone.status, 0, phone.stderr)
        let upright = try XCTUnwrap(try frames(try XCTUnwrap(openai.requests.last), api: "openai").first).image
        XCTAssertEqual([upright.width, upright.height], [240, 320], "portrait, as the phone showed it")
        let corner = try XCTUnwrap(TestVideo.redCorner(in: upright.pixels, width: upright.width, height: upright.height, channels: upright.channels))
        XCTAssertLessThan(corner.y, 3, "the stored frame's left edge is the top of the upright one: \(corner)")
        XCTAssertEqual(Double(corner.x), 100, accuracy: 3)

        try TestVideo.make(.vp9WebM, at: directory.appendingPathComponent("clip.webm"), seconds: 4)
        let webm = try run(nil, openai.baseURL, ["--frames", "2", "What happens?", "clip.webm"])
        XCTAssertEqual(webm.status, 0, webm.stderr)
        assertShowTheirTimes(try frames(try XCTUnwrap(openai.requests.last), api: "openai"), "webm")

        let piped = try run(
            nil, openai.baseURL, ["--frames", "2", "What happens?", "-"], stdin: try Data(contentsOf: directory.appendingPathComponent("clip.mp4")))
        XCTAssertEqual(piped.status, 0, piped.stderr)
        let fromStdin = try frames(try XCTUnwrap(openai.requests.last), api: "openai")
        XCTAssertEqual(fromStdin.map(\.caption), ["stdin: frame at 00:02.5", "stdin: frame at 00:07.5"])
        assertShowTheirTimes(fromStdin, "stdin")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory()).filter { $0.hasPrefix("vq-video-") }
        XCTAssertEqual(leftovers, [], "the temporary copy of stdin's video is removed")
    }

    func testDryRunShowsTheVideoTheFramesAndTheirTokens() throws {
        let openai = try OpenAIStubServer()
        defer { openai.stop() }
        let result = try run(nil, openai.baseURL, ["--dry-run", "-m", "gpt-4o", "--frames", "3", "What happens?", "clip.mp4"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(
            result.stderr.contains("clip.mp4: 00:10.0 320x240 h264 (video/mp4), 3 frame(s) sent as images at 00:01.7, 00:05.0, 00:08.3"), result.stderr)
        XCTAssertTrue(result.stderr.contains("frame clip.mp4@00:05.0: ~"), result.stderr)
        XCTAssertTrue(result.stderr.contains("estimated input tokens: ~"), result.stderr)
        XCTAssertTrue(result.stdout.contains("clip.mp4: frame at 00:05.0"), "the request shows the captions")
        XCTAssertEqual(openai.requests.count, 0)
    }

    func testBadVideosExit65BeforeAnythingIsSent() throws {
        let openai = try OpenAIStubServer()
        defer { openai.stop() }
        let whole = try Data(contentsOf: directory.appendingPathComponent("clip.mp4"))
        try whole.prefix(whole.count / 2).write(to: directory.appendingPathComponent("cut.mp4"))
        try TestVideo.make(.h264MP4(faststart: true), at: directory.appendingPathComponent("fast.mp4"))
        let fast = try Data(contentsOf: directory.appendingPathComponent("fast.mp4"))
        try fast.prefix(fast.count / 3).write(to: directory.appendingPathComponent("cutfast.mp4"))
        try TestVideo.makeAudioOnly(at: directory.appendingPathComponent("tone.mp4"))
        try (Data([0x1A, 0x45, 0xDF, 0xA3]) + Data(repeating: 0x42, count: 2000)).write(to: directory.appendingPathComponent("junk.mkv"))
        let cases: [(file: String, reason: String)] = [
            ("cut.mp4", "damaged or truncated MP4 video"), ("cutfast.mp4", "damaged or truncated video"),
            ("tone.mp4", "not a video: it has no video stream"), ("junk.mkv", "damaged or truncated Matroska video"),
        ]
        for (file, reason) in cases {
            let result = try run(nil, openai.baseURL, ["What happens?", "clip.mp4", file])
            XCTAssertEqual(result.status, 65, "\(file): \(result.stderr)")
            XCTAssertTrue(result.stderr.hasPrefix("vq: error: \(file): \(reason)"), "\(file): \(result.stderr)")
        }
        let past = try run(nil, openai.baseURL, ["--start", "1:00", "What happens?", "clip.mp4"])
        XCTAssertEqual(past.status, 64, past.stderr)
        XCTAssertTrue(past.stderr.contains("--start 01:00.0 is past the end of the video (00:10.0)"), past.stderr)
        XCTAssertEqual(openai.requests.count, 0, "nothing reaches the service")
    }

    func testBatchTakesVideosLikeImagesAndTheLogKeepsTheFrames() throws {
        let openai = try OpenAIStubServer()
        defer { openai.stop() }
        try jpeg("photo.jpg")
        let out = directory.appendingPathComponent("out.jsonl").path
        let batch = try run(nil, openai.baseURL, ["batch", "--frames", "2", "--out", out, "Describe", "clip.mp4", "photo.jpg"])
        XCTAssertEqual(batch.status, 0, batch.stderr)
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
            .compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        XCTAssertEqual(lines.first { $0["image"] as? String == "clip.mp4" }?["output"] as? String, "Saw 2 image(s): jpeg 320x240, jpeg 320x240.")
        XCTAssertEqual(lines.count, 2)
        let resumed = try run(nil, openai.baseURL, ["batch", "--frames", "2", "--out", out, "--resume", "Describe", "clip.mp4", "photo.jpg"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertEqual(openai.requests.count, 2, "a resumed batch sends the video again no more")

        // A query's log keeps the frames it sent; -c sends them again with the next question.
        let first = try run(nil, openai.baseURL, ["--frames", "2", "What happens?", "clip.mp4"])
        XCTAssertEqual(first.status, 0, first.stderr)
        let next = try run(nil, openai.baseURL, ["-c", "And then?"])
        XCTAssertEqual(next.status, 0, next.stderr)
        let body = try XCTUnwrap(try openai.requests.last?.json() as? [String: Any])
        let earlier = try XCTUnwrap((body["messages"] as? [[String: Any]])?.first?["content"] as? [[String: Any]])
        XCTAssertEqual(earlier.filter { $0["type"] as? String == "image_url" }.count, 2, "the earlier frames go again: \(earlier.map { $0["type"] ?? "" })")
    }

    func testAVideoURLProfileSendsTheWholeFileAsAVideoURLPart() throws {
        let openai = try OpenAIStubServer()
        defer { openai.stop() }
        let result = try run(nil, openai.baseURL, ["--start", "2", "What happens?", "clip.mp4"], extra: "video = \"video_url\"")
        XCTAssertEqual(result.status, 0, result.stderr)
        // A video_url part has no field for the clip: the option is named, not dropped silently.
        XCTAssertTrue(result.stderr.contains("(openai) ignores --start"), result.stderr)
        let body = try XCTUnwrap(try openai.requests.last?.json() as? [String: Any])
        let content = try XCTUnwrap((body["messages"] as? [[String: Any]])?.last?["content"] as? [[String: Any]])
        let part = try XCTUnwrap(content.first { $0["type"] as? String == "video_url" }, "\(content.map { $0["type"] ?? "" })")
        let url = try XCTUnwrap((part["video_url"] as? [String: Any])?["url"] as? String)
        XCTAssertTrue(url.hasPrefix("data:video/mp4;base64,"))
        let sent = Data(base64Encoded: String(url.dropFirst("data:video/mp4;base64,".count)))
        XCTAssertEqual(sent, try Data(contentsOf: directory.appendingPathComponent("clip.mp4")), "the file itself, whole")
        XCTAssertEqual(content.filter { $0["type"] as? String == "image_url" }.count, 0)

        let dry = try run(nil, openai.baseURL, ["--dry-run", "What happens?", "clip.mp4"], extra: "video = \"video_url\"")
        XCTAssertTrue(dry.stderr.contains("clip.mp4: 00:10.0 320x240 h264 (video/mp4), sent whole"), dry.stderr)
        XCTAssertFalse(dry.stderr.contains("ignores"), "no clip option given, none named: \(dry.stderr)")
        let frames = try run(nil, openai.baseURL, ["--dry-run", "--start", "2", "What happens?", "clip.mp4"])
        XCTAssertEqual(frames.status, 0, frames.stderr)
        XCTAssertFalse(frames.stderr.contains("ignores"), "frames honour --start: \(frames.stderr)")
        XCTAssertTrue(dry.stdout.contains("data:video/mp4;base64,[base64 of"), dry.stdout)

        let ollama = try run("ollama", openai.baseURL, ["What happens?", "clip.mp4"], extra: "video = \"video_url\"")
        XCTAssertEqual(ollama.status, 78, ollama.stderr)
        XCTAssertTrue(ollama.stderr.contains("video = \"video_url\", but api ollama cannot take it"), ollama.stderr)
        XCTAssertEqual(openai.requests.count, 1)
    }
}
