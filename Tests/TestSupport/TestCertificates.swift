import Foundation

/// A private CA and certificates it signed, made with the `openssl` command in a directory of the test's own:
/// a server certificate for 127.0.0.1 and localhost, one for another host name, an expired one, and a client
/// certificate.
public struct TestCertificates {
    public let caCertificate: String
    /// A second CA that signed nothing vq sees: trusting it alone is an unknown issuer.
    public let otherCACertificate: String
    public let serverCertificate: String
    public let serverKey: String
    /// Signed by the CA, but for `other.example` only.
    public let wrongHostCertificate: String
    public let wrongHostKey: String
    /// Signed by the CA for 127.0.0.1, but expired a day ago.
    public let expiredCertificate: String
    public let expiredKey: String
    public let clientCertificate: String
    public let clientKey: String

    /// Makes every file in `directory` (EC P-256 keys: fast to make).
    public init(in directory: URL) throws {
        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
        caCertificate = path("ca.pem")
        otherCACertificate = path("other-ca.pem")
        serverCertificate = path("server.pem")
        serverKey = path("server.key")
        wrongHostCertificate = path("wrong-host.pem")
        wrongHostKey = path("wrong-host.key")
        expiredCertificate = path("expired.pem")
        expiredKey = path("expired.key")
        clientCertificate = path("client.pem")
        clientKey = path("client.key")
        let ecKey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        for (name, subject) in [("ca", "/CN=vq test CA"), ("other-ca", "/CN=vq other CA")] {
            try Self.openssl(
                ["req", "-x509"] + ecKey + [
                    "-keyout", path("\(name).key"), "-out", path("\(name).pem"), "-days", "2",
                    "-subj", subject, "-addext", "basicConstraints=critical,CA:TRUE",
                    "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                ])
        }
        try sign("server", subject: "/CN=127.0.0.1", extensions: "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth")
        try sign("wrong-host", subject: "/CN=other.example", extensions: "subjectAltName=DNS:other.example\nextendedKeyUsage=serverAuth")
        try sign("client", subject: "/CN=vq test client", extensions: "extendedKeyUsage=clientAuth")
        try sign("expired", subject: "/CN=127.0.0.1", extensions: "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth", days: "-1")

        func sign(_ name: String, subject: String, extensions: String, days: String = "2") throws {
            try Self.openssl(["req"] + ecKey + ["-keyout", path("\(name).key"), "-out", path("\(name).csr"), "-subj", subject])
            try (extensions + "\n").write(toFile: path("\(name).ext"), atomically: true, encoding: .utf8)
            try Self.openssl([
                "x509", "-req", "-in", path("\(name).csr"), "-CA", caCertificate, "-CAkey", path("ca.key"),
                "-CAcreateserial", "-out", path("\(name).pem"), "-days", days, "-extfile", path("\(name).ext"),
            ])
        }
    }

    /// Runs `openssl` with `arguments`; throws with its stderr when it fails.
    private static func openssl(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestCertificatesError.openssl(arguments.prefix(2).joined(separator: " "), String(decoding: message, as: UTF8.self))
        }
    }
}

/// The `openssl` command failed while making test certificates.
public enum TestCertificatesError: Error, CustomStringConvertible {
    case openssl(String, String)
    public var description: String {
        switch self {
        case .openssl(let command, let stderr): "openssl \(command) failed: \(stderr)"
        }
    }
}
