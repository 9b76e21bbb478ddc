import FoundationEssentials

/// Every failure vq reports: a category (which decides the exit code, once, in the CLI) and one line for the user.
public struct VQError: Error, Equatable, CustomStringConvertible, Sendable {
    /// What kind of failure this is; each maps to one sysexits code.
    public enum Category: Equatable, Sendable {
        case usage  // 64: bad command line
        case badInput  // 65: not an image, corrupt, too many; service rejected the request data
        case inputMissing  // 66: input file missing or unreadable
        case unavailable  // 69: network failure, 5xx, stream cut off
        case tls  // 76: certificate not trusted, wrong host name, expired; client certificate refused
        case `internal`  // 70: a bug
        case cannotCreate  // 73: cannot create an output file
        case rateLimited  // 75: temporary failure, retry later
        case permission  // 77: 401/403, missing key
        case config  // 78: configuration error
        case nonConforming  // 79: the answer is not JSON or breaks the --schema
        case refused  // 80: the service's content filter refused the prompt or the answer
    }

    public let category: Category
    public let message: String
    /// The request could not work at all (TLS, proxy, refused connection): a batch whose first requests all fail
    /// this way stops instead of failing every image. 401/403 and configuration errors count as well (see `stopsBatch`).
    public var isUnreachable = false
    /// Nothing of the answer was received (a stream cut before its first text): sending again duplicates nothing.
    public var isRetryableBeforeAnswer = false
    /// The HTTP status the service answered with, when the failure is one (a 401 tells an expired token).
    public var httpStatus: Int?

    public init(_ category: Category, _ message: String) {
        self.category = category
        self.message = message
    }

    /// Whether this failure, repeated on the first requests of a batch with none answered, means the rest cannot work.
    public var stopsBatch: Bool {
        isUnreachable || [.permission, .config, .tls].contains(category)
    }

    public var description: String { message }
}
