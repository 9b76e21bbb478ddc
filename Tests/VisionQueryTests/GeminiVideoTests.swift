import Foundation
import Imaging
import TestSupport
import Transport
import XCTest

@testable import VisionQuery

/// Gemini's native video over libcurl against the loopback Gemini stub: inline under the inline cap with
/// `video_metadata` from the clip, through the Files API over it (the bytes streamed from the file), and the
/// per-second token estimate. The stub does not decode video, so the test video is a file of known bytes.
final class GeminiVideoTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("vq-gemini-video-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    private func video(bytes count: Int) throws -> VideoInfo {
        let path = directory.appendingPathComponent("clip.mp4").path
        let bytes = Data((0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
        try bytes.write(to: URL(fileURLWithPath: path))
        return VideoInfo(path: path, mimeType: "video/mp4", byteCount: count, duration: 95, width: 640, height: 360, codec: "h264")
    }

    private func profile(_ stub: GeminiStubServer, cap: Int) -> Profile {
        var profile = Profile(name: "gemini", api: .gemini)
        profile.baseURL = stub.baseURL
        profile.model = "gemini-stub"
        profile.maxRequestBytes = cap
        profile.pollInterval = 0.05
        profile.pollTimeout = 20
        return profile
    }

    private func query(_ video: VideoInfo, clip: VideoClip) -> Query {
        var query = Query(prompt: "When does the forklift enter the frame?", model: "gemini-stub")
        query.parts = [InputPart(source: "clip.mp4", content: .video(video, clip: clip))]
        query.stream = false
        query.mediaResolution = .low
        return query
    }

    private func run(_ stub: GeminiStubServer, cap: Int, _ query: Query) throws -> QueryOutcome {
        let context = ExchangeContext(client: CurlHTTPClient(), transfer: TransferOptions(), key: stub.expectedKey)
        return try GeminiAdapter(profile: profile(stub, cap: cap)).exchange(query, context: context, sink: RecordingSink())
    }

    private func generateBody(_ stub: GeminiStubServer) throws -> [String: Any] {
        let request = try XCTUnwrap(stub.requests.first { $0.path.contains(":generateContent") })
        return try XCTUnwrap(try request.json() as? [String: Any])
    }

    private func firstPart(_ body: [String: Any]) throws -> [String: Any] {
        let contents = try XCTUnwrap(body["contents"] as? [[String: Any]])
        return try XCTUnwrap((contents.first?["parts"] as? [[String: Any]])?.first)
    }

    func testAVideoUnderTheCapGoesInlineWithItsClip() throws {
        let stub = try GeminiStubServer()
        let info = try video(bytes: 3000)
        let outcome = try run(stub, cap: 20_000_000, query(info, clip: VideoClip(start: 12.5, end: 80, fps: 2)))
        XCTAssertEqual(outcome.text, "Saw 0 image(s). Videos: video/mp4 3000 bytes.")
        XCTAssertEqual(stub.files.uploadsStarted, 0)
        let body = try generateBody(stub)
        let part = try firstPart(body)
        let inline = try XCTUnwrap(part["inline_data"] as? [String: Any])
        XCTAssertEqual(inline["mime_type"] as? String, "video/mp4")
        XCTAssertEqual(Data(base64Encoded: inline["data"] as? String ?? ""), try Data(contentsOf: URL(fileURLWithPath: info.path)))
        let metadata = try XCTUnwrap(part["video_metadata"] as? [String: Any])
        XCTAssertEqual(metadata["start_offset"] as? String, "12.5s")
        XCTAssertEqual(metadata["end_offset"] as? String, "80s")
        XCTAssertEqual(metadata["fps"] as? Double, 2)
        XCTAssertEqual((body["generationConfig"] as? [String: Any])?["mediaResolution"] as? String, "MEDIA_RESOLUTION_LOW")
    }

    func testAWholeVideoHasNoMetadata() throws {
        let stub = try GeminiStubServer()
        _ = try run(stub, cap: 20_000_000, query(try video(bytes: 500), clip: VideoClip()))
        XCTAssertNil(try firstPart(try generateBody(stub))["video_metadata"])
    }

    func testAVideoOverTheCapIsUploadedFromItsFileAndDeleted() throws {
        let stub = try GeminiStubServer()
        stub.files.faults.processingPolls = 3
        let info = try video(bytes: 50_000)
        let outcome = try run(stub, cap: 20_000, query(info, clip: VideoClip(start: 60)))
        XCTAssertEqual(outcome.text, "Saw 0 image(s). Files: video/mp4 50000 bytes.")
        let upload = try XCTUnwrap(stub.requests.first { $0.header("x-goog-upload-command") == "upload, finalize" })
        XCTAssertEqual(upload.body, try Data(contentsOf: URL(fileURLWithPath: info.path)), "every byte, from the file")
        XCTAssertEqual(upload.header("content-type"), "video/mp4")
        let part = try firstPart(try generateBody(stub))
        let reference = try XCTUnwrap(part["file_data"] as? [String: Any])
        XCTAssertEqual(reference["mime_type"] as? String, "video/mp4")
        XCTAssertEqual((part["video_metadata"] as? [String: Any])?["start_offset"] as? String, "60s", "the clip goes with the reference too")
        XCTAssertNil(part["inline_data"])
        XCTAssertTrue(stub.files.files.isEmpty, "deleted after the answer")
        XCTAssertGreaterThanOrEqual(stub.files.gets, 3, "waited until ACTIVE")
    }

    func testVideoTokensFollowGeminisPerSecondRates() throws {
        let info = VideoInfo(path: "/nonexistent", mimeType: "video/mp4", byteCount: 1, duration: 95, width: 640, height: 360, codec: "h264")
        let adapter = GeminiAdapter(profile: Profile(name: "g", api: .gemini))
        var query = Query(prompt: "", model: "gemini-2.5-flash")
        XCTAssertEqual(adapter.videoTokens(info, clip: VideoClip(start: 10, end: 20), query: query), 10 * 258 + 10 * 32)
        XCTAssertEqual(adapter.videoTokens(info, clip: VideoClip(start: 10, end: 20, fps: 2), query: query), 20 * 258 + 10 * 32)
        XCTAssertEqual(adapter.videoTokens(info, clip: VideoClip(), query: query), 95 * 258 + 95 * 32, "the whole video")
        query.mediaResolution = .low
        XCTAssertEqual(adapter.videoTokens(info, clip: VideoClip(start: 10, end: 20), query: query), 10 * 66 + 10 * 32)
        XCTAssertEqual(adapter.videoTokens(info, clip: VideoClip(end: 500), query: query), 95 * 66 + 95 * 32, "--end past the end")
    }

    /// `--dry-run`'s estimate names the video and the seconds watched.
    func testTheDryRunEstimateCountsTheClip() throws {
        var options = QueryOptions()
        options.profile = "gemini"
        options.mediaResolution = .low
        let session = try QuerySession(
            options: options, config: nil, environment: ["GEMINI_API_KEY": "k"], stream: false, warn: { _ in }, debug: nil)
        var query = session.query(prompt: "When?", stream: false)
        let info = VideoInfo(path: "/nonexistent", mimeType: "video/mp4", byteCount: 1, duration: 95, width: 640, height: 360, codec: "h264")
        query.parts = [InputPart(source: "clip.mp4", content: .video(info, clip: VideoClip(start: 80)))]
        let estimate = TokenEstimate(session: session, query: query)
        XCTAssertEqual(estimate.lines.first, "video clip.mp4 (00:15.0 of video): ~\(15 * 66 + 15 * 32) input tokens")
    }

    func testDurationsAreProtobufDurationStrings() {
        XCTAssertEqual(GeminiAdapter.duration(80), "80s")
        XCTAssertEqual(GeminiAdapter.duration(12.5), "12.5s")
        XCTAssertEqual(GeminiAdapter.duration(0.125), "0.125s")
        XCTAssertEqual(GeminiAdapter.duration(0), "0s")
    }
}
