import FoundationEssentials
import Interrupts
import TextFormatting
import Transport

/// One Gemini exchange whose large media go through the Files API: each is uploaded (or a file kept earlier in the
/// conversation is reused while the service still has it), the request names them by `file_data`, and the files
/// it created are deleted after the answer unless `--keep-uploads`. Ctrl-C anywhere in it deletes them too, then
/// ends vq as usual (`InterruptScope`). `--count-tokens` counts such a request the same way, always deleting after.
struct GeminiUploadExchange {
    let adapter: GeminiAdapter
    let route: GeminiUploadRoute
    let context: ExchangeContext

    func run(_ query: Query, sink: AnswerSink) throws(VQError) -> QueryOutcome {
        try InterruptScope.run { () throws(VQError) -> QueryOutcome in
            let keep = context.uploads.keep
            var (outcome, used) = try withUploads(query, keep: keep, log: { sink.debug($0) }, progress: { sink.progress($0) }) {
                (files) throws(VQError) -> QueryOutcome in
                var request = try adapter.makeRequest(query, key: context.key, files: files)
                request.apply(extraHeaders: context.extraHeaders)
                try request.checkSize(for: adapter.profile)
                request = try adapter.authorize(request, context: context)
                let client = CancellableHTTPClient(base: context.client) { InterruptScope.isRaised }
                let runner = QueryRunner(client: client, transfer: context.transfer, provider: adapter)
                return try runner.run(
                    request, stream: query.stream, sink: LinkedImageFetcher(sink: sink, client: context.client, transfer: context.transfer))
            }
            if keep { outcome.keptUploads = used }
            return outcome
        }
    }

    /// `--count-tokens` for a request that uploads: `count` runs on the counting request naming the uploaded files,
    /// which are deleted afterwards (kept ones are only for a conversation's later turns).
    func countTokens(
        _ query: Query, log: @escaping (String) -> Void, count: (HTTPRequest) throws(VQError) -> Int
    ) throws(VQError) -> Int {
        try InterruptScope.run { () throws(VQError) -> Int in
            try withUploads(query, keep: false, log: log, progress: { _ in }) { (files) throws(VQError) -> Int in
                try count(adapter.tokenCountRequest(query, key: context.key, files: files))
            }.result
        }
    }

    /// Uploads (or reuses) the route's media, runs `body` with their references, and deletes the files it created
    /// after it unless `keep`, and on any failure or Ctrl-C; returns `body`'s result and the files used, by source.
    private func withUploads<Result>(
        _ query: Query, keep: Bool, log: @escaping (String) -> Void, progress: @escaping (String) -> Void,
        body: ([GeminiMediaSlot: GeminiFileReference]) throws(VQError) -> Result
    ) throws(VQError) -> (result: Result, used: [String: GeminiFile]) {
        var uploader = GeminiUploader(
            api: GeminiFilesAPI(profile: adapter.profile, key: context.key, extraHeaders: context.extraHeaders), client: context.client,
            transfer: context.transfer)
        uploader.cancelled = { InterruptScope.isRaised }
        uploader.log = log
        uploader.progress = progress
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
                    log("reusing \(reused.name) for \(candidate.label) (kept by an earlier exchange)")
                    file = reused
                } else {
                    file = try uploader.upload(source, label: candidate.label)
                    created.append(file)
                }
                used[source.key] = file
                files[candidate.slot] = GeminiFileReference(uri: file.uri, mimeType: candidate.mimeType)
            }
            let result = try body(files)
            if !keep { deleteAll(created, uploader: uploader) }
            return (result, used)
        } catch {
            if !keep || InterruptScope.isRaised { deleteAll(created, uploader: uploader) }
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
