import FoundationEssentials
import TextFormatting
import Transport

/// What a finished query produced.
public struct QueryOutcome: Sendable {
    public var text = ""
    public var model: String?
    public var finishReason: String?
    public var usage: Usage?
    /// What the exchange cost, counted by the run that has the prices (see `CostCounter`); nil until then.
    public var cost: Cost?
    /// Images the model returned (priced per image by some services).
    public var returnedImages = 0
    public var status = 0
    public var responseHeaders: [String: String] = [:]
    /// Account balance a service reported (Masterpiecex `balance`).
    public var balance: Double?
    /// Server-side processing time a service reported (Masterpiecex `processingTime_s`).
    public var processingSeconds: Double?
    /// The prompts an image maker actually used, in the order of its images.
    public var revisedPrompts: [String] = []
    /// Files uploaded (or reused) for this exchange that stay on the service (`--keep-uploads`), by their
    /// `UploadSource.key`: the log keeps them so that `-c` reuses them.
    public var keptUploads: [String: GeminiFile] = [:]
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

    /// Runs the request; text deltas and images reach `sink` the moment they are decoded. What a server can make
    /// vq hold is bounded: a stream line (`StreamLimits`), the answer text and the saved images (`AnswerLimits`); a
    /// stream's keep-alive pings do not count as progress for the stall timer, only its events do.
    public func run(_ request: HTTPRequest, stream: Bool, sink: AnswerSink) throws(VQError) -> QueryOutcome {
        // One struct for what the closures below update, so each batch of events costs one exclusivity check.
        var answer = AnswerProgress()
        var parser = SSEParser()
        var lines = NDJSONFramer()
        var frames = EventStreamDecoder()
        var buffered = Data()
        var isStream = false
        let cap = transfer.maxBufferedErrorBody
        let name = provider.profile.name
        let framing = provider.framing
        let maxAnswerBytes = provider.profile.limits.maxAnswerBytes
        var transfer = self.transfer
        let activity = stream ? ContentActivity() : nil
        transfer.contentActivity = activity

        func apply(_ events: [StreamEvent]) { answer.apply(events, sink: sink, name: name, maxAnswerBytes: maxAnswerBytes) }
        func decode(_ chunk: Data) {
            switch framing {
            case .sse:
                for event in parser.feed(chunk) where answer.failure == nil {
                    // Keep-alives (`: ping` comments never surface; Anthropic's `event: ping`) are not progress.
                    if event.event != "ping" { activity?.touch() }
                    apply(provider.decodeStreamEvent(event))
                }
                if parser.overLimit && answer.failure == nil { answer.failure = lineTooLong(parser.maxLineBytes) }
            case .ndjson:
                for line in lines.feed(chunk) where answer.failure == nil {
                    activity?.touch()
                    apply(provider.decodeStreamEvent(SSEEvent(data: String(decoding: line, as: UTF8.self))))
                }
                if lines.overLimit && answer.failure == nil { answer.failure = lineTooLong(lines.maxLineBytes) }
            case .awsEventStream:
                do {
                    for message in try frames.feed(chunk) where answer.failure == nil {
                        activity?.touch()
                        apply(provider.decodeStreamEvent(Self.event(message)))
                    }
                } catch {
                    answer.failure = VQError(.unavailable, "the event stream from \(name) is damaged (\(error.message))")
                }
            }
        }
        func lineTooLong(_ limit: Int) -> VQError {
            VQError(.unavailable, "a line of the stream from \(name) is longer than the \(ByteCountText.format(limit)) limit; giving up")
        }

        let head: HTTPResponseHead
        do {
            head = try client.send(
                request, options: transfer,
                onHead: { head in
                    answer.outcome.status = head.status
                    answer.outcome.responseHeaders = head.headers
                    let type = (head.headers["content-type"] ?? "").lowercased()
                    isStream =
                        stream && (200..<300).contains(head.status)
                        && type.contains(Self.contentType(of: framing))
                },
                onData: { chunk in
                    if isStream {
                        decode(chunk)
                        return answer.failure == nil
                    }
                    activity?.touch()  // a whole body where a stream was asked for: its bytes are the answer
                    let successBody = (200..<300).contains(answer.outcome.status)
                    if buffered.count + chunk.count > (successBody ? StreamLimits.maxBodyBytes : cap) {
                        if !successBody { return true }  // keep the head of the error body, drop the rest
                        answer.failure = VQError(
                            .unavailable, "the response from \(name) is larger than \(ByteCountText.format(StreamLimits.maxBodyBytes)); giving up")
                        return false
                    }
                    buffered.append(chunk)
                    return true
                })
        } catch {
            if let failure = answer.failure { throw failure }
            throw Self.transportFailure(error, profile: name, answered: !answer.outcome.text.isEmpty, hint: provider.connectionHint)
        }
        if let failure = answer.failure { throw failure }
        guard (200..<300).contains(head.status) else {
            throw provider.failure(status: head.status, body: buffered, headers: head.headers)
        }
        if isStream {
            switch framing {
            case .sse: for event in parser.finish().events where answer.failure == nil { apply(provider.decodeStreamEvent(event)) }
            case .ndjson: if let line = lines.finish() { apply(provider.decodeStreamEvent(SSEEvent(data: String(decoding: line, as: UTF8.self)))) }
            case .awsEventStream: break  // a partial frame left over means the stream was cut: no end event was seen
            }
            if let failure = answer.failure { throw failure }
            if !answer.sawDone && answer.outcome.finishReason == nil {
                throw VQError(.unavailable, "the stream from \(name) ended before the answer was complete")
            }
        } else {
            // Invalid UTF-8 becomes U+FFFD, as it does in a stream, rather than making the whole body "not JSON".
            apply(provider.decodeResponse(Self.validUTF8(buffered)))
            if let failure = answer.failure { throw failure }
        }
        return answer.outcome
    }

