import FoundationEssentials

/// Wraps a client so that nothing a server sends back (body or headers) contains the secrets the request carried:
/// a server echoing the request headers in an error body cannot make vq print, log or save the API key.
public struct RedactingHTTPClient: HTTPClient {
    public let base: HTTPClient

    public init(base: HTTPClient) { self.base = base }

    public func send(
        _ request: HTTPRequest, options: TransferOptions, onHead: (HTTPResponseHead) -> Void,
        onData: (Data) -> Bool
    ) throws(TransportError) -> HTTPResponseHead {
        let redactor = SecretRedactor(request: request)
        guard !redactor.isEmpty else { return try base.send(request, options: options, onHead: onHead, onData: onData) }
        var body = StreamingSecretRedactor(redactor)
        var stopped = false
        let head: HTTPResponseHead
        do {
            head = try base.send(
                request, options: options, onHead: { onHead(Self.redacted($0, redactor)) },
                onData: { chunk in
                    let safe = body.feed(chunk)
                    if safe.isEmpty { return true }
                    stopped = !onData(safe)
                    return !stopped
                })
        } catch {
            let rest = body.finish()
            if !stopped && !rest.isEmpty { _ = onData(rest) }
            throw error
        }
        let rest = body.finish()
        if !stopped && !rest.isEmpty { _ = onData(rest) }
        return Self.redacted(head, redactor)
    }

    private static func redacted(_ head: HTTPResponseHead, _ redactor: SecretRedactor) -> HTTPResponseHead {
        HTTPResponseHead(status: head.status, headers: head.headers.mapValues { redactor.redact($0) }, url: head.url)
    }
}
