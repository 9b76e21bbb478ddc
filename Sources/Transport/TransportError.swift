/// Why a transfer failed; messages never contain secrets.
public enum TransportError: Error, Equatable, Sendable, CustomStringConvertible {
    case couldNotResolveHost(String)
    case couldNotConnect(String)
    /// The TLS handshake or certificate check failed; `TLSProblem` says which fix applies.
    case tls(TLSProblem, String)
    /// The proxy (redacted URL) could not be reached or resolved.
    case proxyUnreachable(proxy: String, detail: String)
    /// The proxy answered the CONNECT with a failure status (407: its login; 403: its policy).
    case proxyRefused(proxy: String, status: Int)
    /// A timeout of libcurl's other than the overall one (connecting), in libcurl's words.
    case timedOut(String)
    /// The overall time limit (`--timeout`) ran out before the transfer finished.
    case totalTimeoutReached
    /// No data moved for the stall timeout.
    case stalled(seconds: Double)
    case tooManyRedirects(Int)
    /// Only http and https are ever used.
    case disallowedScheme(String)
    case invalidURL(String)
    case sendFailed(String)
    case receiveFailed(String)
    /// The onData callback asked to stop.
    case aborted
    case other(code: Int, message: String)
    /// libcurl could not be loaded or started (not installed, too old), in one line naming the package.
    case libraryUnavailable(String)

    public var description: String {
        switch self {
        case .couldNotResolveHost(let host): "could not resolve host \(host)"
        case .couldNotConnect(let detail): "could not connect: \(detail)"
        case .tls(_, let detail): "TLS error: \(detail)"
        case .proxyUnreachable(let proxy, let detail): "could not connect to the proxy \(proxy): \(detail)"
        case .proxyRefused(let proxy, let status): "the proxy \(proxy) refused the request (HTTP \(status))"
        case .timedOut(let detail): "timed out: \(detail)"
        case .totalTimeoutReached: "the --timeout ran out before the answer was complete"
        case .stalled(let seconds): "no data received for \(Self.seconds(seconds)); connection stalled"
        case .tooManyRedirects(let limit): "too many redirects (limit \(limit))"
        case .disallowedScheme(let scheme): "refusing URL scheme \"\(scheme)\" (only http and https are allowed)"
        case .invalidURL(let url): "invalid URL: \(url)"
        case .sendFailed(let detail): "sending failed: \(detail)"
        case .receiveFailed(let detail): "receiving failed: \(detail)"
        case .aborted: "transfer aborted"
        case .other(let code, let message): "transfer failed (curl \(code)): \(message)"
        case .libraryUnavailable(let reason): reason
        }
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }
}
