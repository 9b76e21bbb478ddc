import Foundation
import Transport

/// What a finished query produced.
public struct QueryOutcome: Sendable {
    public var text = ""
    public var model: String?
    public var finishReason: String?
    public var usage: Usage?
    public var status = 0
    public var responseHeaders: [String: String] = [:]
    /// Account balance a service reported (Masterpiecex `balance`).
    public var balance: Double?
    /// Server-side processing time a service reported (Masterpiecex `processingTime_s`).
    public var processingSeconds: Double?
    public init() {}
}

/// Sends a built request and feeds decoded events to a sink as they arrive (streamed or whole).
public struct QueryRunner: Sendable {
    public let client: HTTPClient
    public let transfer: TransferOptions
    public let adapter: OpenAIAdapter

    public init(client: HTTPClient, transfer: TransferOptions, adapter: OpenAIAdapter) {
        self.client = client
        self.transfer = transfer
        self.adapter = adapter
    }

    /// Runs the request. `onText` receives each text delta the moment it is decoded, `onImage` each returned image.
    public func run(_ request: HTTPRequest, stream: Bool, onText: (String) -> Void,
                    onImage: (ReturnedImage) -> Void = { _ in }) throws(VQError) -> QueryOutcome {
        var outcome = QueryOutcome()
        var parser = SSEParser()
        var buffered = Data()
        var isEventStream = false
        var sawDone = false
        var failure: VQError?
        let cap = transfer.maxBufferedErrorBody

        func apply(_ events: [StreamEvent]) {
            for event in events {
                switch event {
                case .text(let text):
                    outcome.text += text
                    onText(text)
                case .model(let model): outcome.model = model
                case .finish(let reason): outcome.finishReason = reason
                case .usage(let usage): outcome.usage = usage
                case .done: sawDone = true
                case .image(let image): onImage(image)
                case .serviceError(let message):
                    if failure == nil {
                        failure = VQError(.unavailable, "\(adapter.profile.name) reported an error\(outcome.text.isEmpty ? "" : " mid-answer"): \(message)")
                    }
                }
            }
        }

        let head: HTTPResponseHead
        do {
            head = try client.send(request, options: transfer, onHead: { head in
                outcome.status = head.status
                outcome.responseHeaders = head.headers
                isEventStream = stream && (200..<300).contains(head.status)
                    && (head.headers["content-type"] ?? "").lowercased().contains("text/event-stream")
            }, onData: { chunk in
                if isEventStream {
                    for event in parser.feed(chunk) where failure == nil { apply(adapter.decodeStreamEvent(event.data)) }
                    return failure == nil
                }
                let successBody = (200..<300).contains(outcome.status)
                if buffered.count + chunk.count > (successBody ? 64 << 20 : cap) {
                    if !successBody { return true }   // keep the head of the error body, drop the rest
                    failure = VQError(.unavailable, "the response from \(adapter.profile.name) is larger than 64 MiB; giving up")
                    return false
                }
                buffered.append(chunk)
                return true
            })
        } catch {
            if let failure { throw failure }
            throw Self.transportFailure(error, profile: adapter.profile.name, answered: !outcome.text.isEmpty)
        }
        if let failure { throw failure }
        guard (200..<300).contains(head.status) else {
            throw ServiceErrorSummary.error(status: head.status, body: buffered, contentType: head.headers["content-type"],
                                            profile: adapter.profile, headers: head.headers)
        }
        if isEventStream {
            let (events, _) = parser.finish()
            for event in events where failure == nil { apply(adapter.decodeStreamEvent(event.data)) }
            if let failure { throw failure }
            if !sawDone && outcome.finishReason == nil {
                throw VQError(.unavailable, "the stream from \(adapter.profile.name) ended before the answer was complete")
            }
        } else {
            apply(adapter.decodeResponse(buffered))
            if let failure { throw failure }
        }
        return outcome
    }

    static func transportFailure(_ error: TransportError, profile: String, answered: Bool) -> VQError {
        TransportFailureSummary.error(error, profile: profile, answered: answered)
    }
}
