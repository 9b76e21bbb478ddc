import TestSupport
import XCTest

/// The built `vq` against a loopback Masterpiecex: uploads, submission, polling to complete or failed, timeout.
final class MasterpiecexEndToEndTests: EndToEndCase {
    let fastPolling = "api = \"masterpiecex\"\npoll_interval = 0.05"

    func testUploadsLocalAndStdinImagesThenPollsUntilComplete() throws {
        let server = try MasterpiecexStubServer()
        _ = try png("dog.png")
        let robot = try jpeg("unused.jpg", width: 24, height: 16)
        let result = try vq(
            ["-v", "What can you tell me about these images", "dog.png", "-", "https://example.org/c.jpg"],
            baseURL: server.baseURL, extraConfig: fastPolling, stdin: robot)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "Saw 3 image(s): png 8x6, jpeg 24x16, https://example.org/c.jpg.\n")
        XCTAssertTrue(result.stderr.contains("balance: 98"), result.stderr)
        XCTAssertTrue(result.stderr.contains("processing time 5.78 s"), result.stderr)
        let steps = server.requests.map { "\($0.method) \($0.path.prefix { $0 != "?" })" }
        XCTAssertEqual(steps.filter { $0 == "POST /v2/assets/create" }.count, 2)
        XCTAssertEqual(steps.filter { $0.hasPrefix("PUT /upload/") }.count, 2)
        XCTAssertEqual(Array(steps.suffix(4)), ["POST /v2/llm/image_query", "GET /v2/status/req-42", "GET /v2/status/req-42", "GET /v2/status/req-42"])
        let query = try server.requests.first { $0.path == "/v2/llm/image_query" }!.json() as! [String: Any]
        XCTAssertEqual(query["userPrompt"] as? String, "What can you tell me about these images")
        XCTAssertEqual(query["imageUrls"] as? [String], server.uploadedURLs + ["https://example.org/c.jpg"])
        let puts = server.requests.filter { $0.method == "PUT" }
        XCTAssertEqual(Set(puts.compactMap { $0.header("content-type") }), ["image/png", "image/jpeg"])
        XCTAssertTrue(puts.allSatisfy { $0.header("authorization") == nil }, "the signed URL is the credential")
        assertKeyNeverShown(result)
    }

    func testJSONCarriesBalanceAndProcessingTime() throws {
        let server = try MasterpiecexStubServer()
        _ = try png("dog.png")
        let result = try vq(["--json", "Describe", "dog.png"], baseURL: server.baseURL, extraConfig: fastPolling)
        XCTAssertEqual(result.status, 0, result.stderr)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        XCTAssertEqual(object["text"] as? String, "Saw 1 image(s): png 8x6.")
        XCTAssertEqual(object["balance"] as? Int, 98)
        XCTAssertEqual(object["processing_time_s"] as? Double, 5.777)
    }

    func testFailedRequestIsAClearError() throws {
        let server = try MasterpiecexStubServer(ending: .failed)
        _ = try png("dog.png")
        let result = try vq(["Describe", "dog.png"], baseURL: server.baseURL, extraConfig: fastPolling)
        XCTAssertEqual(result.status, 69, result.stderr)
        XCTAssertEqual(result.stderr, "vq: error: stub request req-42 failed: image could not be analysed\n")
        XCTAssertEqual(result.stdout, "")
    }

    func testGivesUpAtTheTimeout() throws {
        let server = try MasterpiecexStubServer(ending: .never)
        let result = try vq(
            ["Describe", "https://example.org/c.jpg"], baseURL: server.baseURL,
            extraConfig: fastPolling + "\npoll_timeout = 0.4")
        XCTAssertEqual(result.status, 69, result.stderr)
        XCTAssertTrue(result.stderr.contains("gave up on stub request req-42"), result.stderr)
        XCTAssertTrue(result.stderr.contains("still processing"), result.stderr)
    }

    func testWrongKeyAndNoImage() throws {
        let server = try MasterpiecexStubServer()
        let wrong = try vq(["Describe", "https://example.org/c.jpg"], baseURL: server.baseURL, extraConfig: fastPolling, key: "sk-wrong")
        XCTAssertEqual(wrong.status, 77, wrong.stderr)
        XCTAssertTrue(wrong.stderr.contains("HTTP 401"), wrong.stderr)
        XCTAssertTrue(wrong.stderr.contains("$STUB_KEY"), wrong.stderr)
        let none = try vq(["Describe"], baseURL: server.baseURL, extraConfig: fastPolling)
        XCTAssertEqual(none.status, 64, none.stderr)
        XCTAssertTrue(none.stderr.contains("needs at least one IMAGE"), none.stderr)
    }

    func testDryRunShowsThePlannedQueryWithoutKey() throws {
        let server = try MasterpiecexStubServer()
        _ = try png("dog.png")
        let result = try vq(["--dry-run", "Describe", "dog.png"], baseURL: server.baseURL, extraConfig: fastPolling)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.hasPrefix("POST \(server.baseURL)/llm/image_query\n"), result.stdout)
        XCTAssertTrue(result.stdout.contains("[dog.png, uploaded first via /assets/create]"), result.stdout)
        XCTAssertTrue(result.stdout.contains("Authorization: [redacted]"), result.stdout)
        XCTAssertEqual(server.requests.count, 0)
        assertKeyNeverShown(result)
    }
}
