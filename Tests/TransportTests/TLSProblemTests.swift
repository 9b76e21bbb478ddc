import XCTest

@testable import Transport

/// OpenSSL's reasons, as libcurl reports them, map to the problem whose fix the user is told.
final class TLSProblemTests: XCTestCase {
    func testClassifiesOpenSSLReasons() {
        let cases: [(String, TLSProblem)] = [
            ("SSL certificate problem: unable to get local issuer certificate", .unknownIssuer),
            ("SSL certificate problem: self-signed certificate in certificate chain", .unknownIssuer),
            ("SSL certificate problem: self signed certificate", .unknownIssuer),
            ("SSL certificate problem: certificate has expired", .expired),
            ("SSL certificate problem: certificate is not yet valid", .expired),
            ("SSL: no alternative certificate subject name matches target host name '127.0.0.1'", .wrongHost),
            ("SSL: certificate subject name 'other.example' does not match target host name 'api.example.com'", .wrongHost),
            ("OpenSSL SSL_read: error:0A00045C:SSL routines::tlsv13 alert certificate required, errno 0", .clientCertificate),
            ("error:0A000418:SSL routines::tlsv1 alert unknown ca", .clientCertificate),
            ("error:0A00010B:SSL routines::wrong version number", .handshake),
        ]
        for (message, expected) in cases {
            XCTAssertEqual(TLSProblem.classify(message, isClientCertificateCode: false, isCAFileCode: false), expected, message)
        }
        XCTAssertEqual(TLSProblem.classify("could not load PEM client certificate", isClientCertificateCode: true, isCAFileCode: false), .clientCertificate)
        XCTAssertEqual(TLSProblem.classify("error setting certificate file: /x.pem", isClientCertificateCode: false, isCAFileCode: true), .badCAFile)
    }
}
