/// Why a TLS connection failed, as far as libcurl's code and OpenSSL's message tell; each has its own fix.
public enum TLSProblem: String, Sendable, Equatable {
    /// The server's chain ends in a CA that is not trusted (unknown issuer, self-signed).
    case unknownIssuer
    /// The certificate does not name the host in the URL.
    case wrongHost
    /// The certificate has expired (or is not yet valid).
    case expired
    /// The CA bundle or directory given could not be used.
    case badCAFile
    /// The client certificate or key could not be used, or the server rejected it (or wanted one).
    case clientCertificate
    /// Anything else in the handshake (protocol or cipher mismatch, a reset during the handshake).
    case handshake

    /// Classifies a TLS failure from libcurl's error text (OpenSSL's reason is in it).
    static func classify(_ message: String, isClientCertificateCode: Bool, isCAFileCode: Bool) -> TLSProblem {
        let text = message.lowercased()
        if isCAFileCode { return .badCAFile }
        if isClientCertificateCode { return .clientCertificate }
        if text.contains("expired") || text.contains("not yet valid") { return .expired }
        if text.contains("subject name") || text.contains("does not match target host") || text.contains("hostname mismatch")
            || text.contains("no alternative certificate subject name")
        {
            return .wrongHost
        }
        if text.contains("alert certificate required") || text.contains("alert unknown ca") || text.contains("alert bad certificate")
            || text.contains("alert handshake failure") && text.contains("certificate")
        {
            return .clientCertificate
        }
        if text.contains("local issuer") || text.contains("self-signed") || text.contains("self signed")
            || text.contains("unable to get issuer") || text.contains("unknown ca") || text.contains("certificate verify failed")
        {
            return .unknownIssuer
        }
        return .handshake
    }
}
