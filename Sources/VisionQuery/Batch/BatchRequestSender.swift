import Foundation
import Imaging
import Transport
import TextFormatting

/// Sends one batch request (one or more images with the shared prompt) and turns the outcome into one result per
/// image. Non-streaming; retries through the policy; every attempt goes through the batch's shared client.
public struct BatchRequestSender: Sendable {
    public let template: Query
    public let adapter: OpenAIAdapter
    public let key: String?
    public let headers: [Header]
    public let client: HTTPClient
    public let policy: RetryPolicy
    public let transfer: TransferOptions
    public let onRetry: @Sendable (RetryNotice) -> Void
    /// Where images the model returns are saved (`-o`); nil means the current directory.
    public var outputDirectory: String? = nil
    /// Receives one line per saved image and per returned image that could not be saved.
    public var onSavedImage: @Sendable (String) -> Void = { _ in }

    /// One extra HTTP header (`-H`).
    public struct Header: Sendable {
        public let name: String
        public let value: String
        public init(name: String, value: String) { self.name = name; self.value = value }
    }

    public init(template: Query, adapter: OpenAIAdapter, key: String?, headers: [Header], client: HTTPClient,
                policy: RetryPolicy, transfer: TransferOptions, onRetry: @escaping @Sendable (RetryNotice) -> Void) {
        self.template = template
        self.adapter = adapter
        self.key = key
        self.headers = headers
        self.client = client
        self.policy = policy
        self.transfer = transfer
        self.onRetry = onRetry
    }

    /// The request for these images (also what `--dry-run` measures).
    public func request(for attachments: [Attachment]) -> HTTPRequest {
        var query = template
        query.attachments = attachments
        query.stream = false
        return adapter.makeRequest(query, key: key, extraHeaders: headers.map { (name: $0.name, value: $0.value) })
    }

    public func send(_ attachments: [Attachment]) -> [BatchResult] {
        let request = request(for: attachments)
        let counter = AttemptCountingClient(base: client)
        let retrying = RetryingHTTPClient(base: counter, policy: policy, onRetry: onRetry)
        let runner = QueryRunner(client: retrying, transfer: transfer, adapter: adapter)
        let saved = ReturnedImageCollector(saver: ImageSaver(directory: outputDirectory ?? "."), report: onSavedImage)
        let outcome: Result<QueryOutcome, VQError>
        if let limit = adapter.profile.maxRequestBytes, request.bodyLength > limit {
            outcome = .failure(VQError(.badInput, "the request is \(ByteCountText.format(request.bodyLength)), over max_request_bytes"))
        } else {
            do throws(VQError) {
                var answer = try runner.run(request, stream: false, onText: { _ in }, onImage: saved.receive)
                answer.text = saved.replaceDataURLs(in: answer.text)
                outcome = .success(answer)
            } catch {
                outcome = .failure(error)
            }
        }
        return attachments.map { attachment in
            var result = BatchResult(image: attachment.source)
            result.attempts = counter.attempts
            result.originalBytes = attachment.preparation?.originalByteCount
            if case .inline(let data, _) = attachment.content { result.preparedBytes = data.count }
            switch outcome {
            case .success(let answer):
                result.output = answer.text
                result.model = answer.model ?? template.model
                result.usage = answer.usage
                result.savedImages = saved.paths
            case .failure(let error):
                result.error = error
            }
            return result
        }
    }
}
