import XCTest

@testable import VisionQuery

/// Every provider's error body shape becomes one line, and each status its exit category.
final class ServiceErrorSummaryTests: XCTestCase {
    func testBodyShapes() {
        let cases: [(String, String?, String)] = [
            (
                #"{"error":{"message":"Incorrect API key provided","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}"#, "application/json",
                "Incorrect API key provided (invalid_api_key)"
            ),
            (
                #"{"object":"error","message":"At most 1 image(s) may be provided in one request.","type":"BadRequestError","code":400}"#, nil,
                "At most 1 image(s) may be provided in one request."
            ),
            (#"[{"error":{"code":400,"message":"API key not valid.","status":"INVALID_ARGUMENT"}}]"#, nil, "API key not valid."),
            (#"{"error":"model 'llava' not found"}"#, nil, "model 'llava' not found"),
            (#"{"detail":"Not enough credits"}"#, nil, "Not enough credits"),
            (#"{"error":{"code":502,"message":"Provider returned error","metadata":{"raw":"upstream\nboom"}}}"#, nil, "Provider returned error: upstream boom"),
            ("<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>", "text/html", "an HTML error page: 502 Bad Gateway"),
            ("<html><body>oops</body></html>", "text/html", "an HTML error page (from a proxy?)"),
            ("upstream connect error\nsecond line", "text/plain", "upstream connect error"),
            ("", nil, "empty response body"),
        ]
        for (body, type, expected) in cases {
            XCTAssertEqual(ServiceErrorSummary.message(fromBody: Data(body.utf8), contentType: type), expected, body)
        }
    }

    func testStatusCategories() {
        let profile = BuiltinProfiles.named("scaleway")!
        let expectations: [(Int, VQError.Category)] = [
            (400, .badInput), (401, .permission), (403, .permission), (404, .config),
            (413, .badInput), (422, .badInput), (429, .rateLimited), (500, .unavailable), (503, .unavailable),
        ]
        for (status, category) in expectations {
            let error = ServiceErrorSummary.error(status: status, body: Data(), contentType: nil, profile: profile)
            XCTAssertEqual(error.category, category, "\(status)")
            XCTAssertTrue(error.message.hasPrefix("HTTP \(status) from scaleway: "), error.message)
        }
        XCTAssertTrue(ServiceErrorSummary.error(status: 401, body: Data(), contentType: nil, profile: profile).message.contains("$SCW_SECRET_KEY"))
    }

    func testLongMessagesAreShortenedToOneLine() {
        let long = String(repeating: "x", count: 1000)
        let message = ServiceErrorSummary.message(fromBody: Data(#"{"error":{"message":"\#(long)"}}"#.utf8), contentType: nil)
        XCTAssertLessThanOrEqual(message.count, 401)
        XCTAssertFalse(message.contains("\n"))
    }
}
