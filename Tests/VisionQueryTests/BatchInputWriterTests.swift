import Foundation
import Transport
import XCTest

@testable import VisionQuery

/// The provider batch's input files: requests of different routes (OpenAI's generations and edits) or models never
/// share a job, however they interleave; Gemini's route is the model its request names.
final class BatchInputWriterTests: XCTestCase {
    private func profile(_ api: APIKind) -> Profile {
        var profile = Profile(name: "p", api: api)
        profile.baseURL = "https://api.example.com/v1"
        profile.model = "gpt-4o-mini"
        return profile
    }

    private func request(_ path: String, _ body: String) -> HTTPRequest {
        HTTPRequest(method: "POST", url: "https://api.example.com/v1\(path)", headers: [], body: [.bytes(Data(body.utf8))])
    }

    func testRequestsOfEachRouteAndModelGoToTheirOwnJobWhateverTheOrder() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vq-writer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let writer = BatchInputWriter(
            api: OpenAIBatchAPI(profile: profile(.openai), endpoint: "/chat/completions"), base: directory.appendingPathComponent("b").path)
        let sent: [(String, String, String)] = [
            ("/images/generations", "gpt-image-1", "g1"), ("/images/edits", "gpt-image-1", "e1"), ("/images/generations", "gpt-image-1", "g2"),
            ("/images/generations", "dall-e-3", "d1"), ("/images/edits", "gpt-image-1", "e2"), ("/chat/completions", "gpt-image-1", "c1"),
        ]
        for (index, (path, model, name)) in sent.enumerated() {
            try writer.append(customID: "id-\(index)", image: name, key: nil, request: request(path, #"{"n":\#(index)}"#), model: model)
        }
        let jobs = try writer.finish()
        XCTAssertEqual(jobs.map { $0.items.map(\.image) }, [["g1", "g2"], ["e1", "e2"], ["d1"], ["c1"]])
        XCTAssertEqual(jobs.map(\.route), ["/v1/images/generations", "/v1/images/edits", "/v1/images/generations", nil])
        for job in jobs {
            let text = try String(contentsOfFile: job.input, encoding: .utf8)
            XCTAssertEqual(text.utf8.count, job.bytes, "the recorded size is the file's")
            let lines = text.split(separator: "\n").map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
            XCTAssertEqual(lines.count, job.items.count)
            XCTAssertEqual(Set(lines.map { $0["url"] as! String }).count, 1, "one endpoint per job: \(lines)")
            XCTAssertEqual(lines.first?["url"] as? String, job.route ?? "/v1/chat/completions")
        }
    }

    func testGeminiRoutesARequestToTheModelItsURLNames() {
        let api = GeminiBatchAPI(profile: profile(.gemini))
        XCTAssertEqual(api.route(of: request("/models/gemini-2.5-flash-image:generateContent", "{}")), "gemini-2.5-flash-image")
        XCTAssertNil(api.route(of: request("/models/gpt-4o-mini:generateContent", "{}")), "the profile's own model")
        XCTAssertNil(api.route(of: request("/files", "{}")))
    }
}
