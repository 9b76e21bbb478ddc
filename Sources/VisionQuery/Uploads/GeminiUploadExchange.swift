import FoundationEssentials
import Interrupts
import TextFormatting
import Transport

/// One Gemini exchange whose large media go through the Files API: each is uploaded (or a file kept earlier in the
/// conversation is reused while the service still has it), the request names them by `file_data`, and the files
/// it created are deleted after the answer unless `--keep-uploads`. Ctrl-C anywhere in it deletes them too, then
/// ends vq as usual (`InterruptScope`).
struct GeminiUploadExchange {
    let adapter: GeminiAdapter
    let route: GeminiUploadRoute
    let context: ExchangeContext

    func run(_ query: Query, sink: AnswerSink) throws(VQError) -> QueryOutcome {
        try InterruptScope.run { () throws(VQError) -> QueryOutcome in try exchange(query, sink: sink) }
    }

    private func exchange(_ query: Query, sink: AnswerSink) throws(VQError) -> QueryOutcome {
        var uploader = GeminiUploader(
            api: GeminiFilesAPI(profile: adapter.profile, key: context.key, extraHeaders: context.extraHeaders), client: context.client,
            transfer: context.transfer)
        uploader.cancelled = { InterruptScope.isRaised }
        uploader.log = { sink.debug($0) }
        uploader.progress = { sink.progress($0) }
        var created: [GeminiFile] = []
        var used: [String: GeminiFile] = [:]
        var files: [GeminiMediaSlot: GeminiFileReference] = [:]
        do throws(VQError) {
            for candidate in route.uploads {
                guard let source = candidate.source() else {
                    throw VQError(.inputMissing, "\(candidate.label): cannot read it to upload: \(ErrnoText.current)")
                }
                let file: GeminiFile
                if let reused = try reusable(source, earlier: query.history?.uploads ?? [:], uploader: uploader) {
                    sink.debug("reusing \(reused.name) for \(candidate.label) (kept by an earlier exchange)")
                    file = reused
                } else {
                    file = try uploader.upload(source, label: candidate.label)
                    created.append(file)
                }
                used[source.key] = file
                files[candidate.slot] = GeminiFileReference(uri: file.uri, mimeType: candidate.mimeType)
            }
            var request = try adapter.makeRequest(query, key: context.key, files: files)
            request.apply(extraHeaders: context.extraHeaders)
            try request.checkSize(for: adapter.profile)
            request = try adapter.authorize(request, context: context)
            let client = CancellableHTTPClient(base: context.client) { InterruptScope.isRaised }
            let runner = QueryRunner(client: client, transfer: context.transfer, provider: adapter)
            var outcome = try runner.run(
                request, stream: query.stream, sink: LinkedImageFetcher(sink: sink, client: context.client, transfer: context.transfer))
            if context.uploads.keep {
                outcome.keptUploads = used
            } else {
                deleteAll(created, uploader: uploader)
            }
            return outcome
        } catch {
            if !context.uploads.keep || InterruptScope.isRaised { deleteAll(created, uploader: uploader) }
            throw error
        }
    }

    /// A file an earlier exchange kept for the same bytes, if it has not expired and the service still has it ACTIVE.
    private func reusable(_ source: UploadSource, earlier: [String: GeminiFile], uploader: GeminiUploader) throws(VQError) -> GeminiFile? {
        guard let earlier = earlier[source.key], earlier.isUsable(at: Date()) else { return nil }
        guard let now = try uploader.current(earlier.name), now.state == .active, now.isUsable(at: Date()) else { return nil }
        return now
    }

    private func deleteAll(_ files: [GeminiFile], uploader: GeminiUploader) {
        for file in files {
            if let warning = uploader.delete(file) { uploader.log(warning) }
        }
    }
}
