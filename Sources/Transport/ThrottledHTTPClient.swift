import Foundation

/// An HTTPClient whose every attempt waits for the throttle and reports its status back to it.
public struct ThrottledHTTPClient: HTTPClient {
    public let base: HTTPClient
    public let throttle: RequestThrottle

    public init(base: HTTPClient, throttle: RequestThrottle) {
        self.base = base
        self.throttle = throttle
    }

    public func send(_ request: HTTPRequest, options: TransferOptions, onHead: (HTTPResponseHead) -> Void,
                     onData: (Data) -> Bool) throws(TransportError) -> HTTPResponseHead {
        throttle.acquire()
        do {
            let head = try base.send(request, options: options, onHead: onHead, onData: onData)
            throttle.release(status: head.status, retryAfter: RetryPolicy.demandedWait(head.headers))
            return head
        } catch {
            throttle.release(status: nil, retryAfter: nil)
            throw error
        }
    }
}
