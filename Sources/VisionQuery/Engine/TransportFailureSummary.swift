import Transport

/// Turns a failed transfer into the one-line error the user sees: whose fault it is (the network, the proxy, a
/// certificate) and what fixes it, with the exit category that goes with it.
public enum TransportFailureSummary {
    /// `answered`: some text of the answer had already arrived (the answer was cut off, not unreachable); `hint` is
    /// what to try when the connection is refused (the provider's `connectionHint`, e.g. start Ollama).
    public static func error(_ error: TransportError, profile: String, answered: Bool, hint: String? = nil) -> VQError {
        if answered { return VQError(.unavailable, "the answer from \(profile) was cut off: \(error)") }
        switch error {
        case .libraryUnavailable(let reason):
            // The installation lacks a package, not the network a connection: fixed by installing it, like a setting.
            return VQError(.config, "cannot send requests: \(reason)")
        case .tls(let problem, let detail):
            var failure = VQError(.tls, "TLS: \(tlsAdvice(problem, detail: detail, profile: profile))")
            failure.isUnreachable = true
            return failure
        case .proxyUnreachable(let proxy, let detail):
            var failure = VQError(
                .unavailable,
                "cannot reach the proxy \(proxy) (for \(profile)): \(detail); "
                    + "check the proxy variable, or unset it to connect directly")
            failure.isUnreachable = true
            return failure
        case .proxyRefused(let proxy, let status):
            var failure: VQError
            switch status {
            case 407:
                failure = VQError(
                    .permission,
                    "the proxy \(proxy) wants a login (HTTP 407 from the proxy, for \(profile)): "
                        + "put it in the proxy URL, e.g. https_proxy=http://USER:PASSWORD@host:port (http_proxy=http://USER:PASSWORD@host:port for http)")
            case 403:
                failure = VQError(
                    .permission,
                    "the proxy \(proxy) refuses to open a tunnel for \(profile) (HTTP 403 to CONNECT): "
                        + "its policy forbids this host; ask its administrator, or add the host to NO_PROXY if it is reachable directly")
            default:
                failure = VQError(.unavailable, "the proxy \(proxy) could not open a tunnel for \(profile) (HTTP \(status) to CONNECT)")
            }
            failure.isUnreachable = status == 407 || status == 403
            return failure
        case .couldNotConnect where hint != nil:
            var failure = VQError(.unavailable, "cannot reach \(profile): \(error) (\(hint!))")
            failure.isUnreachable = true
            return failure
        case .couldNotResolveHost, .couldNotConnect:
            var failure = VQError(.unavailable, "cannot reach \(profile): \(error)")
            failure.isUnreachable = true
            return failure
        case .receiveFailed, .sendFailed, .stalled:
            // The server answered (or took the request) but the connection broke before any text arrived.
            var failure = VQError(.unavailable, "the connection to \(profile) broke before the answer began: \(error)")
            failure.isRetryableBeforeAnswer = RetryPolicy.isRetryable(error)
            return failure
        case .timedOut:
            return VQError(.unavailable, "cannot reach \(profile): \(error)")
        case .totalTimeoutReached:
            return VQError(.unavailable, "no answer from \(profile): \(error)")
        case .aborted, .tooManyRedirects, .disallowedScheme, .invalidURL, .other:
            return VQError(.unavailable, "request to \(profile) failed: \(error)")
        }
    }

    /// What went wrong with the certificate and the fix, e.g. the ca_bundle key for a private CA.
    static func tlsAdvice(_ problem: TLSProblem, detail: String, profile: String) -> String {
        switch problem {
        case .unknownIssuer:
            return "the server's certificate is signed by a CA that vq does not trust (\(detail)); for a private CA set "
                + "ca_bundle = \"/path/to/ca.pem\" in [profiles.\(profile)], or export SSL_CERT_FILE=/path/to/ca.pem"
        case .wrongHost:
            return "the server's certificate is for another host name (\(detail)); use the host name the certificate names in "
                + "base_url of profile '\(profile)'"
        case .expired:
            return "the server's certificate has expired or is not valid yet (\(detail)); the service must renew it (check the system clock too)"
        case .badCAFile:
            return "the CA bundle could not be used (\(detail)); check ca_bundle in [profiles.\(profile)], CURL_CA_BUNDLE, SSL_CERT_FILE and SSL_CERT_DIR"
        case .clientCertificate:
            return "the client certificate was refused or is missing (\(detail)); check client_cert and client_key in [profiles.\(profile)]"
        case .handshake:
            return "the TLS handshake with \(profile) failed (\(detail)); if the server speaks plain HTTP, use http:// in base_url"
        }
    }
}
