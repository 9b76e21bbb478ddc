import XCTest

@testable import Transport

/// The proxy choice follows libcurl's environment rules, so -v and errors name the proxy libcurl really uses.
final class ProxyRulesTests: XCTestCase {
    func choice(_ url: String, _ environment: [String: String]) -> String? {
        ProxyRules(environment: environment).proxy(for: url).map { "\($0.url) \($0.variable)" }
    }

    func testSchemeVariableThenAllProxy() {
        XCTAssertEqual(choice("https://api.example.com/v1", ["https_proxy": "http://p:1"]), "http://p:1 https_proxy")
        XCTAssertEqual(choice("https://api.example.com/v1", ["HTTPS_PROXY": "http://p:2"]), "http://p:2 HTTPS_PROXY")
        XCTAssertEqual(choice("https://api.example.com/v1", ["https_proxy": "http://p:1", "HTTPS_PROXY": "http://p:2"]), "http://p:1 https_proxy")
        XCTAssertEqual(choice("http://api.example.com/v1", ["http_proxy": "http://p:3"]), "http://p:3 http_proxy")
        XCTAssertEqual(choice("http://api.example.com/v1", ["ALL_PROXY": "socks5h://p:4"]), "socks5h://p:4 ALL_PROXY")
        XCTAssertNil(choice("https://api.example.com/v1", [:]))
    }

    func testUpperCaseHTTPProxyIsIgnoredForHTTP() {
        // libcurl never reads HTTP_PROXY (a CGI server sets it from the request's Proxy header).
        XCTAssertNil(choice("http://api.example.com/v1", ["HTTP_PROXY": "http://p:1"]))
        XCTAssertEqual(choice("http://api.example.com/v1", ["HTTP_PROXY": "http://p:1", "all_proxy": "http://p:5"]), "http://p:5 all_proxy")
    }

    func testEmptyVariableMeansNoProxy() {
        XCTAssertNil(choice("https://api.example.com/v1", ["https_proxy": "", "all_proxy": "http://p:5"]))
    }

    func testNoProxyMatchesLikeLibcurl() {
        let proxy = ["https_proxy": "http://p:1"]
        func exempt(_ url: String, _ list: String) -> Bool { choice(url, proxy.merging(["no_proxy": list]) { $1 }) == nil }
        XCTAssertTrue(exempt("https://api.example.com/", "*"))
        XCTAssertTrue(exempt("https://api.example.com/", "example.com"))
        XCTAssertTrue(exempt("https://api.example.com/", ".example.com"))
        XCTAssertTrue(exempt("https://example.com/", ".example.com"))
        XCTAssertFalse(exempt("https://badexample.com/", "example.com"))
        XCTAssertTrue(exempt("https://API.Example.com./", "other.org, example.com"))
        XCTAssertTrue(exempt("https://10.1.2.3/", "10.0.0.0/8"))
        XCTAssertFalse(exempt("https://11.1.2.3/", "10.0.0.0/8"))
        XCTAssertTrue(exempt("https://[::1]:8443/", "::1"))
        XCTAssertFalse(exempt("https://api.example.com/", "10.0.0.0/8"))
        XCTAssertNil(choice("https://api.example.com/", proxy.merging(["NO_PROXY": "example.com"]) { $1 }))
    }

    func testRedactedHidesCredentials() {
        let rules = ProxyRules(environment: ["https_proxy": "http://alice:secret@p:1"])
        XCTAssertEqual(rules.proxy(for: "https://x/")?.redacted.contains("secret"), false)
    }
}
