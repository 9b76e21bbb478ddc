import FoundationEssentials
import Glibc
import TextFormatting

/// When and how long to wait before sending a request again (the official SDKs' policy).
public struct RetryPolicy: Sendable, Equatable {
    /// Retries after the first attempt (`--retries`).
    public var retries: Int = 2
    /// First backoff; doubles each retry, with jitter.
    public var baseDelay: Double = 0.5
    public var maxBackoff: Double = 8
    /// Longest server-demanded wait (Retry-After) vq honours; a longer demand is not retried (`--retry-max-wait`).
    public var maxWait: Double = 60

    public init(retries: Int = 2, baseDelay: Double = 0.5, maxBackoff: Double = 8, maxWait: Double = 60) {
        self.retries = retries
        self.baseDelay = baseDelay
        self.maxBackoff = maxBackoff
        self.maxWait = maxWait
    }

    /// Statuses worth another try; 400/401/403/404/413/422 and the rest never are.
    public static let retryableStatuses: Set<Int> = [408, 409, 429, 500, 502, 503, 504, 529]

    /// Transport failures worth another try (before any byte of the answer was delivered).
    public static func isRetryable(_ error: TransportError) -> Bool {
        switch error {
        case .couldNotConnect, .timedOut, .stalled, .sendFailed, .receiveFailed, .couldNotResolveHost, .proxyUnreachable: return true
        // A proxy's 5xx to CONNECT means it could not reach the service (worth another try); 403/407 never change.
        case .proxyRefused(_, let status): return status >= 500
        case .tls, .tooManyRedirects, .disallowedScheme, .invalidURL, .aborted, .other, .totalTimeoutReached, .libraryUnavailable: return false
        }
    }

    /// Exponential backoff with full jitter in [delay/2, delay] for retry number `attempt` (1-based).
    public func backoff(attempt: Int, random: Double = Double.random(in: 0...1)) -> Double {
        let delay = min(maxBackoff, baseDelay * pow(2, Double(attempt - 1)))
        return delay / 2 + delay / 2 * random
    }

    /// The wait a response demands, from `retry-after-ms` or `Retry-After` (seconds or an HTTP date).
    public static func demandedWait(_ headers: [String: String], now: Date = Date()) -> Double? {
        if let text = headers["retry-after-ms"], let ms = Double(text.trimmingWhitespace()), ms >= 0 {
            return ms / 1000
        }
        guard let text = headers["retry-after"]?.trimmingWhitespace(), !text.isEmpty else { return nil }
        if let seconds = Double(text), seconds >= 0 { return seconds }
        guard let date = HTTPDate.parse(text) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }
}

/// One announced retry, for `-v` ("429 from scaleway, retrying in 1.2 s (2/3)").
public struct RetryNotice: Sendable, Equatable {
    /// "HTTP 429" or the transport error.
    public let reason: String
    public let delay: Double
    /// The attempt about to start (2 = first retry) and the most there will be.
    public let attempt: Int
    public let maxAttempts: Int

    public init(reason: String, delay: Double, attempt: Int, maxAttempts: Int) {
        self.reason = reason
        self.delay = delay
        self.attempt = attempt
        self.maxAttempts = maxAttempts
    }
}
