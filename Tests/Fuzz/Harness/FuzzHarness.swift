import Foundation
import Imaging
import Transport
import VQCLI
import VisionQuery

/// What each fuzz target does with one input. Shared by the libFuzzer executables (`make fuzz`) and by
/// FuzzRegressionTests, which replays the seed corpus and every saved finding in the normal test run.
/// A function returns normally for any input; a broken invariant traps (and libFuzzer reports it).
public enum FuzzHarness {
    /// Every target by name, as its directory under Tests/Fuzz is called.
    public static let targets: [String: @Sendable (Data) -> Void] = [
        "sse": sse, "ndjson": ndjson, "framers": framers, "openai": openAIResponses, "masterpiecex": masterpiecexStatus, "providers": providers,
        "argv": argv, "config": config, "image": image,
        // The same image invariants, each seeded with one decoder's files (libwebp, giflib, libheif, libtiff).
        "webp": image, "gif": image, "heif": image, "tiff": image,
        "pdf": pdf,
    ]

    /// SSE: any split of the bytes into chunks gives the same events as feeding them at once.
    public static func sse(_ data: Data) {
        var whole = SSEParser()
        let expected = whole.feed(data) + whole.finish().events
        var pieces = SSEParser()
        var events: [SSEEvent] = []
        for chunk in chunks(of: data) { events += pieces.feed(chunk) }
        events += pieces.finish().events
        precondition(events == expected, "SSE events depend on how the stream was split")
    }

    /// NDJSON: the same lines however the bytes are split.
    public static func ndjson(_ data: Data) {
        var whole = NDJSONFramer()
        let expected = whole.feed(data) + [whole.finish()].compactMap { $0 }
        var pieces = NDJSONFramer()
        var lines: [Data] = []
        for chunk in chunks(of: data) { lines += pieces.feed(chunk) }
        lines += [pieces.finish()].compactMap { $0 }
        precondition(lines == expected, "NDJSON lines depend on how the stream was split")
    }

    /// The line limit of the SSE and NDJSON framers: the input repeated into a long stream (a hostile server's line
    /// that never ends) is never buffered beyond the limit, every event or line handed on fits it, and where the
    /// stream was cut into chunks changes neither the output nor whether the limit was hit. `make fuzz` runs this
    /// target with a memory limit, so unbounded buffering fails the run.
    public static func framers(_ data: Data) {
        let limit = 4096
        var stream = Data()
        for _ in 0..<64 { stream.append(data) }
        var wholeSSE = SSEParser(maxLineBytes: limit)
        let expectedEvents = wholeSSE.feed(stream)
        var wholeNDJSON = NDJSONFramer(maxLineBytes: limit)
        let expectedLines = wholeNDJSON.feed(stream)
        var sse = SSEParser(maxLineBytes: limit)
        var ndjson = NDJSONFramer(maxLineBytes: limit)
        var events: [SSEEvent] = []
        var lines: [Data] = []
        for chunk in chunks(of: stream) {
            events += sse.feed(chunk)
            lines += ndjson.feed(chunk)
            precondition(sse.bufferedBytes <= 2 * limit && ndjson.bufferedBytes <= limit + 1, "a framer buffered past its limit")
        }
        // U+FFFD for each invalid byte may triple an event's UTF-8 size, never more.
        precondition(events.allSatisfy { $0.data.utf8.count <= 3 * limit }, "an SSE event over the limit was handed on")
        precondition(lines.allSatisfy { $0.count <= limit + 1 }, "an NDJSON line over the limit was handed on")
        precondition(events == expectedEvents && sse.overLimit == wholeSSE.overLimit, "the SSE limit depends on how the stream was split")
        precondition(lines == expectedLines && ndjson.overLimit == wholeNDJSON.overLimit, "the NDJSON limit depends on how the stream was split")
    }

    /// The OpenAI-style decoders never crash on hostile bodies and events, and the fast path for stream chunks
    /// (OpenAIChunkScanner) gives the general decoder's events wherever it answers.
    public static func openAIResponses(_ data: Data) {
        var profile = Profile(name: "fuzz")
        profile.baseURL = "http://127.0.0.1/v1"
        let adapter = OpenAIAdapter(profile: profile)
        _ = adapter.decodeResponse(data)
        let event = SSEEvent(data: String(decoding: data, as: UTF8.self))
        let full = adapter.decodeStreamEventFully(event)
        if let fast = OpenAIChunkScanner.events(in: event.data) {
            precondition(fast == full, "the fast path disagrees with the general decoder")
        }
        precondition(adapter.decodeStreamEvent(event) == full, "decodeStreamEvent disagrees with the general decoder")
        _ = ServiceErrorSummary.message(fromBody: data, contentType: nil)
    }

