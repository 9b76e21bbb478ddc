import Foundation
import Imaging
import TestSupport
import Transport
import XCTest

@testable import VisionQuery

/// QueryRunner in-process, over libcurl, against the loopback OpenAI-compatible server.
final class QueryRunnerTests: XCTestCase {
    func profile(_ server: OpenAIStubServer) -> Profile {
        var profile = Profile(name: "stub")
        profile.baseURL = server.baseURL
        profile.model = "m"
        return profile
    }

    func query(stream: Bool) throws -> Query {
        var query = Query(prompt: "Describe", model: "m")
        let pixels = (0..<(4 * 3 * 3)).map { UInt8($0 * 5) }
        let png = try ImageEncoder.encodePNG(pixels: pixels, width: 4, height: 3, channels: 3)
        query.parts = [InputPart(source: "a.png", content: .image(data: png, info: try ImageValidator.validate(png)))]
        query.stream = stream
        return query
    }

    func testStreamingDeliversDeltasInOrderWithUsage() throws {
        let server = try OpenAIStubServer()
        let adapter = OpenAIAdapter(profile: profile(server))
        let sink = RecordingSink()
        let outcome = try QueryRunner(client: CurlHTTPClient(), transfer: TransferOptions(), provider: adapter)
            .run(adapter.makeRequest(try query(stream: true), key: "sk-test-secret"), stream: true, sink: sink)
        let deltas = sink.texts
        XCTAssertGreaterThan(deltas.count, 1, "the answer arrives in pieces")
        XCTAssertEqual(deltas.joined(), "Saw 1 image(s): png 4x3.")
        XCTAssertEqual(outcome.text, deltas.joined())
        XCTAssertEqual(outcome.finishReason, "stop")
        XCTAssertEqual(outcome.usage?.totalTokens, 18)
        XCTAssertEqual(outcome.status, 200)
    }

    func testWholeResponse() throws {
        let server = try OpenAIStubServer()
        let adapter = OpenAIAdapter(profile: profile(server))
        let outcome = try QueryRunner(client: CurlHTTPClient(), transfer: TransferOptions(), provider: adapter)
            .run(adapter.makeRequest(try query(stream: false), key: "sk-test-secret"), stream: false, sink: RecordingSink())
        XCTAssertEqual(outcome.text, "Saw 1 image(s): png 4x3.")
        XCTAssertEqual(outcome.model, "m")
    }

    func testHTTPErrorBecomesCategorisedError() throws {
        let server = try OpenAIStubServer()
        let adapter = OpenAIAdapter(profile: profile(server))
        XCTAssertThrowsError(
            try QueryRunner(client: CurlHTTPClient(), transfer: TransferOptions(), provider: adapter)
                .run(adapter.makeRequest(try query(stream: true), key: "wrong"), stream: true, sink: RecordingSink())
        ) {
            let error = $0 as! VQError
            XCTAssertEqual(error.category, .permission)
            XCTAssertTrue(error.message.hasPrefix("HTTP 401 from stub: Incorrect API key provided"), error.message)
        }
    }
}
