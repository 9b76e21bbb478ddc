import FoundationEssentials

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
    case tlsFailure = 76
    case nonConformingAnswer = 79
    case noPermission = 77
    case config = 78
    case refused = 80
    /// Not returned for an error: a signal ends vq (after its temporary files are removed) and the shell reports 128 +
    /// the signal's number; 141 is what vq returns when stdout's reader went away, as SIGPIPE would.
    case hangup = 129
    case interrupted = 130
    case stdoutClosed = 141
    case terminated = 143

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
        case .tls: self = .tlsFailure
        case .nonConforming: self = .nonConformingAnswer
        case .permission: self = .noPermission
        case .config: self = .config
        case .refused: self = .refused
        }
    }

    /// What the code means, for documentation.
    public var meaning: String {
        switch self {
        case .success: return "success (also --help, --version)"
        case .partialFailure:
            return "vq batch finished, but some images failed (each failure is in its JSON line); vq batch merge: complete, but some lines failed"
        case .usage:
            return "usage error: unknown option, bad option value, a --profile that names no profile, missing prompt (also when every argument is an image)"
        case .dataError:
            return
                "bad input data: not an image, corrupt, too many images; or the service rejected the request (HTTP 400, 413, 422); vq batch merge: shards that disagree or changed after they finished"
        case .noInput: return "an input file is missing or unreadable; vq batch merge: shards missing or not finished"
        case .unavailable: return "service unavailable: network failure, HTTP 5xx, stream cut off"
        case .software: return "internal error (a bug in vq)"
        case .cannotCreate: return "cannot create an output file, or the vq batch --out file is locked by another vq"
        case .tempFailure: return "temporary failure: rate limited (HTTP 429)"
        case .tlsFailure:
            return
                "TLS failure: the server's certificate is signed by an unknown CA (set ca_bundle or SSL_CERT_FILE), names another host or has expired, or the client certificate was refused"
        case .nonConformingAnswer: return "the answer is not JSON or breaks the --schema (the first violation is named; --json keeps the raw answer)"
        case .noPermission: return "permission: missing API key, HTTP 401 or 403, not enough credits (HTTP 402, Segmind 406)"
        case .config:
            return
                "configuration error: bad config file, default_profile or VQ_PROFILE naming no profile, HTTP 404 or 405 (wrong base_url, path or model), libcurl not installed"
        case .refused:
            return "the service's content filter refused the prompt or stopped the answer (Azure OpenAI content_filter, Bedrock guardrails); rephrase it"
        case .hangup: return "the terminal went away (SIGHUP); as for 130"
        case .interrupted:
            return
                "interrupted (Ctrl-C, SIGINT): temporary files are removed and no half-written file stays; vq batch --out keeps every finished line, and the same command with --resume continues"
        case .stdoutClosed: return "standard output was closed early (vq ... | head -1): vq stops quietly"
        case .terminated: return "terminated (SIGTERM); as for 130"
        }
    }
}