    /// Every api's decoders (whole bodies, stream events under each event name they know, error bodies, model
    /// lists) never crash on hostile input.
    public static func providers(_ data: Data) {
        let text = String(decoding: data, as: UTF8.self)
        for api in APIKind.allCases {
            var profile = Profile(name: "fuzz", api: api)
            profile.baseURL = "http://127.0.0.1"
            let provider = profile.provider
            _ = provider.decodeResponse(data)
            for name in [nil, "message_start", "content_block_delta", "message_delta", "error", "response.completed"] {
                _ = provider.decodeStreamEvent(SSEEvent(event: name, data: text))
            }
            _ = provider.failure(status: 429, body: data, headers: [:])
            _ = provider.demandedWait(errorBody: data)
            _ = provider.decodeModels(data)
        }
    }

    /// The Masterpiecex decoders never crash.
    public static func masterpiecexStatus(_ data: Data) {
        var profile = Profile(name: "fuzz")
        profile.baseURL = "http://127.0.0.1/v2"
        let adapter = MasterpiecexAdapter(profile: profile)
        _ = try? adapter.decodeStatus(data)
        _ = try? adapter.decodeSubmission(data)
        _ = try? adapter.decodeCreatedAsset(data)
    }

    /// The argv parser: NUL-separated arguments give an Invocation or a usage error, nothing else.
    public static func argv(_ data: Data) {
        let arguments = data.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        do { _ = try Invocation.from(arguments) } catch {
            precondition(error.category == .usage, "argv errors must be usage errors: \(error)")
        }
    }

    /// The config loader: a config or a config error with a line, nothing else.
    public static func config(_ data: Data) {
        do { _ = try ConfigFile.parse(String(decoding: data, as: UTF8.self), path: "fuzz.toml") } catch {
            precondition(error.category == .config && error.message.hasPrefix("fuzz.toml"), "bad config error: \(error)")
        }
    }

    /// The image validator and the preparation pipeline agree, and never crash, on hostile bytes.
    public static func image(_ data: Data) {
        let limits = ImageLimits(maxPixels: 4_000_000, maxSide: 4096, maxJPEGScans: 50)
        let valid = (try? ImageValidator.validate(data, limits: limits)) != nil
        let prepared = try? ImagePreparer.prepare(data, options: PreparationOptions(maxSide: 64, limits: limits))
        if let prepared {
            precondition(valid, "prepared an image the validator rejects")
            if prepared.reencoded { precondition((try? ImageValidator.validate(prepared.data)) != nil, "prepared output is not a valid image") }
        }
    }

    /// PDF (poppler): a document that opens renders its first page to exactly the size its page asks for, as a
    /// valid image, and that page extracted alone opens again as a one-page PDF of the same size.
    public static func pdf(_ data: Data) {
        let limits = DocumentLimits(maxPages: 50, maxDPI: 72)
        guard let document = try? PDFDocument(data: data, limits: limits) else { return }
        let options = PreparationOptions(maxSide: 64, limits: ImageLimits(maxPixels: 4_000_000, maxSide: 4096))
        if let page = try? document.renderPage(1, options: options) {
            precondition(max(page.width, page.height) <= 64, "rendered past maxSide")
            let info = try? ImageValidator.validate(page.data)
            precondition(info?.width == page.width && info?.height == page.height, "a rendered page is not a valid image of its size")
        }
        if let subset = try? document.extractPages([1]), let again = try? PDFDocument(data: subset, limits: limits) {
            precondition(again.pageCount == 1, "one extracted page became \(again.pageCount)")
            let (width, height) = document.pageSize(1)
            precondition(abs(again.pageSize(1).width - width) < 1 && abs(again.pageSize(1).height - height) < 1, "extracted page changed size")
        }
    }

    /// Splits data into chunks at points taken from its own bytes (deterministic per input).
    static func chunks(of data: Data) -> [Data] {
        guard !data.isEmpty else { return [] }
        var result: [Data] = []
        var index = data.startIndex
        var step = Int(data[data.startIndex] % 7) + 1
        while index < data.endIndex {
            let end = min(data.endIndex, index + step)
            result.append(data[index..<end])
            index = end
            step = Int(data[index - 1] % 13) + 1
        }
        return result
    }
}
