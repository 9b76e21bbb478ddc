import FoundationEssentials

/// Incremental server-sent-events parser following the WHATWG EventSource rules. A line or an event's data longer
/// than `maxLineBytes` stops it (`overLimit`): a hostile server cannot make it buffer without bound.
public struct SSEParser {
    private var lines: LineSplitter
    /// Bytes held back at the stream start while they could still be a UTF-8 BOM; nil once decided.
    private var bomPrefix: [UInt8]? = []
    private var data: [UInt8] = []
    private var hasData = false
    private var eventType: String?
    private var lastEventID: String?
    /// The data of one event grew past the limit.
    private var eventOverLimit = false

    /// The longest line or event data the parser holds.
    public let maxLineBytes: Int

    public init(maxLineBytes: Int = StreamLimits.maxLineBytes) {
        self.maxLineBytes = maxLineBytes
        lines = LineSplitter(acceptsBareCR: true, maxLineBytes: maxLineBytes)
    }
    /// Bytes held for a line and an event not complete yet (at most `maxLineBytes` each).
    public var bufferedBytes: Int { lines.partial.count + data.count }
    /// A line or an event's data was longer than `maxLineBytes`; the parser returns no more events.
    public var overLimit: Bool { lines.overLimit || eventOverLimit }

    /// Parses `chunk`, returning the events it completed.
    public mutating func feed(_ chunk: Data) -> [SSEEvent] {
        if overLimit { return [] }
        var chunk = chunk
        if let held = bomPrefix {
            let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
            var start = Data(held)
            start.append(chunk)
            if start.count < 3 && bom.starts(with: start) {
                bomPrefix = Array(start)  // could still become a BOM: wait for more bytes
                return []
            }
            bomPrefix = nil
            chunk = start.starts(with: bom) ? start.dropFirst(3) : start
        }
        var events: [SSEEvent] = []
        // Moved out (not copied) so the closure may mutate self while the splitter runs.
        var splitter = LineSplitter(acceptsBareCR: true, maxLineBytes: 0)
        swap(&splitter, &lines)
        splitter.feed(chunk) { line in
            if eventOverLimit { return }
            if let event = process(line) { events.append(event) }
        }
        swap(&splitter, &lines)
        return events
    }

    /// Ends the stream. Per the spec an unterminated event is discarded; `hadIncompleteEvent` reports it.
    public mutating func finish() -> (events: [SSEEvent], hadIncompleteEvent: Bool) {
        var incomplete = hasData && !data.isEmpty
        if let rest = lines.finish(), rest.first != UInt8(ascii: ":") { incomplete = true }
        data = []
        hasData = false
        eventType = nil
        bomPrefix = nil
        return ([], incomplete)
    }

    private mutating func process(_ line: UnsafeRawBufferPointer) -> SSEEvent? {
        if line.isEmpty { return dispatch() }
        if line[0] == UInt8(ascii: ":") { return nil }
        let colon = line.firstIndex(of: UInt8(ascii: ":")) ?? line.count
        let field = UnsafeRawBufferPointer(rebasing: line[..<colon])
        var valueStart = Swift.min(colon + 1, line.count)
        if valueStart < line.count && line[valueStart] == UInt8(ascii: " ") { valueStart += 1 }
        let value = UnsafeRawBufferPointer(rebasing: line[valueStart...])
        switch String(decoding: field, as: UTF8.self) {
        case "data":
            if data.count + value.count + 1 > maxLineBytes {
                eventOverLimit = true
                data = []
                return nil
            }
            if hasData { data.append(0x0A) }
            data.append(contentsOf: value)
            hasData = true
        case "event":
            eventType = String(decoding: value, as: UTF8.self)
        case "id":
            if !value.contains(0) { lastEventID = String(decoding: value, as: UTF8.self) }
        default:
            break  // "retry" and unknown fields are ignored
        }
        return nil
    }

    private mutating func dispatch() -> SSEEvent? {
        defer {
            data.removeAll(keepingCapacity: true)  // the next event reuses the buffer
            hasData = false
            eventType = nil
        }
        guard hasData, !data.isEmpty else { return nil }
        return SSEEvent(event: eventType.flatMap { $0.isEmpty ? nil : $0 }, data: String(decoding: data, as: UTF8.self), id: lastEventID)
    }
}
