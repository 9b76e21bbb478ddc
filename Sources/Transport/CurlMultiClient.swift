import FoundationEssentials

/// HTTPClient for many concurrent senders: each send blocks its caller, while one thread drives every transfer on a
/// shared libcurl multi handle (connection reuse, HTTP/2 multiplexing). Same options, redirects and errors as
/// CurlHTTPClient, whose code it runs.
public final class CurlMultiClient: HTTPClient {
    private let client: CurlHTTPClient

    /// `maxIdleHandles`: easy handles kept for reuse; about the number of concurrent senders.
    public init(maxIdleHandles: Int = 16) {
        client = CurlHTTPClient(performer: CurlMultiLoop(), maxIdleHandles: maxIdleHandles)
    }

    public func send(
        _ request: HTTPRequest, options: TransferOptions, onHead: (HTTPResponseHead) -> Void,
        onData: (Data) -> Bool
    ) throws(TransportError) -> HTTPResponseHead {
        try client.send(request, options: options, onHead: onHead, onData: onData)
    }
}
