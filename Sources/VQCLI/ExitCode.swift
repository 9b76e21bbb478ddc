import VisionQuery

/// vq's exit statuses (sysexits), one table used by the CLI, `--help` and the man page.
public enum ExitCode: Int32, CaseIterable, Sendable {
    case success = 0
    case partialFailure = 1
    case usage = 64
    case dataError = 65
    case noInput = 66
    case unavailable = 69
    case software = 70
    case cannotCreate = 73
    case tempFailure = 75
    case protocolError = 76
    case noPermission = 77
    case config = 78

    /// The exit code for an error category; the only place this mapping is made.
    public init(_ category: VQError.Category) {
        switch category {
        case .usage: self = .usage
        case .badInput: self = .dataError
        case .inputMissing: self = .noInput
        case .unavailable: self = .unavailable
        case .internal: self = .software
        case .cannotCreate: self = .cannotCreate
        case .rateLimited: self = .tempFailure
        case .nonConforming: self = .protocolError
        case .permission: self = .noPermission
        case .config: self = .config
        }
    }

    /// What the code means, for documentation.
    public var meaning: String {
        switch self {
        case .success: return "success (also --help, --version)"
        case .partialFailure: return "vq batch finished, but some images failed (each failure is in its JSON line)"
        case .usage: return "usage error: unknown option, bad option value, missing prompt"
        case .dataError: return "bad input data: not an image, corrupt, too many images; or the service rejected the request (HTTP 400, 413, 422)"
        case .noInput: return "an input file is missing or unreadable"
        case .unavailable: return "service unavailable: network failure, HTTP 5xx, stream cut off"
        case .software: return "internal error (a bug in vq)"
        case .cannotCreate: return "cannot create an output file, or the vq batch --out file is locked by another vq"
        case .tempFailure: return "temporary failure: rate limited (HTTP 429)"
        case .protocolError: return "the answer is not JSON or breaks the --schema (the first violation is named; --json keeps the raw answer)"
        case .noPermission: return "permission: missing API key, HTTP 401 or 403, not enough credits (HTTP 402, Segmind 406)"
        case .config: return "configuration error: bad config file, unknown profile, HTTP 404 or 405 (wrong base_url, path or model)"
        }
    }
}
