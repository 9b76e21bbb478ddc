import Transport
import XCTest

@testable import VisionQuery

/// Each transfer failure says whose fault it is and what fixes it, with its exit category.
final class TransportFailureSummaryTests: XCTestCase {
    func summary(_ error: TransportError, answered: Bool = false) -> VQError {
        TransportFailureSummary.error(error, profile: "corp", answered: answered)
    }

    func testCategoriesAndFixes() {
        let cases: [(TransportError, VQError.Category, String)] = [
            (.tls(.unknownIssuer, "unable to get local issuer certificate"), .tls, "ca_bundle = \"/path/to/ca.pem\" in [profiles.corp]"),
            (.tls(.expired, "certificate has expired"), .tls, "has expired"),
            (.tls(.wrongHost, "no alternative certificate subject name"), .tls, "base_url of profile 'corp'"),
            (.tls(.clientCertificate, "alert certificate required"), .tls, "client_cert and client_key"),
            (.proxyUnreachable(proxy: "http://p:1", detail: "connection refused"), .unavailable, "cannot reach the proxy http://p:1"),
            (.proxyRefused(proxy: "http://p:1", status: 407), .permission, "wants a login"),
            (.proxyRefused(proxy: "http://p:1", status: 403), .permission, "policy"),
            (.proxyRefused(proxy: "http://p:1", status: 502), .unavailable, "could not open a tunnel"),
            (.couldNotConnect("connection refused to 127.0.0.1:9"), .unavailable, "cannot reach corp"),
            (.receiveFailed("transfer closed"), .unavailable, "broke before the answer began"),
        ]
        for (error, category, words) in cases {
            let result = summary(error)
            XCTAssertEqual(result.category, category, "\(error)")
            XCTAssertTrue(result.message.contains(words), "\(words) not in \(result.message)")
            XCTAssertFalse(result.message.contains("\n"))
        }
    }

    func testFlagsForBatchesAndRetries() {
        XCTAssertTrue(summary(.couldNotConnect("refused")).stopsBatch)
        XCTAssertTrue(summary(.tls(.unknownIssuer, "x")).stopsBatch)
        XCTAssertFalse(summary(.receiveFailed("reset")).stopsBatch)
        XCTAssertTrue(summary(.receiveFailed("reset")).isRetryableBeforeAnswer)
        XCTAssertFalse(summary(.receiveFailed("reset"), answered: true).isRetryableBeforeAnswer)
        XCTAssertTrue(summary(.receiveFailed("reset"), answered: true).message.contains("cut off"))
    }
}
