import FoundationEssentials
import Platform

/// A profile of `api = "openai"` that does not say `pdf = …` may front a service without file parts: when the
/// service refuses the PDF file part (a 400 naming it), the request's PDFs are rendered page by page and it is sent
/// once more, and the user hears, once, that `pdf = "render"` skips the round trip. Shared by the threads of a batch.
final class DocumentFallback: @unchecked Sendable {
    private let preparer: DocumentPreparer
    private let profile: String
    private let notice: @Sendable (String) -> Void
    private let lock = Lock()
    private var told = false

    /// Nil unless the session's PDFs go whole by default (then a refusal can be answered by rendering).
    init?(session: QuerySession, preparer: DocumentPreparer?, notice: @escaping @Sendable (String) -> Void) {
        guard session.documents.rendersWhenRefused, let preparer else { return nil }
        self.preparer = preparer
        profile = session.profile.name
        self.notice = notice
    }

    /// `query` with its PDFs rendered when `error` is the service refusing them; nil when it is not.
    func rendered(_ query: Query, after error: VQError) throws(VQError) -> Query? {
        guard query.parts.contains(where: { $0.medium == .document }), DocumentPolicy.isFilePartRefusal(error) else { return nil }
        let first = lock.withLock { () -> Bool in
            defer { told = true }
            return !told
        }
        if first {
            notice(
                "\(profile) refused the PDF as a file (\(error.message)); sending its pages as images instead. "
                    + "Add pdf = \"render\" to profile '\(profile)' to skip this round trip")
        }
        var rendered = query
        rendered.parts = try preparer.renderingDocuments(query.parts)
        return rendered
    }
}
