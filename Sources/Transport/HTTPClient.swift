import FoundationEssentials

/// Sends one request; streams the response body to onData as bytes arrive.
public protocol HTTPClient: Sendable {
    /// onHead is called once with the final (post-redirect) head before any onData;
    /// return false from onData to abort (→ TransportError.aborted).
    func send(
        _ request: HTTPRequest, options: TransferOptions,
        onHead: (HTTPResponseHead) -> Void,
        onData: (Data) -> Bool
    ) throws(TransportError) -> HTTPResponseHead
}

extension HTTPClient {
    /// Convenience: buffers the whole body (up to maxBytes; beyond that → aborted) — for non-streaming calls and error bodies.
    public func fetch(_ request: HTTPRequest, options: TransferOptions, maxBytes: Int = 64 << 20) throws(TransportError) -> (HTTPResponseHead, Data) {
        var body = Data()
        let head = try send(
            request, options: options, onHead: { _ in },
            onData: { chunk in
                guard body.count + chunk.count <= maxBytes else { return false }
                body.append(chunk)
                return true
            })
        return (head, body)
    }
}
