import FoundationEssentials
import Transport

/// `vq --count-tokens`: the service counts the query's input tokens exactly (Anthropic's and Gemini's counting
/// endpoints), nothing is generated.
extension QuerySession {
    /// The exact input token count; a usage error for services without a counting endpoint. Media a Gemini request
    /// would upload are uploaded for the count and deleted after it (`log`: the -v lines of that).
    public func countTokens(_ query: Query, client: HTTPClient, log: @escaping (String) -> Void = { _ in }) throws(VQError) -> Int {
        let context = context(client: client)
        let counted = try provider.countingTokens(query, context: context, log: log) { (request) throws(VQError) -> Int in
            try fetchCount(request, context: context)
        }
        guard let counted else {
            throw VQError(
                .usage,
                "profile '\(profile.name)' (\(profile.api.rawValue)) has no token counting endpoint (anthropic and gemini have); --dry-run estimates instead")
        }
        return counted
    }

    /// Sends one counting request and reads its count.
    private func fetchCount(_ request: HTTPRequest, context: ExchangeContext) throws(VQError) -> Int {
        var request = request
        request.apply(extraHeaders: options.headers.map { (name: $0.name, value: $0.value) })
        request = try provider.authorize(request, context: context)
        let head: HTTPResponseHead
        let body: Data
        do {
            (head, body) = try context.client.fetch(request, options: transfer, maxBytes: 1 << 20)
        } catch {
            throw QueryRunner.transportFailure(error, profile: profile.name, answered: false, hint: provider.connectionHint)
        }
        guard (200..<300).contains(head.status) else { throw provider.failure(status: head.status, body: body, headers: head.headers) }
        guard let count = provider.decodeTokenCount(body) else {
            throw VQError(.unavailable, "\(profile.name) answered the token count with something vq cannot read: \(ServiceErrorSummary.excerpt(body))")
        }
        return count
    }
}
