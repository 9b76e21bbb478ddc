import TestSupport
import XCTest

/// vq over HTTPS to a real TLS server on loopback whose certificates come from a CA the test makes: private CAs
/// from the profile or the usual variables, mutual TLS, and the failures that each need their own fix (exit 76).
final class TLSEndToEndTests: EndToEndCase {
    var certificates: TestCertificates!
    var stub: OpenAIStubServer!

    override func setUpWithError() throws {
        try super.setUpWithError()
        certificates = try TestCertificates(in: directory)
        stub = try OpenAIStubServer()
    }

    /// A TLS server in front of the stub with the given certificate.
    func tlsServer(certificate: String? = nil, key: String? = nil, clientCA: String? = nil) throws -> TLSTerminator {
        try TLSTerminator(
            certificate: certificate ?? certificates.serverCertificate, key: key ?? certificates.serverKey,
            upstreamPort: URL(string: stub.baseURL)!.port!, clientCA: clientCA)
    }

    func query(
        _ server: TLSTerminator, host: String = "127.0.0.1", extraConfig: String = "",
        env: [String: String] = [:]
    ) throws -> VQProcess.Result {
        try png("a.png")
        let result = try vq(["Describe", "a.png"], baseURL: "https://\(host):\(server.port)/v1", extraConfig: extraConfig, env: env)
        assertKeyNeverShown(result)
        return result
    }

    func assertTLSFailure(_ result: VQProcess.Result, mentions words: [String], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(result.status, 76, result.stderr, file: file, line: line)
        XCTAssertEqual(result.stdout, "", file: file, line: line)
        let errors = result.stderr.split(separator: "\n").filter { $0.hasPrefix("vq: error: ") }
        XCTAssertEqual(errors.count, 1, result.stderr, file: file, line: line)
        for word in words { XCTAssertTrue(result.stderr.contains(word), "\(word) not in \(result.stderr)", file: file, line: line) }
    }

    func testPrivateCAFromTheProfileIsTrusted() throws {
        let server = try tlsServer()
        let result = try query(server, extraConfig: "ca_bundle = \"\(certificates.caCertificate)\"")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertFalse(result.stdout.isEmpty)
        XCTAssertEqual(stub.seen.count, 1)
        XCTAssertEqual(server.completedHandshakes, 1)
    }

    func testPrivateCAFromTheUsualVariablesIsTrusted() throws {
        let server = try tlsServer()
        for variable in ["CURL_CA_BUNDLE", "SSL_CERT_FILE"] {
            let result = try query(server, host: "localhost", env: [variable: certificates.caCertificate])
            XCTAssertEqual(result.status, 0, "\(variable): \(result.stderr)")
            XCTAssertFalse(result.stdout.isEmpty, variable)
        }
        XCTAssertEqual(stub.seen.count, 2)
    }

    func testCADirectoryFromSSLCertDirIsTrusted() throws {
        let server = try tlsServer()
        let cas = directory.appendingPathComponent("cas")
        try FileManager.default.createDirectory(at: cas, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: certificates.caCertificate, toPath: cas.appendingPathComponent("ca.pem").path)
        let rehash = Process()
        rehash.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        rehash.arguments = ["openssl", "rehash", cas.path]
        try rehash.run()
        rehash.waitUntilExit()
        XCTAssertEqual(rehash.terminationStatus, 0)
        let result = try query(server, env: ["SSL_CERT_DIR": "/nonexistent:" + cas.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(stub.seen.count, 1)
    }

    func testUnknownIssuerNamesTheFix() throws {
        let server = try tlsServer()
        // The system store does not hold the test CA; neither does another private CA.
        assertTLSFailure(try query(server), mentions: ["does not trust", "ca_bundle", "SSL_CERT_FILE"])
        assertTLSFailure(
            try query(server, extraConfig: "ca_bundle = \"\(certificates.otherCACertificate)\""),
            mentions: ["does not trust", "ca_bundle"])
        XCTAssertEqual(stub.seen.count, 0, "nothing may reach the service over an untrusted connection")
        XCTAssertEqual(server.completedHandshakes, 0)
    }

    func testWrongHostNameIsSaidSo() throws {
        let server = try tlsServer(certificate: certificates.wrongHostCertificate, key: certificates.wrongHostKey)
        let result = try query(server, extraConfig: "ca_bundle = \"\(certificates.caCertificate)\"")
        assertTLSFailure(result, mentions: ["another host name", "base_url"])
        XCTAssertEqual(stub.seen.count, 0)
    }

    func testExpiredCertificateIsSaidSo() throws {
        let server = try tlsServer(certificate: certificates.expiredCertificate, key: certificates.expiredKey)
        let result = try query(server, extraConfig: "ca_bundle = \"\(certificates.caCertificate)\"")
        assertTLSFailure(result, mentions: ["has expired", "renew"])
        XCTAssertEqual(stub.seen.count, 0)
    }

    func testMutualTLSSendsTheClientCertificate() throws {
        let server = try tlsServer(clientCA: certificates.caCertificate)
        let trust = "ca_bundle = \"\(certificates.caCertificate)\""
        let ok = try query(server, extraConfig: trust + "\nclient_cert = \"\(certificates.clientCertificate)\"\nclient_key = \"\(certificates.clientKey)\"")
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertEqual(stub.seen.count, 1)
        let refused = try query(server, extraConfig: trust)
        assertTLSFailure(refused, mentions: ["client certificate", "client_cert"])
        XCTAssertEqual(stub.seen.count, 1)
    }

    func testMissingCAFileIsAConfigErrorBeforeAnyTraffic() throws {
        let server = try tlsServer()
        let result = try query(server, extraConfig: "ca_bundle = \"\(directory.path)/nope.pem\"")
        XCTAssertEqual(result.status, 78, result.stderr)
        XCTAssertTrue(result.stderr.contains("ca_bundle in [profiles.stub]: \(directory.path)/nope.pem: no such file"), result.stderr)
        let fromVariable = try query(server, env: ["SSL_CERT_FILE": "/nonexistent/ca.pem"])
        XCTAssertEqual(fromVariable.status, 78, fromVariable.stderr)
        XCTAssertTrue(fromVariable.stderr.contains("SSL_CERT_FILE: /nonexistent/ca.pem: no such file"), fromVariable.stderr)
        XCTAssertEqual(server.completedHandshakes + server.refusedHandshakes, 0)
    }
}
