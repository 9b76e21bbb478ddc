import FoundationEssentials
import Glibc

/// The fast path for OpenAI chat-completion stream chunks: reads the few fields vq uses (model, each choice's index,
/// delta content and finish reason) straight from the bytes, validating and skipping the rest (id, object, created,
/// system_fingerprint, logprobs…) without building a JSON object tree. Returns nil for anything outside that shape —
/// an error, usage counts, images, a whole `message`, content given as parts, escaped or repeated keys, unusual
/// numbers, malformed JSON — and the general decoder (`OpenAIAdapter.decodeStreamEventFully`) takes over, so the
/// events are always the ones the general decoder gives.
public enum OpenAIChunkScanner {
    /// The events of one chunk's `data`, or nil when the general decoder must read it.
    public static func events(in data: String) -> [StreamEvent]? {
        var data = data
        return data.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return nil }  // empty: not an object
            var scanner = Scanner(base: base, count: bytes.count)
            return scanner.chunk()
        }
    }

    /// A cursor over one chunk's bytes; each method returns nil (or false) as soon as the input leaves the shape.
    private struct Scanner {
        /// The chunk's bytes, valid while `events(in:)` runs.
        let base: UnsafePointer<UInt8>
        let count: Int
        var position = 0

        /// Nested values deeper than this are left to the general decoder.
        static let maxDepth = 32

        // Byte values of the JSON grammar.
        static let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\"), colon = UInt8(ascii: ":")
        static let comma = UInt8(ascii: ","), openBrace = UInt8(ascii: "{"), closeBrace = UInt8(ascii: "}")
        static let openBracket = UInt8(ascii: "["), closeBracket = UInt8(ascii: "]"), minus = UInt8(ascii: "-")

        /// The object keys the shape knows; every other key's value is validated and skipped. `end` and `invalid`
        /// are what `nextKey` returns after an object's closing brace and when the input leaves the shape.
        enum Key {
            case model, choices, usage, error, index, delta, finishReason, message, content, multiModContent, images
            case other, end, invalid

            /// Matched by length and first byte, then compared, so most keys cost a switch and one memcmp (no
            /// hashing: this runs for every key of every event).
            init(_ key: UnsafePointer<UInt8>, count: Int) {
                func named(_ name: StaticString, _ known: Key) -> Key {
                    memcmp(key, name.utf8Start, count) == 0 ? known : .other
                }
                switch (count, key[0]) {
                case (5, UInt8(ascii: "m")): self = named("model", .model)
                case (5, UInt8(ascii: "u")): self = named("usage", .usage)
                case (5, UInt8(ascii: "e")): self = named("error", .error)
                case (5, UInt8(ascii: "i")): self = named("index", .index)
                case (5, UInt8(ascii: "d")): self = named("delta", .delta)
                case (6, UInt8(ascii: "i")): self = named("images", .images)
                case (7, UInt8(ascii: "c")): self = key[1] == UInt8(ascii: "h") ? named("choices", .choices) : named("content", .content)
                case (7, UInt8(ascii: "m")): self = named("message", .message)
                case (13, UInt8(ascii: "f")): self = named("finish_reason", .finishReason)
                case (17, UInt8(ascii: "m")): self = named("multi_mod_content", .multiModContent)
                default: self = .other
                }
            }

            /// A bit per known key, to leave repeated keys to the general decoder.
            var bit: UInt16 {
                switch self {
                case .model: 1
                case .choices: 2
                case .usage: 4
                case .error: 8
                case .index: 16
                case .delta: 32
                case .finishReason: 64
                case .message: 128
                case .content: 256
                case .multiModContent: 512
                case .images: 1024
                case .other, .end, .invalid: 0
                }
            }
        }

        /// Where `nextKey` is in one object: whether a member was read, and the known keys seen.
        struct Members {
            var started = false
            var seen: UInt16 = 0
        }

        /// The whole chunk: one object, nothing after it but whitespace.
        mutating func chunk() -> [StreamEvent]? {
            var model: String?
            var events: [StreamEvent] = []
            var hasChoices = false
            guard openObject() else { return nil }
            var members = Members()
            loop: while true {
                switch nextKey(&members) {
                case .end: break loop
                case .model:
                    if null() { continue }
                    guard let name = string() else { return nil }
                    model = name
                case .choices:
                    hasChoices = true
                    if null() { continue }
                    guard choices(into: &events) else { return nil }
                case .usage: guard null() else { return nil }  // usage counts come once: the general decoder reads them
                case .other: guard skipValue(depth: 1) else { return nil }
                default: return nil
                }
            }
            skipSpace()
            // Without `choices` it is not a chat-completion chunk (an Images API event, say): the general decoder reads it.
            guard hasChoices, position == count else { return nil }
            if let model, !model.isEmpty { events.insert(.model(model), at: 0) }
            return events
        }

        /// `choices`: an array of choice objects; the events of those with index 0, in order.
        mutating func choices(into events: inout [StreamEvent]) -> Bool {
            guard take(Self.openBracket) else { return false }
            skipSpace()
            if take(Self.closeBracket) { return true }
            while true {
                skipSpace()
                guard choice(into: &events) else { return false }
                skipSpace()
                if take(Self.comma) { continue }
                return take(Self.closeBracket)
            }
        }

        /// One choice: its text delta (when not empty) and finish reason, when its index is 0 (or missing).
        mutating func choice(into events: inout [StreamEvent]) -> Bool {
            var index = 0
            var text: String?
            var finishReason: String?
            guard openObject() else { return false }
            var members = Members()
            loop: while true {
                switch nextKey(&members) {
                case .end: break loop
                case .index:
                    guard let number = smallInteger() else { return false }
                    index = number
                case .delta:
                    if null() { continue }
                    guard delta(text: &text) else { return false }
                case .finishReason:
                    if null() { continue }
                    guard let reason = string() else { return false }
                    finishReason = reason
                case .other: guard skipValue(depth: 3) else { return false }
                default: return false  // a whole `message` may carry images
                }
            }
            if index == 0 {
                if let text, !text.isEmpty { events.append(.text(text)) }
                if let finishReason { events.append(.finish(reason: finishReason)) }
            }
            return true
        }

        /// A delta object: its `content` when it is a string (a null one is no text).
        mutating func delta(text: inout String?) -> Bool {
            guard openObject() else { return false }
            var members = Members()
            while true {
                switch nextKey(&members) {
                case .end: return true
                case .content:
                    if null() { continue }
                    guard let content = string() else { return false }
                    text = content
                case .other: guard skipValue(depth: 4) else { return false }
                default: return false  // `images` and `multi_mod_content` carry returned images
                }
            }
        }

        /// Consumes the opening brace of an object (and the whitespace before it).
        mutating func openObject() -> Bool {
            skipSpace()
            return take(Self.openBrace)
        }

        /// The next member of an object opened by `openObject`, the cursor left on its value: a known key
        /// appearing once, `other`, `end` after the closing brace, or `invalid`.
        mutating func nextKey(_ members: inout Members) -> Key {
            skipSpace()
            if members.started {
                if take(Self.closeBrace) { return .end }
                guard take(Self.comma) else { return .invalid }
                skipSpace()
            } else {
                if take(Self.closeBrace) { return .end }
                members.started = true
            }
            // A key without escapes (an escaped key could spell a known one).
            guard take(Self.quote) else { return .invalid }
            let start = position
            guard plainRun() == .closed else { return .invalid }
            let length = position - 1 - start
            let key = length == 0 ? Key.other : Key(base + start, count: length)
            if key.bit & members.seen != 0 { return .invalid }
            members.seen |= key.bit
            skipSpace()
            guard take(Self.colon) else { return .invalid }
            skipSpace()
            return key
        }

        /// How a run of plain string bytes ended.
        enum RunEnd { case closed, escape, invalid }

        /// Scans a string's bytes (the cursor after its opening quote) through the closing quote (`closed`, the
        /// cursor after it), or up to the first backslash (`escape`, the cursor on it); `invalid` at a control
        /// character or the end of the input.
        @inline(__always)
        mutating func plainRun() -> RunEnd {
            var at = position
            defer { position = at }
            // Eight bytes at a time: the first byte that ends the run is found from the word's bits, without a
            // byte loop.
            while at + 8 <= count {
                let stops = Self.runStops(UInt64(littleEndian: UnsafeRawPointer(base + at).loadUnaligned(as: UInt64.self)))
                if stops == 0 {
                    at += 8
                    continue
                }
                at += stops.trailingZeroBitCount >> 3
                return finishRun(at: &at)
            }
            while at < count {
                let byte = base[at]
                if byte == Self.quote || byte == Self.backslash || byte < 0x20 { return finishRun(at: &at) }
                at += 1
            }
            return .invalid
        }

        /// How the run ends at `at`, a quote (then stepped over), a backslash or a control character.
        @inline(__always)
        func finishRun(at: inout Int) -> RunEnd {
            switch base[at] {
            case Self.quote:
                at += 1
                return .closed
            case Self.backslash: return .escape
            default: return .invalid
            }
        }

        /// The high bit of each byte of `word` (first byte lowest) that is a quote, a backslash or a control
        /// character; exact, so the lowest set bit marks the first such byte.
        @inline(__always)
        static func runStops(_ word: UInt64) -> UInt64 {
            let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
            /// The high bit of each zero byte of `v` (no carry crosses bytes: each sum is at most 0xFE).
            func zeroBytes(_ v: UInt64) -> UInt64 { ~(((v & low7) &+ low7) | v | low7) }
            return zeroBytes(word & 0xE0E0_E0E0_E0E0_E0E0) | zeroBytes(word ^ 0x2222_2222_2222_2222) | zeroBytes(word ^ 0x5C5C_5C5C_5C5C_5C5C)
        }

        /// A string value, its escapes decoded (the bytes are valid UTF-8: they come from a Swift String).
        mutating func string() -> String? {
            guard take(Self.quote) else { return nil }
            let start = position
            switch plainRun() {
            case .closed: return String(decoding: UnsafeBufferPointer(start: base + start, count: position - 1 - start), as: UTF8.self)
            case .invalid: return nil
            case .escape:
                var decoded: [UInt8]? = Array(UnsafeBufferPointer(start: base + start, count: position - start))
                guard stringRest(into: &decoded) else { return nil }
                return String(decoding: decoded!, as: UTF8.self)
            }
        }

        /// Skips a string value, checking its escapes as `string()` does.
        mutating func skipString() -> Bool {
            guard take(Self.quote) else { return false }
            switch plainRun() {
            case .closed: return true
            case .invalid: return false
            case .escape:
                var nothing: [UInt8]? = nil
                return stringRest(into: &nothing)
            }
        }

        /// The rest of a string through its closing quote, escapes decoded into `output` when there is one.
        mutating func stringRest(into output: inout [UInt8]?) -> Bool {
            while position < count {
                let byte = base[position]
                if byte == Self.quote {
                    position += 1
                    return true
                }
                if byte == Self.backslash {
                    guard escape(into: &output) else { return false }
                    continue
                }
                if byte < 0x20 { return false }
                output?.append(byte)
                position += 1
            }
            return false
        }

        /// One escape sequence (the cursor on its backslash), appended as UTF-8 to `output` when there is one.
        /// A `\u` escape that is NUL or a surrogate not in a valid pair is left to the general decoder.
        mutating func escape(into output: inout [UInt8]?) -> Bool {
            guard position + 1 < count else { return false }
            let kind = base[position + 1]
            position += 2
            let simple: UInt8?
            switch kind {
            case UInt8(ascii: "\""): simple = 0x22
            case UInt8(ascii: "\\"): simple = 0x5C
            case UInt8(ascii: "/"): simple = 0x2F
            case UInt8(ascii: "b"): simple = 0x08
            case UInt8(ascii: "f"): simple = 0x0C
            case UInt8(ascii: "n"): simple = 0x0A
            case UInt8(ascii: "r"): simple = 0x0D
            case UInt8(ascii: "t"): simple = 0x09
            case UInt8(ascii: "u"): simple = nil
            default: return false
            }
            if let simple {
                output?.append(simple)
                return true
            }
            guard let unit = hex4() else { return false }
            var scalarValue = UInt32(unit)
            if (0xD800...0xDBFF).contains(unit) {
                guard position + 1 < count, base[position] == Self.backslash, base[position + 1] == UInt8(ascii: "u")
                else { return false }
                position += 2
                guard let low = hex4(), (0xDC00...0xDFFF).contains(low) else { return false }
                scalarValue = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(unit) || unit == 0 {
                return false
            }
            guard let scalar = Unicode.Scalar(scalarValue) else { return false }
            if output != nil { output!.append(contentsOf: String(Character(scalar)).utf8) }
            return true
        }

        /// Four hex digits of a `\u` escape.
        mutating func hex4() -> UInt16? {
            guard position + 4 <= count else { return nil }
            var value: UInt16 = 0
            for _ in 0..<4 {
                let byte = base[position]
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: return nil
                }
                value = value << 4 | UInt16(digit)
                position += 1
            }
            return value
        }

        /// A choice index: 0 or a positive integer of up to 9 digits, no sign, fraction or exponent.
        mutating func smallInteger() -> Int? {
            let start = position
            var value = 0
            while position < count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(base[position]) {
                value = value * 10 + Int(base[position] - UInt8(ascii: "0"))
                position += 1
            }
            let digits = position - start
            guard digits >= 1, digits <= 9, !(digits > 1 && base[start] == UInt8(ascii: "0")) else { return nil }
            if position < count, base[position] == UInt8(ascii: ".") || base[position] == UInt8(ascii: "e") || base[position] == UInt8(ascii: "E") {
                return nil
            }
            return value
        }

        /// Skips any JSON value, checking its grammar; numbers with an exponent or over 15 digits, and values nested
        /// deeper than `maxDepth`, are left to the general decoder.
        mutating func skipValue(depth: Int) -> Bool {
            guard depth <= Self.maxDepth, position < count else { return false }
            switch base[position] {
            case Self.quote: return skipString()
            case Self.openBrace:
                position += 1
                skipSpace()
                if take(Self.closeBrace) { return true }
                while true {
                    skipSpace()
                    guard skipString() else { return false }
                    skipSpace()
                    guard take(Self.colon) else { return false }
                    skipSpace()
                    guard skipValue(depth: depth + 1) else { return false }
                    skipSpace()
                    if take(Self.comma) { continue }
                    return take(Self.closeBrace)
                }
            case Self.openBracket:
                position += 1
                skipSpace()
                if take(Self.closeBracket) { return true }
                while true {
                    skipSpace()
                    guard skipValue(depth: depth + 1) else { return false }
                    skipSpace()
                    if take(Self.comma) { continue }
                    return take(Self.closeBracket)
                }
            case UInt8(ascii: "t"): return literal("true")
            case UInt8(ascii: "f"): return literal("false")
            case UInt8(ascii: "n"): return literal("null")
            default: return skipNumber()
            }
        }

        /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?`, at most 15 digits in all.
        mutating func skipNumber() -> Bool {
            _ = take(Self.minus)
            let integerStart = position
            let integerDigits = digits()
            guard integerDigits >= 1, !(integerDigits > 1 && base[integerStart] == UInt8(ascii: "0")) else { return false }
            var fractionDigits = 0
            if take(UInt8(ascii: ".")) {
                fractionDigits = digits()
                guard fractionDigits >= 1 else { return false }
            }
            guard integerDigits + fractionDigits <= 15 else { return false }
            return position == count || (base[position] != UInt8(ascii: "e") && base[position] != UInt8(ascii: "E"))
        }

        mutating func digits() -> Int {
            let start = position
            while position < count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(base[position]) { position += 1 }
            return position - start
        }

        /// Consumes `null` when it is next.
        mutating func null() -> Bool {
            guard position < count, base[position] == UInt8(ascii: "n") else { return false }
            return literal("null")
        }

        mutating func literal(_ word: StaticString) -> Bool {
            let length = word.utf8CodeUnitCount
            guard position + length <= count, memcmp(base + position, word.utf8Start, length) == 0 else { return false }
            position += length
            return true
        }

        mutating func take(_ byte: UInt8) -> Bool {
            guard position < count, base[position] == byte else { return false }
            position += 1
            return true
        }

        /// JSON whitespace: space, tab, LF, CR.
        mutating func skipSpace() {
            while position < count {
                switch base[position] {
                case 0x20, 0x09, 0x0A, 0x0D: position += 1
                default: return
                }
            }
        }
    }
}
