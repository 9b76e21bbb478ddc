import Foundation

/// A short-lived access token (Vertex AI's OAuth token, an Azure Entra ID token) shared by every request of a run:
/// fetched again from `key_cmd` when it is older than `lifetime`, or once when the service answers 401 to it, so a
/// batch that outlives the token keeps going. Concurrent requests wait for one fetch instead of running key_cmd each.
final class AccessTokenCache: @unchecked Sendable {
    /// Google's and Entra's tokens last an hour; fetching a little early saves the 401 round trip.
    static let defaultLifetime: TimeInterval = 55 * 60
    private let lock = NSLock()
    private let lifetime: TimeInterval
    private var token: String?
    private var fetchedAt: Date?

    init(lifetime: TimeInterval = AccessTokenCache.defaultLifetime) { self.lifetime = lifetime }

    /// Runs `exchange` with the current token; after a 401 fetches a new one (unless another request already did) and
    /// runs it once more. `context.key` is the token the session fetched at its start.
    func run<Result>(
        _ context: ExchangeContext, _ exchange: (ExchangeContext) throws(VQError) -> Result
    ) throws(VQError) -> Result {
        var context = context
        context.key = try current(initial: context.key, refresh: context.refreshKey)
        do {
            return try exchange(context)
        } catch  where error.httpStatus == 401 && context.refreshKey != nil {
            context.key = try replace(stale: context.key, refresh: context.refreshKey!)
            return try exchange(context)
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
