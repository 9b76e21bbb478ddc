internal import CShims
import FoundationEssentials

/// HTTPClient over libcurl: streams bodies both ways and follows redirects itself, guarding secrets.
public final class CurlHTTPClient: HTTPClient {
    private let pool: CurlHandlePool
    private let performer: CurlPerformer

    /// Each send runs on the calling thread with curl_easy_perform.
    public convenience init() { self.init(performer: CurlEasyPerformer(), maxIdleHandles: 4) }

    /// Sends run by `performer` (alone, or on a shared multi handle); `maxIdleHandles` easy handles are kept for reuse.
    init(performer: CurlPerformer, maxIdleHandles: Int) {
        self.performer = performer
        self.pool = CurlHandlePool(maxIdle: maxIdleHandles)
    }

    public func send(
        _ request: HTTPRequest, options: TransferOptions,
        onHead: (HTTPResponseHead) -> Void,
        onData: (Data) -> Bool
    ) throws(TransportError) -> HTTPResponseHead {
        try CurlGlobal.ensureLoaded()
        let result = withoutActuallyEscaping(onHead) { onHead in
            withoutActuallyEscaping(onData) { onData in
                let transfer = CurlTransfer(
                    body: request.body, stallTimeout: options.stallTimeout,
                    log: options.verbose, cancellation: options.cancellation, contentActivity: options.contentActivity,
                    onHead: onHead, onData: onData)
                let handle = pool.take()
                defer { pool.giveBack(handle) }
                return Result { () throws(TransportError) -> HTTPResponseHead in
                    try follow(request, options: options, handle: handle, transfer: transfer)
                }
            }
        }
        return try result.get()
    }

    /// Runs hops until a non-redirect response, applying the redirect rules between them.
    private func follow(
        _ original: HTTPRequest, options: TransferOptions, handle: CurlEasyHandle,
        transfer: CurlTransfer
    ) throws(TransportError) -> HTTPResponseHead {
        let deadline = options.totalTimeout.map { Date().addingTimeInterval($0) }
        var request = original
        var redirects = 0
        while true {
            guard let scheme = RedirectRule.scheme(of: request.url) else { throw .invalidURL(URLRedactor.redact(request.url)) }
            guard RedirectRule.isAllowedScheme(scheme) else { throw .disallowedScheme(scheme) }
            var remaining: Double? = nil
            if let deadline {
                remaining = deadline.timeIntervalSinceNow
                if remaining! <= 0 { throw .totalTimeoutReached }
            }
            let proxy = try perform(request, options: options, timeout: remaining, handle: handle, transfer: transfer)
            if let head = transfer.finalHead {
                // Over plain http the proxy answers in the service's place: its 407 is the proxy's login, not the service's.
                if head.status == 407, let proxy, RedirectRule.scheme(of: request.url) == "http" {
                    throw .proxyRefused(proxy: proxy.redacted, status: 407)
                }
                return head
            }
            guard transfer.isRedirectHop, let target: String = handle.info(CURLINFO_REDIRECT_URL) else {
                throw .receiveFailed("no response head received")
            }
            let status = transfer.hopStatus
            guard let targetScheme = RedirectRule.scheme(of: target) else { throw .invalidURL(URLRedactor.redact(target)) }
            guard RedirectRule.isAllowedScheme(targetScheme) else { throw .disallowedScheme(targetScheme) }
            redirects += 1
            if redirects > options.maxRedirects { throw .tooManyRedirects(options.maxRedirects) }
            options.verbose?("redirect \(status) to \(URLRedactor.redact(target))")
            request = redirected(request, status: status, to: target, log: options.verbose)
        }
    }

    /// The next hop's request: method/body per status; every header the user set dropped when the origin changes.
    private func redirected(_ request: HTTPRequest, status: Int, to target: String, log: ((String) -> Void)?) -> HTTPRequest {
        var next = request
        next.url = target
        if !RedirectRule.keepsMethodAndBody(status) && request.method != "HEAD" {
            next.method = "GET"
            next.body = []
            next.headers.removeAll { ["content-type", "content-length"].contains($0.name.lowercased()) }
        }
        if !RedirectRule.sameOrigin(request.url, target) {
            let travels = { (name: String) in RedirectRule.headersKeptAcrossOrigins.contains(name.lowercased()) }
            let dropped = next.headers.filter { !travels($0.name) }.map(\.name)
            next.headers.removeAll { !travels($0.name) }
            if !dropped.isEmpty { log?("dropping \(dropped.joined(separator: ", ")) for redirect to another host") }
        }
        return next
    }

