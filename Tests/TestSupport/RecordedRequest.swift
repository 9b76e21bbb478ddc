import Foundation

/// One HTTP request as the loopback server received it.
public struct RecordedRequest: Sendable {
    public let method: String
    /// Request target as sent, including the query.
    public let path: String
    /// Header names lowercased; repeated headers joined with ", ".
    public let headers: [String: String]
    public let body: Data

    public init(method: String, path: String, headers: [String: String], body: Data) {
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// The value of query parameter `name`, percent-decoded; nil when absent.
    public func query(_ name: String) -> String? {
        URLComponents(string: "http://stub" + path)?.queryItems?.first { $0.name == name }?.value
    }

    public func json() throws -> Any { try JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]) }
}
