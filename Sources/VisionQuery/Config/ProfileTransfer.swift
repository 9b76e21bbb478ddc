import FoundationEssentials
import Platform
import Transport

/// The transfer settings a profile and the environment call for, in one place for every request path: trusted CAs
/// (`ca_bundle`, else `CURL_CA_BUNDLE`, else `SSL_CERT_FILE` and `SSL_CERT_DIR`, as curl reads them), the client
/// certificate pair (`client_cert`, `client_key`), proxies from the environment, and the Unix socket of a
/// `unix://` base URL. Every file is checked here, before anything is sent.
public enum ProfileTransfer {
    /// Transfer options for `profile`; timeouts and logging are left for the caller to set.
    public static func options(for profile: Profile, environment: [String: String]) throws(VQError) -> TransferOptions {
        var options = TransferOptions()
        options.tls = try tlsSettings(for: profile, environment: environment)
        options.proxy = ProxyRules(environment: environment)
        options.unixSocket = profile.unixSocketPath
        return options
    }

    static func tlsSettings(for profile: Profile, environment: [String: String]) throws(VQError) -> TLSSettings {
        var tls = TLSSettings()
        let section = "in [profiles.\(profile.name)]"
        if let bundle = profile.caBundle {
            tls.caBundle = try readableFile(expand(bundle), named: "ca_bundle \(section)")
        } else if let bundle = nonEmpty(environment["CURL_CA_BUNDLE"]) {
            tls.caBundle = try readableFile(bundle, named: "CURL_CA_BUNDLE")
        } else {
            if let file = nonEmpty(environment["SSL_CERT_FILE"]) { tls.caBundle = try readableFile(file, named: "SSL_CERT_FILE") }
            if let directory = nonEmpty(environment["SSL_CERT_DIR"]) {
                // OpenSSL's form: several directories separated by ':'; libcurl takes one, so the first that exists.
                let candidates = directory.split(separator: ":").map(String.init)
                guard let found = candidates.first(where: isDirectory) else {
                    throw VQError(.config, "SSL_CERT_DIR=\(directory): no such directory")
                }
                tls.caDirectory = found
            }
        }
        if let certificate = profile.clientCert { tls.clientCertificate = try readableFile(expand(certificate), named: "client_cert \(section)") }
        if let key = profile.clientKey {
            guard profile.clientCert != nil else {
                throw VQError(.config, "client_key \(section) needs client_cert (the certificate that goes with the key)")
            }
            tls.clientKey = try readableFile(expand(key), named: "client_key \(section)")
        }
        return tls
    }

    private static func readableFile(_ path: String, named what: String) throws(VQError) -> String {
        var isDirectory = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw VQError(.config, "\(what): \(path): no such file")
        }
        guard !isDirectory else { throw VQError(.config, "\(what): \(path) is a directory; a PEM file is needed") }
        guard FileManager.default.isReadableFile(atPath: path) else { throw VQError(.config, "\(what): \(path): permission denied") }
        return path
    }

    private static func isDirectory(_ path: String) -> Bool {
        var flag = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &flag) && flag
    }

    private static func expand(_ path: String) -> String { PathText.expandingTilde(path) }

    private static func nonEmpty(_ value: String?) -> String? { value?.isEmpty == false ? value : nil }
}
