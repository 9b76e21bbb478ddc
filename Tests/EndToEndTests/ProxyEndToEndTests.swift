import TestSupport
import XCTest

/// vq through a real HTTP CONNECT proxy on loopback to a TLS server: the proxy is used and named in -v, its refusals
/// (407 login, 403 policy) are not retried and say they are the proxy's, and a dead proxy is blamed, not the service.
final class ProxyEndToEndTests: EndToEndCase {
    var certificates: TestCertificates!
    var stub: OpenAIStubServer!
    var server: TLSTerminator!

    override func setUpWithError() throws {
        try super.setUpWithError()
        certificates = try TestCertificates(in: directory)
        stub = try OpenAIStubServer()
        server = try TLSTerminator(
            certificate: certificates.serverCertificate, key: certificates.serverKey,
            upstreamPort: URL(string: stub.baseURL)!.port!)
    }

    func query(proxy: String, arguments: [String] = [], env: [String: String] = [:]) throws -> VQProcess.Result {
        try png("a.png")
        var environment = env
        environment["https_proxy"] = proxy
        let result = try vq(
            arguments + ["Describe", "a.png"], baseURL: "https://127.0.0.1:\(server.port)/v1",
            extraConfig: "ca_bundle = \"\(certificates.caCertificate)\"", env: environment)
        assertKeyNeverShown(result)
        return result
    }

    func assertOneError(_ result: VQProcess.Result, _ status: Int32, _ words: [String], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(result.status, status, result.stderr, file: file, line: line)
        XCTAssertEqual(result.stdout, "", file: file, line: line)
        XCTAssertEqual(result.stderr.split(separator: "\n").filter { $0.hasPrefix("vq: error: ") }.count, 1, result.stderr, file: file, line: line)
        for word in words { XCTAssertTrue(result.stderr.contains(word), "\(word) not in \(result.stderr)", file: file, line: line) }
    }

    func testAnswerComesThroughTheProxyAndVerboseNamesIt() throws {
        let proxy = try ConnectProxy()
        let result = try query(proxy: proxy.url, arguments: ["-v"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertFalse(result.stdout.isEmpty)
        XCTAssertEqual(proxy.connectTargets, ["127.0.0.1:\(server.port)"])
        XCTAssertTrue(result.stderr.contains("via the proxy \(proxy.url) (from https_proxy)"), result.stderr)
    }

    func testProxyLoginInTheURLWorksAndStaysSecret() throws {
        let proxy = try ConnectProxy(policy: .login(user: "alice", password: "proxy-secret"))
        let result = try query(proxy: "http://alice:proxy-secret@127.0.0.1:\(proxy.port)", arguments: ["-v"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(proxy.answeredStatuses, [200])
        XCTAssertFalse(result.stderr.contains("proxy-secret"), result.stderr)
    }

    func testAProxysLoginOnPlainHTTPIsTheProxysNotTheServices() throws {
        let proxy = try LoopbackHTTPServer { _, writer in
            writer.respond(status: 407, headers: [("Proxy-Authenticate", "Basic realm=\"corp\"")], body: Data("login".utf8))
        }
        let result = try vq(
            ["Describe", "https://example.org/c.jpg"], baseURL: "http://vq-service.invalid/v1", env: ["http_proxy": proxy.baseURL])
        assertOneError(result, 77, ["the proxy \(proxy.baseURL) wants a login", "407", "http_proxy=http://USER:PASSWORD@"])
        XCTAssertEqual(proxy.requests.count, 1, "a proxy login does not change between attempts")
    }

    func testProxyLoginMissingIsNotRetriedAndSaysSo() throws {
        let proxy = try ConnectProxy(policy: .login(user: "alice", password: "proxy-secret"))
        let result = try query(proxy: proxy.url)
        assertOneError(result, 77, ["the proxy \(proxy.url) wants a login", "407", "https_proxy=http://USER:PASSWORD@"])
        XCTAssertEqual(proxy.answeredStatuses, [407], "a proxy login does not change between attempts")
        XCTAssertEqual(stub.seen.count, 0)
    }

    func testProxyPolicyRefusalIsNotRetriedAndSaysSo() throws {
        let proxy = try ConnectProxy(policy: .deny)
        let result = try query(proxy: proxy.url)
        assertOneError(result, 77, ["the proxy \(proxy.url) refuses", "403", "policy"])
        XCTAssertEqual(proxy.answeredStatuses, [403])
    }

    func testDeadProxyIsBlamedNotTheService() throws {
        let port = try LoopbackHTTPServer.closedPort()
        let result = try query(proxy: "http://127.0.0.1:\(port)", arguments: ["--retries", "0"])
        assertOneError(result, 69, ["cannot reach the proxy http://127.0.0.1:\(port)", "connection refused"])
        XCTAssertFalse(result.stderr.contains(":\(server.port)"), "the service is not at fault: \(result.stderr)")
    }

    func testNoProxyGoesDirect() throws {
        let proxy = try ConnectProxy()
        let result = try query(proxy: proxy.url, env: ["NO_PROXY": "example.org, 127.0.0.0/8"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(proxy.connectTargets, [])
        XCTAssertEqual(stub.seen.count, 1)
    }
}
