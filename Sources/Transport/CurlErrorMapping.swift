import CShims
import Foundation

/// Turns a CURLcode (plus what the callbacks observed) into a TransportError, once, at the boundary.
enum CurlErrorMapping {
    static func error(code: CURLcode, message: String, url: String, osErrno: Int,
                      transfer: CurlTransfer, stallTimeout: Double) -> TransportError {
        if transfer.stalled { return .stalled(seconds: stallTimeout) }
        if transfer.abortedByCaller { return .aborted }
        switch Int(code.rawValue) {
        case 6: return .couldNotResolveHost(RedirectRule.host(of: url))
        case 7: return .couldNotConnect(connectFailure(message: message, url: url, osErrno: osErrno))
        case 28: return .timedOut(message)
        case 35, 51, 53, 54, 58, 59, 60, 77, 80, 83, 90, 91: return .tls(message)
        case 47: return .tooManyRedirects(0)
        case 1: return .disallowedScheme(RedirectRule.scheme(of: url) ?? "unknown")
        case 3: return .invalidURL(URLRedactor.redact(url))
        case 55: return .sendFailed(message)
        case 56, 18: return .receiveFailed(message)
        case 23, 42: return .aborted
        default: return .other(code: Int(code.rawValue), message: message)
        }
    }

    /// "connection refused to 127.0.0.1:1234" when the OS said why; otherwise libcurl's message.
    private static func connectFailure(message: String, url: String, osErrno: Int) -> String {
        guard osErrno != 0, let origin = RedirectRule.origin(of: url), let authority = origin.split(separator: "/").last else {
            return message
        }
        return "\(String(cString: strerror(Int32(osErrno))).lowercased()) to \(authority)"
    }
}
