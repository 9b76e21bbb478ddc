import XCTest

@testable import VisionQuery

/// Masterpiecex request bodies, status decoding and the polling backoff.
final class MasterpiecexAdapterTests: XCTestCase {
    let adapter = MasterpiecexAdapter(profile: BuiltinProfiles.named("masterpiecex")!)

    func testRequests() {
        let query = adapter.imageQueryRequest(
            prompt: "What can you tell me about these images",
            imageURLs: ["https://a/1.png", "https://a/2.jpg"], key: "tok")
        XCTAssertEqual(query.url, "https://api.genai.masterpiecex.com/v2/llm/image_query")
        XCTAssertEqual(
            String(decoding: query.bodyData(), as: UTF8.self),
            #"{"imageUrls":["https://a/1.png","https://a/2.jpg"],"userPrompt":"What can you tell me about these images"}"#)
        XCTAssertTrue(query.headers.contains { $0 == ("Authorization", "Bearer tok") })
        let create = adapter.createAssetRequest(name: "vq_x_1.png", description: "d", mimeType: "image/png", key: "tok")
        XCTAssertEqual(String(decoding: create.bodyData(), as: UTF8.self), #"{"description":"d","name":"vq_x_1.png","type":"image/png"}"#)
        let put = adapter.uploadRequest(assetURL: "https://s3/x.png?X-Amz-Signature=1", data: Data([1]), mimeType: "image/png")
        XCTAssertEqual(put.method, "PUT")
        XCTAssertFalse(put.headers.contains { $0.name == "Authorization" })
        XCTAssertEqual(MasterpiecexAdapter.publicURL("https://s3/x.png?X-Amz-Signature=1"), "https://s3/x.png")
        XCTAssertEqual(adapter.statusRequest(requestID: "abc", key: nil).url, "https://api.genai.masterpiecex.com/v2/status/abc")
    }

    func testStatusDecoding() throws {
        let seed = #"{"requestId":"xxxxx","status":"complete","processingTime_s":5.777,"outputs":{"output":"The first image is a dog."}}"#
        XCTAssertEqual(
            try adapter.decodeStatus(Data(seed.utf8)),
            .init(state: .complete, progress: nil, processingSeconds: 5.777, output: "The first image is a dog.", reason: nil))
        let pending = try adapter.decodeStatus(Data(#"{"requestId":"x","status":"processing","progress":40}"#.utf8))
        XCTAssertEqual(pending.state, .processing)
        XCTAssertEqual(pending.progress, 40)
        XCTAssertEqual(try adapter.decodeStatus(Data(#"{"status":"failed","error":{"message":"bad image"}}"#.utf8)).reason, "bad image")
        XCTAssertEqual(
            try adapter.decodeSubmission(Data(#"{"requestId":"r","status":"pending","balance":12}"#.utf8)),
            .init(requestID: "r", status: "pending", balance: 12))
        XCTAssertThrowsError(try adapter.decodeSubmission(Data("<html>".utf8)))
    }

    func testPollScheduleBacksOffAndCaps() {
        var schedule = PollSchedule(initial: 3)
        XCTAssertEqual((0..<6).map { _ in schedule.next() }, [3, 4.5, 6.75, 10, 10, 10])
        var fast = PollSchedule(initial: 0.05)
        XCTAssertEqual(fast.next(), 0.05)
        XCTAssertEqual(fast.next(), 0.075, accuracy: 1e-9)
    }
}
