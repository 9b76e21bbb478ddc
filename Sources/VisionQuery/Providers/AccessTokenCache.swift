import FoundationEssentials
import Platform

/// A short-lived access token (Vertex AI's OAuth token, an Azure Entra ID token) shared by every request of a run:
/// fetched again from `key_cmd` when it is older than `lifetime`, or once when the service answers 401 to it, so a
/// batch that outlives the token keeps going. Concurrent requests wait for one fetch instead of running key_cmd each.
final class AccessTokenCache: @unchecked Sendable {
    /// Google's and Entra's tokens last an hour; fetching a little early saves the 401 round trip.
    static let defaultLifetime: TimeInterval = 55 * 60
    private let lock = Lock()
    private let lifetime: TimeInterval
    private var token: String?
    private var fetchedAt: Date?

    init(lifetime: TimeInterval = AccessTokenCache.defaultLifetime) { self.lifetime = lifetime }

    /// 401s one exchange may answer with a renewed token before the 401 is the answer: a concurrent request can use up
    /// the token this one renewed before this one sends again, so once is not always enough.
    static let renewalsPerExchange = 2

    /// Runs `exchange` with the current token; after a 401 fetches a new one (unless another request already did) and
    /// runs it again. `context.key` is the token the session fetched at its start.
    func run<Result>(
        _ context: ExchangeContext, _ exchange: (ExchangeContext) throws(VQError) -> Result
    ) throws(VQError) -> Result {
        var context = context
        context.key = try current(initial: context.key, refresh: context.refreshKey)
        var renewals = 0
        while true {
            do {
                return try exchange(context)
            } catch  where error.httpStatus == 401 && context.refreshKey != nil && renewals < Self.renewalsPerExchange {
                renewals += 1
                context.key = try replace(stale: context.key, refresh: context.refreshKey!)
            }
        }
    }

    /// The cached token, fetched again when older than its lifetime.
    private func current(initial: String?, refresh: (@Sendable () throws(VQError) -> String?)?) throws(VQError) -> String? {
        lock.lock()
        defer { lock.unlock() }
        if token == nil {
            token = initial
            fetchedAt = Date()
        } else if let refresh, let fetchedAt, Date().timeIntervalSince(fetchedAt) > lifetime {
            token = try refresh()
            self.fetchedAt = Date()
        }
        return token
    }

    /// A new token in place of `stale`; when another request has replaced it already, that one.
    private func replace(stale: String?, refresh: @Sendable () throws(VQError) -> String?) throws(VQError) -> String? {
        lock.lock()
        defer { lock.unlock() }
        if token == stale {
            token = try refresh()
            fetchedAt = Date()
        }
        return token
    }
}
