internal import CShims
import Foundation
import TextFormatting

/// Turns a CURLcode (plus what the callbacks observed) into a TransportError, once, at the boundary.
enum CurlErrorMapping {
    /// `totalTimeoutReached`: the transfer ran into the time left of the caller's overall timeout (`--timeout`).
    static func error(code: CURLcode, message: String, url: String, osErrno: Int,
                      transfer: CurlTransfer, stallTimeout: Double, totalTimeoutReached: Bool = false) -> TransportError {
        if transfer.stalled { return .stalled(seconds: stallTimeout) }
        if transfer.abortedByCaller { return .aborted }
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST: return .couldNotResolveHost(RedirectRule.host(of: url))
        case CURLE_COULDNT_CONNECT: return .couldNotConnect(connectFailure(message: message, url: url, osErrno: osErrno))
        case CURLE_OPERATION_TIMEDOUT: return totalTimeoutReached ? .totalTimeoutReached : .timedOut(message)
        case CURLE_SSL_CONNECT_ERROR, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_CERTPROBLEM,
             CURLE_SSL_CIPHER, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_SHUTDOWN_FAILED,
             CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS:
            return .tls(message)
        case CURLE_TOO_MANY_REDIRECTS: return .tooManyRedirects(0)
        case CURLE_UNSUPPORTED_PROTOCOL: return .disallowedScheme(RedirectRule.scheme(of: url) ?? "unknown")
        case CURLE_URL_MALFORMAT: return .invalidURL(URLRedactor.redact(url))
        case CURLE_SEND_ERROR: return .sendFailed(message)
        case CURLE_RECV_ERROR, CURLE_PARTIAL_FILE: return .receiveFailed(message)
        case CURLE_WRITE_ERROR, CURLE_ABORTED_BY_CALLBACK: return .aborted
        default: return .other(code: Int(code.rawValue), message: message)
        }
    }

    /// "connection refused to 127.0.0.1:1234" when the OS said why; otherwise libcurl's message.
    private static func connectFailure(message: String, url: String, osErrno: Int) -> String {
        guard osErrno != 0, let origin = RedirectRule.origin(of: url), let authority = origin.split(separator: "/").last else {
            return message
        }
        return "\(ErrnoText.reason(Int32(osErrno))) to \(authority)"
    }
}
