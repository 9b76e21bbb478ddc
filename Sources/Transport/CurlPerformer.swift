internal import CShims

/// Runs one configured easy handle to completion and returns libcurl's result; callbacks may run on another thread,
/// but `perform` returns only after the last one.
protocol CurlPerformer: Sendable {
    /// Whether transfers run side by side on shared connections (so an HTTPS transfer should wait for HTTP/2 multiplexing).
    var sharesConnections: Bool { get }
    func perform(_ handle: CurlEasyHandle) -> CURLcode
}

/// Runs the transfer on the calling thread with curl_easy_perform.
struct CurlEasyPerformer: CurlPerformer {
    var sharesConnections: Bool { false }
    func perform(_ handle: CurlEasyHandle) -> CURLcode { handle.perform() }
}
