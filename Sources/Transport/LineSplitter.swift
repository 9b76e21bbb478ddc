import FoundationEssentials
import Glibc

/// Splits a byte stream into lines ending in LF, CR or CRLF, across chunk boundaries, in O(n). A line longer than
/// `maxLineBytes` is not buffered: the splitter stops (`overLimit`) and hands on nothing more.
struct LineSplitter {
    /// The start of a line whose end has not arrived yet.
    private(set) var partial: [UInt8] = []
    /// The previous chunk ended in CR: a leading LF in the next chunk belongs to that line end.
    private var skipLeadingLF = false
    private let acceptsBareCR: Bool
    let maxLineBytes: Int
    /// A line grew past `maxLineBytes`; nothing more is read.
    private(set) var overLimit = false

    /// `acceptsBareCR` false: only LF ends a line (a CR before it is still stripped).
    init(acceptsBareCR: Bool, maxLineBytes: Int = StreamLimits.maxLineBytes) {
        self.acceptsBareCR = acceptsBareCR
        self.maxLineBytes = maxLineBytes
    }

    /// Calls `line` for each complete line in `chunk` (without its terminator).
    mutating func feed(_ chunk: Data, line: (UnsafeRawBufferPointer) -> Void) {
        if overLimit { return }
        chunk.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            guard let base = bytes.baseAddress, bytes.count > 0 else { return }
            var start = 0
            if skipLeadingLF {
                skipLeadingLF = false
                if bytes[0] == 0x0A { start = 1 }
            }
            // Next LF / CR positions, each found with memchr and reused until passed (Int.max = none left).
            var nextLF = -1
            var nextCR = acceptsBareCR ? -1 : Int.max
            while start < bytes.count {
                if nextLF < start { nextLF = Self.find(0x0A, base, from: start, count: bytes.count) }
                if nextCR < start { nextCR = Self.find(0x0D, base, from: start, count: bytes.count) }
                let end = min(nextLF, nextCR)
                guard end != Int.max else {
                    guard partial.count + (bytes.count - start) <= maxLineBytes else { return stop() }
                    partial.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start...]))
                    return
                }
                guard partial.count + (end - start) <= maxLineBytes + (acceptsBareCR ? 0 : 1) else { return stop() }
                var terminatorLength = 1
                if end == nextCR {
                    if end + 1 == bytes.count {
                        skipLeadingLF = true
                    } else if bytes[end + 1] == 0x0A {
                        terminatorLength = 2
                    }
                }
                let next = end + terminatorLength
                emit(UnsafeRawBufferPointer(rebasing: bytes[start..<end]), line: line)
                start = next
            }
        }
    }

    /// Gives up on the stream: the over-long line is dropped, not kept.
    private mutating func stop() {
        overLimit = true
        partial = []
    }

    /// The unterminated last line, if any, and resets.
    mutating func finish() -> [UInt8]? {
        defer {
            partial = []
            skipLeadingLF = false
        }
        if !acceptsBareCR, partial.last == 0x0D { partial.removeLast() }
        return partial.isEmpty ? nil : partial
    }

    /// Hands on one whole line. With LF-only line ends, exactly one CR before the LF is dropped, wherever the
    /// chunk boundary fell (found by fuzzing: it was once dropped twice when the line spanned two chunks).
    private mutating func emit(_ piece: UnsafeRawBufferPointer, line: (UnsafeRawBufferPointer) -> Void) {
        if partial.isEmpty {
            if !acceptsBareCR, piece.last == 0x0D {
                line(UnsafeRawBufferPointer(rebasing: piece.dropLast()))
            } else {
                line(piece)
            }
        } else {
            partial.append(contentsOf: piece)
            if !acceptsBareCR, partial.last == 0x0D { partial.removeLast() }
            partial.withUnsafeBytes { line($0) }
            partial.removeAll(keepingCapacity: false)
        }
    }

    private static func find(_ byte: UInt8, _ base: UnsafeRawPointer, from: Int, count: Int) -> Int {
        guard let hit = memchr(base + from, Int32(byte), count - from) else { return Int.max }
        return base.distance(to: UnsafeRawPointer(hit))
    }
}
