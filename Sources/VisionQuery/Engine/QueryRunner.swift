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

/// Sends one built request and feeds the provider's decoded events to a sink as they arrive (streamed or whole).
public struct QueryRunner: Sendable {
    public let client: HTTPClient
    public let transfer: TransferOptions
    public let provider: any Provider

    public init(client: HTTPClient, transfer: TransferOptions, provider: any Provider) {
        self.client = client
        self.transfer = transfer
        self.provider = provider
    }

    /// Runs the request; text deltas and images reach `sink` the moment they are decoded.
    public func run(_ request: HTTPRequest, stream: Bool, sink: AnswerSink) throws(VQError) -> QueryOutcome {
        var outcome = QueryOutcome()
        var parser = SSEParser()
        var lines = NDJSONFramer()
        var frames = EventStreamDecoder()
        var buffered = Data()
        var isStream = false
        var sawDone = false
        var failure: VQError?
        let cap = transfer.maxBufferedErrorBody
        let name = provider.profile.name
        let framing = provider.framing

        func apply(_ events: [StreamEvent]) {
            for event in events where failure == nil {
                switch event {
                case .text(let text):
                    outcome.text += text
                    sink.receive(text: text)
                case .model(let model): outcome.model = model
                case .finish(let reason): outcome.finishReason = reason
                case .usage(let usage): outcome.usage = outcome.usage.map { $0.merged(with: usage) } ?? usage
                case .done: sawDone = true
                case .image(let image): sink.receive(image: image)
                case .serviceError(let message):
                    failure = VQError(.unavailable, "\(name) reported an error\(outcome.text.isEmpty ? "" : " mid-answer"): \(message)")
                case .refusal(let message):
                    failure = VQError(.refused, "\(name) refused\(outcome.text.isEmpty ? "" : " mid-answer"): \(message)")
                }
            }
        }
        func decode(_ chunk: Data) {
            switch framing {
            case .sse: for event in parser.feed(chunk) where failure == nil { apply(provider.decodeStreamEvent(event)) }
            case .ndjson:
                for line in lines.feed(chunk) where failure == nil { apply(provider.decodeStreamEvent(SSEEvent(data: String(decoding: line, as: UTF8.self)))) }
            case .awsEventStream:
                do {
                    for message in try frames.feed(chunk) where failure == nil { apply(provider.decodeStreamEvent(Self.event(message))) }
                } catch {
                    failure = VQError(.unavailable, "the event stream from \(name) is damaged (\(error.message))")
                }
            }
        }

        let head: HTTPResponseHead
        do {
            head = try client.send(
                request, options: transfer,
                onHead: { head in
                    outcome.status = head.status
                    outcome.responseHeaders = head.headers
                    let type = (head.headers["content-type"] ?? "").lowercased()
                    isStream =
                        stream && (200..<300).contains(head.status)
                        && type.contains(Self.contentType(of: framing))
                },
                onData: { chunk in
                    if isStream {
                        decode(chunk)
                        return failure == nil
                    }
                    let successBody = (200..<300).contains(outcome.status)
                    if buffered.count + chunk.count > (successBody ? 64 << 20 : cap) {
                        if !successBody { return true }  // keep the head of the error body, drop the rest
                        failure = VQError(.unavailable, "the response from \(name) is larger than 64 MiB; giving up")
                        return false
                    }
                    buffered.append(chunk)
                    return true
                })
        } catch {
            if let failure { throw failure }
            throw Self.transportFailure(error, profile: name, answered: !outcome.text.isEmpty, hint: provider.connectionHint)
        }
        if let failure { throw failure }
        guard (200..<300).contains(head.status) else {
            throw provider.failure(status: head.status, body: buffered, headers: head.headers)
        }
        if isStream {
            switch framing {
            case .sse: for event in parser.finish().events where failure == nil { apply(provider.decodeStreamEvent(event)) }
            case .ndjson: if let line = lines.finish() { apply(provider.decodeStreamEvent(SSEEvent(data: String(decoding: line, as: UTF8.self)))) }
            case .awsEventStream: break  // a partial frame left over means the stream was cut: no end event was seen
            }
            if let failure { throw failure }
            if !sawDone && outcome.finishReason == nil {
                throw VQError(.unavailable, "the stream from \(name) ended before the answer was complete")
            }
        } else {
            apply(provider.decodeResponse(buffered))
            if let failure { throw failure }
        }
        return outcome
    }

    /// The media type a streamed answer of this framing arrives as.
    static func contentType(of framing: StreamFraming) -> String {
        switch framing {
        case .sse: "text/event-stream"
        case .ndjson: "ndjson"
        case .awsEventStream: "application/vnd.amazon.eventstream"
        }
    }

    /// An event-stream message as the adapter reads it: named by its event type, or `exception:` + its exception type.
    static func event(_ message: EventStreamMessage) -> SSEEvent {
        let name =
            message.headers[":message-type"] == "event"
            ? message.headers[":event-type"] ?? "" : "exception:" + (message.headers[":exception-type"] ?? message.headers[":error-code"] ?? "unknown")
        return SSEEvent(event: name, data: String(decoding: message.payload, as: UTF8.self))
    }

    /// `hint` is added when the connection was refused (the service's `connectionHint`).
    static func transportFailure(_ error: TransportError, profile: String, answered: Bool, hint: String? = nil) -> VQError {
        TransportFailureSummary.error(error, profile: profile, answered: answered, hint: hint)
    }
}
