import FoundationEssentials
import Platform
import TextFormatting
import Transport

/// Runs Gemini's Files API on a transport: a resumable upload (start, then `upload, finalize` with the bytes), then
/// `GET` until the file is ACTIVE (FAILED is an error; PROCESSING past `processingTimeout` is an error and the file
/// is deleted). Whatever it created is deleted again when the upload fails or `cancelled` becomes true (Ctrl-C).
public struct GeminiUploader {
    public let api: GeminiFilesAPI
    /// Sends every step (already retrying and redacting).
    public let client: HTTPClient
    public let transfer: TransferOptions
    /// Seconds to wait for a file to leave PROCESSING (the profile's `poll_timeout`).
    public var processingTimeout: Double
    public var schedule: PollSchedule
    /// Polled between steps, while waiting and while bytes move; true stops the upload (Ctrl-C).
    public var cancelled: @Sendable () -> Bool = { false }
    /// -v lines.
    public var log: (String) -> Void = { _ in }
    /// A transient status line while waiting.
    public var progress: (String) -> Void = { _ in }

    public init(api: GeminiFilesAPI, client: HTTPClient, transfer: TransferOptions) {
        self.api = api
        self.client = client
        self.transfer = transfer
        processingTimeout = api.profile.pollTimeout
        schedule = PollSchedule(initial: min(api.profile.pollInterval, 1), cap: max(api.profile.pollInterval, 1))
    }

    private var name: String { api.profile.name }

    /// Uploads `source` and returns the file once it is ACTIVE. `label` names the input in messages.
    public func upload(_ source: UploadSource, label: String) throws(VQError) -> GeminiFile {
        let started = Date()
        let stoppable = CancellableHTTPClient(base: client, cancelled: cancelled)
        let (startHead, startBody) = try call(api.startRequest(source), client: stoppable, step: "starting the upload of \(label)")
        guard let sessionURL = startHead.headers["x-goog-upload-url"], InputLoader.isURL(sessionURL) else {
            throw VQError(
                .unavailable,
                "\(name) did not return an upload URL for \(label) (no X-Goog-Upload-URL header): \(ServiceErrorSummary.excerpt(startBody))")
        }
        log("uploading \(label) (\(ByteCountText.format(source.length)), \(source.mimeType)) to \(URLRedactor.redact(api.uploadURL))")
        progress("\(name): uploading \(label) (\(ByteCountText.format(source.length)))")
        var file: GeminiFile
        do throws(VQError) {
            let (_, body) = try call(api.uploadRequest(source, to: sessionURL), client: stoppable, step: "uploading \(label)")
            guard let uploaded = GeminiFile.decode(body) else {
                throw VQError(.unavailable, "\(name) answered the upload of \(label) without a file: \(ServiceErrorSummary.excerpt(body))")
            }
            file = uploaded
        } catch {
            cancelSession(sessionURL)
            throw error
        }
        log("uploaded \(label) as \(file.name) in \(Self.seconds(Date().timeIntervalSince(started)))")
        do throws(VQError) {
            file = try waitUntilActive(file, label: label)
        } catch {
            if let warning = delete(file) { log(warning) }
            throw error
        }
        return file
    }

    /// Polls until the file is ACTIVE; FAILED, a stall past the deadline or Ctrl-C throw.
    private func waitUntilActive(_ uploaded: GeminiFile, label: String) throws(VQError) -> GeminiFile {
        var file = uploaded
        var schedule = self.schedule
        let started = Date()
        let stoppable = CancellableHTTPClient(base: client, cancelled: cancelled)
        while true {
            switch file.state {
            case .active:
                return file
            case .failed:
                throw VQError(.badInput, "\(name) could not process \(label) (\(file.name) FAILED)\(file.failure.map { ": \($0)" } ?? "")")
            case .processing, .other:
                let waited = Date().timeIntervalSince(started)
                let delay = schedule.next()
                guard waited + delay <= processingTimeout else {
                    throw VQError(
                        .unavailable,
                        "\(name) was still processing \(label) (\(file.name)) after \(Self.seconds(waited.rounded())); the file was deleted; raise poll_timeout in the profile to wait longer"
                    )
                }
                progress("\(name): processing \(label), \(Self.seconds(waited.rounded()))")
                try pause(delay)
                let (_, body) = try call(api.getRequest(file.name), client: stoppable, step: "checking \(file.name)")
                guard let fresh = GeminiFile.decode(body) else {
                    throw VQError(.unavailable, "\(name) answered GET \(file.name) without a file: \(ServiceErrorSummary.excerpt(body))")
                }
                file = fresh
            }
        }
    }

