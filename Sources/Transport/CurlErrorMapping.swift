internal import CShims
import FoundationEssentials
import TextFormatting

/// Turns a CURLcode (plus what the callbacks observed) into a TransportError, once, at the boundary.
enum CurlErrorMapping {
    /// What libcurl reported about one failed hop.
    struct Failure {
        let code: CURLcode
        let message: String
        let url: String
        let osErrno: Int
        /// The proxy the hop went through, if any.
        let proxy: ProxyRules.Choice?
        /// The proxy's status for CONNECT (0 when there was none).
        let connectStatus: Int
        /// The transfer ran into the time left of the caller's overall timeout (`--timeout`).
        var totalTimeoutReached = false
    }

    static func error(_ failure: Failure, transfer: CurlTransfer, stallTimeout: Double) -> TransportError {
        if transfer.stalled { return .stalled(seconds: stallTimeout) }
        if transfer.abortedByCaller { return .aborted }
        let message = failure.message
        let url = failure.url
        if let proxy = failure.proxy {
            if failure.connectStatus >= 300 { return .proxyRefused(proxy: proxy.redacted, status: failure.connectStatus) }
            switch failure.code {
            case CURLE_COULDNT_RESOLVE_PROXY:
                return .proxyUnreachable(proxy: proxy.redacted, detail: "could not resolve its host name (from \(proxy.variable))")
            case CURLE_COULDNT_CONNECT where failure.connectStatus == 0:
                return .proxyUnreachable(proxy: proxy.redacted, detail: reason(osErrno: failure.osErrno) ?? message)
            default: break
            }
        }
        switch failure.code {
        case CURLE_COULDNT_RESOLVE_HOST: return .couldNotResolveHost(RedirectRule.host(of: url))
        case CURLE_COULDNT_CONNECT: return .couldNotConnect(connectFailure(message: message, url: url, osErrno: failure.osErrno))
        case CURLE_OPERATION_TIMEDOUT: return failure.totalTimeoutReached ? .totalTimeoutReached : .timedOut(message)
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CONNECT_ERROR, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED,
            CURLE_SSL_CIPHER, CURLE_SSL_ENGINE_INITFAILED, CURLE_SSL_CRL_BADFILE, CURLE_SSL_ISSUER_ERROR,
            CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS:
            return .tls(TLSProblem.classify(message, isClientCertificateCode: false, isCAFileCode: false), message)
        case CURLE_SSL_CERTPROBLEM:
            return .tls(TLSProblem.classify(message, isClientCertificateCode: true, isCAFileCode: false), message)
        case CURLE_SSL_CACERT_BADFILE:
            return .tls(TLSProblem.classify(message, isClientCertificateCode: false, isCAFileCode: true), message)
        case CURLE_TOO_MANY_REDIRECTS: return .tooManyRedirects(0)
        case CURLE_UNSUPPORTED_PROTOCOL: return .disallowedScheme(RedirectRule.scheme(of: url) ?? "unknown")
        case CURLE_URL_MALFORMAT: return .invalidURL(URLRedactor.redact(url))
        case CURLE_SEND_ERROR: return .sendFailed(message)
        case CURLE_RECV_ERROR, CURLE_PARTIAL_FILE:
            // With TLS 1.3 a server that rejects the client certificate says so in an alert after the handshake.
            if isTLSAlert(message) { return .tls(TLSProblem.classify(message, isClientCertificateCode: false, isCAFileCode: false), message) }
            return .receiveFailed(message)
        case CURLE_WRITE_ERROR, CURLE_ABORTED_BY_CALLBACK: return .aborted
        default: return .other(code: Int(failure.code.rawValue), message: message)
        }
    }

    private static func isTLSAlert(_ message: String) -> Bool {
        let text = message.lowercased()
        return text.contains("ssl") && text.contains("alert")
    }

    /// The OS's reason, lower case ("connection refused"), when it gave one.
    private static func reason(osErrno: Int) -> String? {
        osErrno == 0 ? nil : ErrnoText.reason(Int32(osErrno))
    }

    /// "connection refused to 127.0.0.1:1234" when the OS said why; otherwise libcurl's message.
    private static func connectFailure(message: String, url: String, osErrno: Int) -> String {
        guard let reason = reason(osErrno: osErrno), let origin = RedirectRule.origin(of: url),
            let authority = origin.split(separator: "/").last
        else {
            return message
        }
        return "\(reason) to \(authority)"
    }
}
