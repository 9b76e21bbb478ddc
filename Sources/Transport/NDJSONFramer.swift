import FoundationEssentials

/// Splits a newline-delimited JSON stream into one Data per non-empty line (CRLF tolerated). A line longer than
/// `maxLineBytes` stops it (`overLimit`).
public struct NDJSONFramer {
    private var lines: LineSplitter

    public init(maxLineBytes: Int = StreamLimits.maxLineBytes) { lines = LineSplitter(acceptsBareCR: false, maxLineBytes: maxLineBytes) }

    /// The longest line the framer holds.
    public var maxLineBytes: Int { lines.maxLineBytes }
    /// Bytes held for a line whose end has not arrived.
    public var bufferedBytes: Int { lines.partial.count }
    /// A line was longer than `maxLineBytes`; the framer returns no more lines.
    public var overLimit: Bool { lines.overLimit }

    /// The complete, non-empty lines in `chunk` (plus any carried-over start).
    public mutating func feed(_ chunk: Data) -> [Data] {
        var out: [Data] = []
        lines.feed(chunk) { line in
            if !Self.isBlank(line) { out.append(Data(line)) }
        }
        return out
    }

    /// The trailing line that had no newline, if it is not blank.
    public mutating func finish() -> Data? {
        guard let rest = lines.finish() else { return nil }
        return rest.withUnsafeBytes { Self.isBlank($0) } ? nil : Data(rest)
    }

    private static func isBlank(_ line: UnsafeRawBufferPointer) -> Bool {
        line.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
    }
}