    /// The file as the service has it now, or nil when it is gone (404, or 403 for a file of another project).
    public func current(_ name: String) throws(VQError) -> GeminiFile? {
        let head: HTTPResponseHead
        let body: Data
        do {
            (head, body) = try CancellableHTTPClient(base: client, cancelled: cancelled).fetch(
                api.getRequest(name), options: transfer, maxBytes: 1 << 20)
        } catch {
            throw QueryRunner.transportFailure(error, profile: self.name, answered: false)
        }
        if head.status == 404 || head.status == 403 { return nil }
        guard (200..<300).contains(head.status) else { throw failure(head, body, step: "checking \(name)") }
        return GeminiFile.decode(body)
    }

    /// Deletes `file` (not cancellable: it is what Ctrl-C asks for); returns a warning when that failed.
    public func delete(_ file: GeminiFile) -> String? {
        do {
            let (head, body) = try client.fetch(api.deleteRequest(file.name), options: cleanupTransfer, maxBytes: 1 << 20)
            if (200..<300).contains(head.status) || head.status == 404 {
                log("deleted \(file.name)")
                return nil
            }
            return
                "could not delete \(file.name) from \(name) (HTTP \(head.status): \(ServiceErrorSummary.excerpt(body))); it expires by itself within 48 hours"
        } catch {
            return "could not delete \(file.name) from \(name) (\(error)); it expires by itself within 48 hours"
        }
    }

    /// Best effort: tells the service to drop a session whose upload did not finish.
    private func cancelSession(_ sessionURL: String) {
        _ = try? client.fetch(api.cancelRequest(sessionURL: sessionURL), options: cleanupTransfer, maxBytes: 1 << 16)
    }

    /// Clean-up requests run after Ctrl-C, so they must not be cancelled by it; they get a short deadline instead.
    private var cleanupTransfer: TransferOptions {
        var options = transfer
        options.cancellation = nil
        options.totalTimeout = min(transfer.totalTimeout ?? 30, 30)
        return options
    }

    /// Waits `seconds`, returning early (by throwing) when cancelled.
    private func pause(_ seconds: Double) throws(VQError) {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if cancelled() { throw Self.interrupted }
            BackgroundThread.sleep(seconds: min(0.05, max(0, end.timeIntervalSinceNow)))
        }
        if cancelled() { throw Self.interrupted }
    }

    static let interrupted = VQError(.unavailable, "interrupted (Ctrl-C)")

    /// One step of the protocol; a non-2xx answer is the service's one-line error naming the step.
    private func call(_ request: HTTPRequest, client: HTTPClient, step: String) throws(VQError) -> (HTTPResponseHead, Data) {
        if cancelled() { throw Self.interrupted }
        let head: HTTPResponseHead
        let body: Data
        do {
            (head, body) = try client.fetch(request, options: transfer, maxBytes: 1 << 20)
        } catch {
            if cancelled() { throw Self.interrupted }
            throw QueryRunner.transportFailure(error, profile: name, answered: false)
        }
        guard (200..<300).contains(head.status) else { throw failure(head, body, step: step) }
        return (head, body)
    }

    private func failure(_ head: HTTPResponseHead, _ body: Data, step: String) -> VQError {
        let error = GeminiAdapter(profile: api.profile).failure(status: head.status, body: body, headers: head.headers)
        return VQError(error.category, error.message + " (\(step))")
    }

    static func seconds(_ value: Double) -> String { MasterpiecexRunner.seconds(value) }
}
