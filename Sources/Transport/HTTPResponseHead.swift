/// Status, headers and effective URL of the final response.
public struct HTTPResponseHead: Sendable, Equatable {
    public let status: Int
    /// Names lowercased; repeated headers joined with ", ".
    public let headers: [String: String]
    /// The URL that produced this response (after redirects).
    public let url: String

    public init(status: Int, headers: [String: String], url: String) {
        self.status = status
        self.headers = headers
        self.url = url
    }
}
