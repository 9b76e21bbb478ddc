import FoundationEssentials
import Imaging
import Platform
import TextFormatting
import Transport

/// Runs one Masterpiecex image query end to end: uploads local images (`/assets/create`, then PUT to the signed
/// URL), submits `/llm/image_query`, and polls `/status/{id}` with backoff until complete, failed or the deadline.
public struct MasterpiecexRunner: Sendable {
    public let client: HTTPClient
    public let transfer: TransferOptions
    public let adapter: MasterpiecexAdapter
    public let key: String?
    /// Seconds before vq stops polling.
    public var timeout: Double
    public var schedule: PollSchedule
    /// Waits between polls; injectable so unit tests need not sleep.
    public var sleep: @Sendable (Double) -> Void = { seconds in BackgroundThread.sleep(seconds: seconds) }
    /// Random part of uploaded asset names.
    public var nonce: String = String(UInt32.random(in: .min ... .max), radix: 36)

    public init(client: HTTPClient, transfer: TransferOptions, adapter: MasterpiecexAdapter, key: String?) {
        self.client = client
        self.transfer = transfer
        self.adapter = adapter
        self.key = key
        timeout = transfer.totalTimeout ?? adapter.profile.pollTimeout
        schedule = PollSchedule(initial: adapter.profile.pollInterval)
    }

    private var name: String { adapter.profile.name }

    /// `onProgress` gets a short status line while waiting; `onDebug` one line per step (for -v).
    public func run(
        _ query: Query, onProgress: (String) -> Void = { _ in },
        onDebug: (String) -> Void = { _ in }
    ) throws(VQError) -> QueryOutcome {
        let started = Date()
        var outcome = QueryOutcome()
        var imageURLs: [String] = []
        for (index, part) in query.parts.enumerated() {
            switch part.content {
            case .remoteURL(let url):
                imageURLs.append(url)
            case .video:
                preconditionFailure("masterpiecex reads no video whole; the engine sends \(part.name)'s frames as images")
            case .document:
                preconditionFailure("masterpiecex takes images only; the engine renders \(part.name)'s pages")
            case .image(let data, let info):
                let label = part.source == "-" ? "stdin" : part.source
                let asset = try createAsset(
                    MasterpiecexAdapter.assetName(index: index + 1, format: info.format, nonce: nonce),
                    description: "image uploaded by vq", mimeType: info.format.mimeType, label: label)
                if let balance = asset.balance { outcome.balance = balance }
                try upload(data, to: asset.assetURL, mimeType: info.format.mimeType, label: label)
                onDebug("uploaded \(label) as \(asset.publicURL)")
                imageURLs.append(asset.publicURL)
            }
        }
        let submission = try adapter.decodeSubmission(
            try call(adapter.imageQueryRequest(prompt: query.prompt, imageURLs: imageURLs, key: key), step: "/llm/image_query", outcome: &outcome))
        if let balance = submission.balance { outcome.balance = balance }
        onDebug("request \(submission.requestID): \(submission.status)")
        var schedule = self.schedule
        let deadline = started.addingTimeInterval(timeout)
        var lastState = submission.status
        while true {
            let delay = schedule.next()
            if Date().addingTimeInterval(delay) > deadline {
                throw VQError(
                    .unavailable,
                    "gave up on \(name) request \(submission.requestID) after \(Self.seconds(timeout)) (still \(lastState)); raise --timeout or poll_timeout")
            }
            sleep(delay)
            let status = try adapter.decodeStatus(
                try call(adapter.statusRequest(requestID: submission.requestID, key: key), step: "/status", outcome: &outcome))
            switch status.state {
            case .complete:
                outcome.text = status.output ?? ""
                outcome.processingSeconds = status.processingSeconds
                outcome.finishReason = "complete"
                return outcome
            case .failed:
                throw VQError(.unavailable, "\(name) request \(submission.requestID) failed: \(status.reason ?? "the service gave no reason")")
            case .pending, .processing, .other:
                lastState = Self.word(status.state)
                let progress = status.progress.map { " \(DecimalText.fixed($0, places: 0))%" } ?? ""
                onProgress("\(name): \(lastState)\(progress), \(Self.seconds(Date().timeIntervalSince(started).rounded()))")
            }
        }
    }

    private func createAsset(_ assetName: String, description: String, mimeType: String, label: String) throws(VQError) -> MasterpiecexAdapter.CreatedAsset {
        var ignored = QueryOutcome()
        let body = try call(
            adapter.createAssetRequest(name: assetName, description: description, mimeType: mimeType, key: key),
            step: "/assets/create for \(label)", outcome: &ignored)
        return try adapter.decodeCreatedAsset(body)
    }

    private func upload(_ data: Data, to assetURL: String, mimeType: String, label: String) throws(VQError) {
        let request = adapter.uploadRequest(assetURL: assetURL, data: data, mimeType: mimeType)
        let head: HTTPResponseHead
        let body: Data
        do {
            (head, body) = try client.fetch(request, options: transfer, maxBytes: transfer.maxBufferedErrorBody)
        } catch {
            throw VQError(.unavailable, "uploading \(label) to \(name) failed: \(error)")
        }
        guard (200..<300).contains(head.status) else {
            throw VQError(
                .unavailable,
                "uploading \(label) to \(name) failed: HTTP \(head.status): \(ServiceErrorSummary.message(fromBody: body, contentType: head.headers["content-type"]))"
            )
        }
    }

    /// Sends one API request; non-2xx statuses become the usual one-line service errors.
    private func call(_ request: HTTPRequest, step: String, outcome: inout QueryOutcome) throws(VQError) -> Data {
        let head: HTTPResponseHead
        let body: Data
        do {
            (head, body) = try client.fetch(request, options: transfer, maxBytes: 16 << 20)
        } catch {
            throw QueryRunner.transportFailure(error, profile: name, answered: false)
        }
        outcome.status = head.status
        outcome.responseHeaders = head.headers
        guard (200..<300).contains(head.status) else {
            let error = ServiceErrorSummary.error(
                status: head.status, body: body, contentType: head.headers["content-type"], profile: adapter.profile, headers: head.headers)
            throw VQError(error.category, error.message + " (\(step))")
        }
        return body
    }

    private static func word(_ state: MasterpiecexAdapter.JobStatus.State) -> String {
        switch state {
        case .pending: "pending"
        case .processing: "processing"
        case .complete: "complete"
        case .failed: "failed"
        case .other(let word): word.isEmpty ? "in progress" : word
        }
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(DecimalText.fixed(value, places: 1)) s"
    }
}
