// TEMPORARY stand-in for the Transport API until the transport branch merges.
import Foundation
public enum BodyPart: Sendable { case bytes(Data); case base64(Data) }
public struct HTTPRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: [BodyPart]
    public var secretHeaderNames: Set<String> = ["authorization", "x-api-key", "x-goog-api-key", "api-key"]
    public init(method: String, url: String, headers: [(name: String, value: String)] = [], body: [BodyPart] = []) {
        self.method = method; self.url = url; self.headers = headers; self.body = body
    }
    public var bodyLength: Int { 0 }
    public func bodyData() -> Data { Data() }
    public func redactedSummary() -> [String] { [] }
}
public struct HTTPResponseHead: Sendable { public let status: Int; public let headers: [String: String]; public let url: String }
public struct TransferOptions: Sendable {
    public var connectTimeout: Double = 15
    public var totalTimeout: Double? = nil
    public var stallTimeout: Double = 60
    public var maxRedirects: Int = 5
    public var maxBufferedErrorBody: Int = 1 << 20
    public var verbose: (@Sendable (String) -> Void)? = nil
    public init() {}
}
public enum TransportError: Error, Equatable, Sendable, CustomStringConvertible {
    case couldNotResolveHost(String), couldNotConnect(String), tls(String), timedOut(String), stalled(seconds: Double)
    case tooManyRedirects(Int), disallowedScheme(String), invalidURL(String), sendFailed(String), receiveFailed(String), aborted
    case other(code: Int, message: String)
    public var description: String { "" }
}
public protocol HTTPClient: Sendable {
    func send(_ request: HTTPRequest, options: TransferOptions, onHead: (HTTPResponseHead) -> Void, onData: (Data) -> Bool) throws(TransportError) -> HTTPResponseHead
}
extension HTTPClient {
    public func fetch(_ request: HTTPRequest, options: TransferOptions, maxBytes: Int = 64 << 20) throws(TransportError) -> (HTTPResponseHead, Data) { fatalError() }
}
public final class CurlHTTPClient: HTTPClient, @unchecked Sendable {
    public init() {}
    public func send(_ request: HTTPRequest, options: TransferOptions, onHead: (HTTPResponseHead) -> Void, onData: (Data) -> Bool) throws(TransportError) -> HTTPResponseHead { fatalError() }
}
public struct SSEEvent: Equatable, Sendable { public var event: String?; public var data: String; public var id: String? }
public struct SSEParser { public init() {}
    public mutating func feed(_ chunk: Data) -> [SSEEvent] { [] }
    public mutating func finish() -> (events: [SSEEvent], hadIncompleteEvent: Bool) { ([], false) } }
