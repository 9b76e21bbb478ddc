import FoundationEssentials
import Transport

/// `vq models`: asks the profile's service which models this key may use (`GET /models`, `/api/tags`, …).
extension QuerySession {
    /// Model ids, sorted; errors as for a query (the key, the URL, the service's own message).
    public func listModels(client: HTTPClient) throws(VQError) -> [String] {
        guard var request = provider.modelsRequest(key: key) else {
            throw VQError(.usage, "profile '\(profile.name)' (\(profile.api.rawValue)) has no model list")
        }
        request.apply(extraHeaders: options.headers.map { (name: $0.name, value: $0.value) })
        request = try provider.authorize(request, context: context(client: client))
        let head: HTTPResponseHead
        let body: Data
        do {
            (head, body) = try client.fetch(request, options: transfer, maxBytes: 16 << 20)
        } catch {
            throw QueryRunner.transportFailure(error, profile: profile.name, answered: false, hint: provider.connectionHint)
        }
        guard (200..<300).contains(head.status) else { throw provider.failure(status: head.status, body: body, headers: head.headers) }
        guard let models = provider.decodeModels(body) else {
            throw VQError(.unavailable, "\(profile.name) answered the model list with something vq cannot read: \(ServiceErrorSummary.excerpt(body))")
        }
        return models.sorted()
    }
}
