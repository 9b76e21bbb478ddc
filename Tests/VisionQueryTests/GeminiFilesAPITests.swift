import Foundation
import XCTest

@testable import VisionQuery

/// The Files API's requests and answers, the inline/upload route and the YouTube URL forms, without a network.
final class GeminiFilesAPITests: XCTestCase {
    private func api(_ base: String) -> GeminiFilesAPI {
        var profile = Profile(name: "g", api: .gemini)
        profile.baseURL = base
        return GeminiFilesAPI(profile: profile, key: "sk-secret")
    }

    func testTheUploadEndpointPutsUploadBeforeTheVersion() {
        XCTAssertEqual(
            api("https://generativelanguage.googleapis.com/v1beta").uploadURL, "https://generativelanguage.googleapis.com/upload/v1beta/files")
        XCTAssertEqual(api("http://127.0.0.1:8080/v1beta/").uploadURL, "http://127.0.0.1:8080/upload/v1beta/files")
        XCTAssertEqual(api("https://proxy.example/gemini/v1beta").uploadURL, "https://proxy.example/gemini/upload/v1beta/files")
    }

    func testTheKeyGoesInAHeaderNeverInTheURL() {
        let source = UploadSource(data: Data(count: 10), mimeType: "application/pdf", displayName: "a.pdf")
        let files = api("https://generativelanguage.googleapis.com/v1beta")
        for request in [
            files.startRequest(source), files.uploadRequest(source, to: "https://x/upload?upload_id=1"), files.getRequest("files/abc"),
            files.deleteRequest("files/abc"),
        ] {
            XCTAssertFalse(request.url.contains("sk-secret"))
            XCTAssertEqual(request.headers.first { $0.name == "x-goog-api-key" }?.value, "sk-secret")
            XCTAssertTrue(request.isSecret("x-goog-api-key"))
        }
        XCTAssertEqual(files.getRequest("files/abc").url, "https://generativelanguage.googleapis.com/v1beta/files/abc")
        XCTAssertEqual(
            files.deleteRequest("files/a/../b").url, "https://generativelanguage.googleapis.com/v1beta/files/a%2F%2E%2E%2Fb", "a name cannot leave files/")
    }

    func testFileResourcesDecode() throws {
        let wrapped = Data(
            #"{"file":{"name":"files/abc","mimeType":"video/mp4","uri":"https://g/v1beta/files/abc","state":"PROCESSING","expirationTime":"2026-12-08T09:00:00.123456Z"}}"#
                .utf8)
        let file = try XCTUnwrap(GeminiFile.decode(wrapped))
        XCTAssertEqual(file.name, "files/abc")
        XCTAssertEqual(file.state, .processing)
        XCTAssertEqual(file.expiration.map { Int($0.timeIntervalSince1970) }, 1_796_720_400)
        XCTAssertTrue(file.isUsable(at: Date(timeIntervalSince1970: 1_796_720_400 - 3600)))
        XCTAssertFalse(file.isUsable(at: Date(timeIntervalSince1970: 1_796_720_400 - 60)), "too close to expiry")
        let failed = try XCTUnwrap(GeminiFile.decode(Data(#"{"name":"files/x","state":"FAILED","error":{"message":"bad\nvideo"}}"#.utf8)))
        XCTAssertEqual(failed.state, .failed)
        XCTAssertEqual(failed.failure, "bad video")
        XCTAssertNil(GeminiFile.decode(Data(#"{"name":"models/x"}"#.utf8)), "only files/ names")
        XCTAssertNil(GeminiFile.decode(Data("not json".utf8)))
    }

    func testTheRouteUploadsTheLargestFirstUntilTheRestFits() {
        var query = Query(prompt: "Compare", model: "m")
        let small = Data(count: 300)
        let large = Data(count: 3000)
        query.parts = [
            InputPart(source: "small.pdf", content: .document(data: small, info: DocumentInfo(fileName: "small.pdf", pageCount: 1))),
            InputPart(source: "large.pdf", content: .document(data: large, info: DocumentInfo(fileName: "large.pdf", pageCount: 1))),
        ]
        let route = GeminiUploadRoute(query: query, inlineLength: 4600, cap: 2000)
        XCTAssertEqual(route.uploads.map(\.label), ["large.pdf"])
        XCTAssertEqual(route.notes.first, "small.pdf: inline (300 B)")
        XCTAssertTrue(route.notes[1].hasPrefix("large.pdf: upload through the Files API"), route.notes[1])
        XCTAssertTrue(GeminiUploadRoute(query: query, inlineLength: 1900, cap: 2000).uploads.isEmpty)
        XCTAssertTrue(GeminiUploadRoute(query: query, inlineLength: 4600, cap: nil).uploads.isEmpty, "no cap, nothing to upload")
        XCTAssertEqual(GeminiUploadRoute(query: query, inlineLength: 4600, cap: 500).uploads.map(\.label), ["large.pdf", "small.pdf"])
    }

    func testYouTubeURLForms() {
        for url in [
            "https://www.youtube.com/watch?v=9hE5-98ZeCg", "https://youtube.com/watch?feature=x&v=abc", "https://youtu.be/9hE5-98ZeCg",
            "https://m.youtube.com/watch?v=abc", "https://www.youtube.com/shorts/abcDEF", "http://youtu.be/x",
        ] {
            XCTAssertTrue(YouTubeURL.matches(url), url)
        }
        for url in [
            "https://www.youtube.com/", "https://www.youtube.com/watch", "https://youtu.be/", "https://notyoutube.com/watch?v=a",
            "https://example.org/youtube.com/watch?v=a", "youtube.com/watch?v=a", "https://www.youtube.com/channel/abc",
        ] {
            XCTAssertFalse(YouTubeURL.matches(url), url)
        }
    }
}