    /// The longest start of `text` within `bytes` UTF-8 bytes, cut between characters.
    static func prefix(_ text: String, fittingBytes bytes: Int) -> String {
        var used = 0
        var end = text.startIndex
        for character in text {
            let size = character.utf8.count
            if used + size > bytes { break }
            used += size
            end = text.index(after: end)
        }
        return String(text[..<end])
    }

    /// `body` with any invalid UTF-8 sequence replaced by U+FFFD (unchanged, and not copied, when it is valid).
    static func validUTF8(_ body: Data) -> Data {
        let text = String(decoding: body, as: UTF8.self)
        return text.utf8.count == body.count && text.utf8.elementsEqual(body) ? body : Data(text.utf8)
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

/// What a running query has gathered so far: the outcome, whether the stream ended, and the first failure.
private struct AnswerProgress {
    var outcome = QueryOutcome()
    var sawDone = false
    var receivedImage = false
    var failure: VQError?

    /// Takes decoded events in order, handing text and images to `sink`; stops at the first failure.
    mutating func apply(_ events: [StreamEvent], sink: AnswerSink, name: String, maxAnswerBytes: Int) {
        for event in events where failure == nil {
            switch event {
            case .text(let text):
                let room = maxAnswerBytes - outcome.text.utf8.count
                let kept = text.utf8.count <= room ? text : QueryRunner.prefix(text, fittingBytes: room)
                if !kept.isEmpty {
                    outcome.text += kept
                    sink.receive(text: kept)
                }
                if kept.utf8.count < text.utf8.count {
                    failure = VQError(
                        .unavailable,
                        "the answer from \(name) passed the limit of \(ByteCountText.format(maxAnswerBytes)) (max_answer_bytes); stopped there, the answer is incomplete"
                    )
                }
            case .model(let model): outcome.model = model
            case .finish(let reason): outcome.finishReason = reason
            case .usage(let usage): outcome.usage = outcome.usage.map { $0.merged(with: usage) } ?? usage
            case .done: sawDone = true
            case .image(let image):
                outcome.returnedImages += 1
                receivedImage = true
                sink.receive(image: image)
            case .revisedPrompt(let prompt):
                outcome.revisedPrompts.append(prompt)
                sink.receive(revisedPrompt: prompt)
            case .partialImage(let index): sink.progress("partial image \(index + 1) received")
            case .serviceError(let message):
                failure = VQError(.unavailable, "\(name) reported an error\(outcome.text.isEmpty ? "" : " mid-answer"): \(message)")
            case .malformed(let message):
                // A garbled or cut event, not the service's verdict: before any of the answer it is sent again.
                let answered = !outcome.text.isEmpty || receivedImage
                var error = VQError(.unavailable, "the stream from \(name) was garbled\(answered ? " mid-answer" : ""): \(message)")
                error.isRetryableBeforeAnswer = !answered
                failure = error
            case .refusal(let message):
                failure = VQError(.refused, "\(name) refused\(outcome.text.isEmpty ? "" : " mid-answer"): \(message)")
            }
        }
    }
}