    /// One hop: configure the handle, run it with the performer, map failures. Returns the proxy it went through.
    @discardableResult
    private func perform(
        _ request: HTTPRequest, options: TransferOptions, timeout: Double?,
        handle: CurlEasyHandle, transfer: CurlTransfer
    ) throws(TransportError) -> ProxyRules.Choice? {
        if let bad = request.headers.first(where: { ($0.name + $0.value).contains(where: { $0 == "\r" || $0 == "\n" }) }) {
            throw .other(code: 43, message: "header \(bad.name) contains a line break")
        }
        for line in request.redactedSummary() { options.verbose?("> " + line) }
        transfer.beginHop(url: request.url)
        handle.reset()
        handle.set(CURLOPT_URL, request.url)
        handle.set(CURLOPT_PROTOCOLS_STR, "http,https")
        handle.set(CURLOPT_FOLLOWLOCATION, 0)
        handle.set(CURLOPT_NOSIGNAL, 1)
        handle.set(CURLOPT_TCP_KEEPALIVE, 1)
        handle.set(CURLOPT_SUPPRESS_CONNECT_HEADERS, 1)
        handle.set(CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(options.connectTimeout))
        // On a shared multi handle, an HTTPS transfer waits for a connection being set up to learn (by ALPN) whether
        // it can carry HTTP/2 streams rather than opening its own. Plain http stays HTTP/1.1: nothing to wait for.
        if performer.sharesConnections && request.url.lowercased().hasPrefix("https://") { handle.set(CURLOPT_PIPEWAIT, 1) }
        if let timeout { handle.set(CURLOPT_TIMEOUT_MS, Self.milliseconds(timeout)) }
        let proxy = configureRoute(request.url, options: options, handle: handle)
        configureTLS(options.tls, handle: handle)

        let context = Unmanaged.passUnretained(transfer).toOpaque()
        handle.setHeaderCallback(CurlCallbacks.header, context: context)
        handle.setWriteCallback(CurlCallbacks.write, context: context)
        handle.setProgressCallback(CurlCallbacks.progress, context: context)

        var lines = request.headers.map { $0.value.isEmpty ? "\($0.name);" : "\($0.name): \($0.value)" }
        lines.append("Expect:")
        let hasBody = !request.body.isEmpty || !["GET", "HEAD", "DELETE", "OPTIONS"].contains(request.method)
        if hasBody {
            if !request.headers.contains(where: { $0.name.lowercased() == "content-type" }) { lines.append("Content-Type:") }
            handle.set(CURLOPT_POST, 1)
            handle.set(CURLOPT_POSTFIELDSIZE_LARGE, offset: request.bodyLength)
            handle.setReadCallback(CurlCallbacks.read, context: context)
            handle.setSeekCallback(CurlCallbacks.seek, context: context)
            if request.method != "POST" { handle.set(CURLOPT_CUSTOMREQUEST, request.method) }
        } else if request.method == "HEAD" {
            handle.set(CURLOPT_NOBODY, 1)
        } else {
            handle.set(CURLOPT_HTTPGET, 1)
            if request.method != "GET" { handle.set(CURLOPT_CUSTOMREQUEST, request.method) }
        }
        let headerList = CurlHeaderList(lines)
        handle.set(CURLOPT_HTTPHEADER, pointer: UnsafeMutableRawPointer(headerList.raw))

        let started = Date()
        let code = withExtendedLifetime(headerList) { withExtendedLifetime(transfer) { performer.perform(handle) } }
        guard code == CURLE_OK else {
            // A timeout that fired when the time left of the overall limit was used up is that limit, not connecting.
            let reachedTotal = timeout.map { Date().timeIntervalSince(started) >= $0 * 0.99 } ?? false
            var failure = CurlErrorMapping.Failure(
                code: code, message: handle.errorMessage(for: code), url: request.url,
                osErrno: handle.info(CURLINFO_OS_ERRNO) ?? 0, proxy: proxy,
                connectStatus: handle.info(CURLINFO_HTTP_CONNECTCODE) ?? 0)
            failure.totalTimeoutReached = reachedTotal
            let error = CurlErrorMapping.error(failure, transfer: transfer, stallTimeout: options.stallTimeout)
            options.verbose?("! \(error)")
            throw error
        }
        return proxy
    }

    /// Hands libcurl the proxy choice made by `ProxyRules` (none: the empty string, so libcurl reads no variable
    /// itself) or the Unix socket; says with -v which one is used. Returns the proxy.
    private func configureRoute(_ url: String, options: TransferOptions, handle: CurlEasyHandle) -> ProxyRules.Choice? {
        handle.set(CURLOPT_NOPROXY, "")
        if let socket = options.unixSocket {
            handle.set(CURLOPT_PROXY, "")
            handle.set(CURLOPT_UNIX_SOCKET_PATH, socket)
            options.verbose?("via the Unix socket \(socket)")
            return nil
        }
        let proxy = options.proxy.proxy(for: url)
        handle.set(CURLOPT_PROXY, proxy?.url ?? "")
        if let proxy { options.verbose?("via the proxy \(proxy.redacted) (from \(proxy.variable))") }
        return proxy
    }

    /// The CA bundle or directory replaces the system store only when given.
    private func configureTLS(_ tls: TLSSettings, handle: CurlEasyHandle) {
        if let bundle = tls.caBundle { handle.set(CURLOPT_CAINFO, bundle) }
        if let directory = tls.caDirectory {
            handle.set(CURLOPT_CAPATH, directory)
            // A directory alone must not be combined with the built-in bundle file, or the bundle would still be trusted.
            if tls.caBundle == nil { handle.set(CURLOPT_CAINFO, pointer: nil) }
        }
        if let certificate = tls.clientCertificate { handle.set(CURLOPT_SSLCERT, certificate) }
        if let key = tls.clientKey { handle.set(CURLOPT_SSLKEY, key) }
    }

    private static func milliseconds(_ seconds: Double) -> Int { max(1, Int((seconds * 1000).rounded(.up))) }
}
