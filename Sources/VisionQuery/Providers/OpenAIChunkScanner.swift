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
            var scanner = Scanner(bytes: bytes)
            return scanner.chunk()
        }
    }

    /// A cursor over one chunk's bytes; each method returns nil (or false) as soon as the input leaves the shape.
    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0

        /// Nested values deeper than this are left to the general decoder.
        static let maxDepth = 32

        // Byte values of the JSON grammar.
        static let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\"), colon = UInt8(ascii: ":")
        static let comma = UInt8(ascii: ","), openBrace = UInt8(ascii: "{"), closeBrace = UInt8(ascii: "}")
        static let openBracket = UInt8(ascii: "["), closeBracket = UInt8(ascii: "]"), minus = UInt8(ascii: "-")

        /// The object keys the shape knows; every other key's value is validated and skipped.
        enum Key {
            case model, choices, usage, error, index, delta, finishReason, message, content, multiModContent, images
            case other

            /// The known keys by length, so most keys are compared with none or one name.
            static let byLength: [Int: [(StaticString, Key)]] = [
                5: [("model", .model), ("usage", .usage), ("error", .error), ("index", .index), ("delta", .delta)],
                6: [("images", .images)], 7: [("choices", .choices), ("message", .message), ("content", .content)],
                13: [("finish_reason", .finishReason)], 17: [("multi_mod_content", .multiModContent)],
            ]

            init(_ key: UnsafeBufferPointer<UInt8>) {
                self = Self.byLength[key.count]?.first { Self.equal(key, $0.0) }?.1 ?? .other
            }

            private static func equal(_ key: UnsafeBufferPointer<UInt8>, _ name: StaticString) -> Bool {
                name.utf8CodeUnitCount == key.count && memcmp(key.baseAddress!, name.utf8Start, key.count) == 0
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
                case .other: 0
                }
            }
        }

        /// The whole chunk: one object, nothing after it but whitespace.
        mutating func chunk() -> [StreamEvent]? {
            var model: String?
            var choiceEvents: [StreamEvent] = []
            var hasChoices = false
            let complete = object { (key: Key, scanner: inout Scanner) -> Bool in
                switch key {
                case .model:
                    if scanner.null() { return true }
                    model = scanner.string()
                    return model != nil
                case .choices:
                    hasChoices = true
                    if scanner.null() { return true }
                    return scanner.choices(into: &choiceEvents)
                case .usage: return scanner.null()  // usage counts come once: the general decoder reads them
                case .other: return scanner.skipValue(depth: 1)
                default: return false
                }
            }
            skipSpace()
            // Without `choices` it is not a chat-completion chunk (an Images API event, say): the general decoder reads it.
            guard complete, hasChoices, position == bytes.count else { return nil }
            if let model, !model.isEmpty { return [.model(model)] + choiceEvents }
            return choiceEvents
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
            let complete = object { (key: Key, scanner: inout Scanner) -> Bool in
                switch key {
                case .index:
                    guard let number = scanner.smallInteger() else { return false }
                    index = number
                    return true
                case .delta:
                    if scanner.null() { return true }
                    return scanner.delta(text: &text)
                case .finishReason:
                    if scanner.null() { return true }
                    finishReason = scanner.string()
                    return finishReason != nil
                case .other: return scanner.skipValue(depth: 3)
                default: return false  // a whole `message` may carry images
                }
            }
            guard complete else { return false }
            if index == 0 {
                if let text, !text.isEmpty { events.append(.text(text)) }
                if let finishReason { events.append(.finish(reason: finishReason)) }
            }
            return true
        }

        /// A delta object: its `content` when it is a string (a null one is no text).
        mutating func delta(text: inout String?) -> Bool {
            object { (key: Key, scanner: inout Scanner) -> Bool in
                switch key {
                case .content:
                    if scanner.null() { return true }
                    text = scanner.string()
                    return text != nil
                case .other: return scanner.skipValue(depth: 4)
                default: return false  // `images` and `multi_mod_content` carry returned images
                }
            }
        }

        /// An object whose known keys each appear once; `member` reads each value (the cursor on its first byte).
        mutating func object(_ member: (Key, inout Scanner) -> Bool) -> Bool {
            skipSpace()
            guard take(Self.openBrace) else { return false }
            skipSpace()
            if take(Self.closeBrace) { return true }
            var seen: UInt16 = 0
            while true {
                skipSpace()
                guard let name = plainKey() else { return false }
                let key = Key(name)
                if key.bit & seen != 0 { return false }
                seen |= key.bit
                skipSpace()
                guard take(Self.colon) else { return false }
                skipSpace()
                guard member(key, &self) else { return false }
                skipSpace()
                if take(Self.comma) { continue }
                return take(Self.closeBrace)
            }
        }

        /// A key without escapes (an escaped key could spell a known one).
        mutating func plainKey() -> UnsafeBufferPointer<UInt8>? {
            guard take(Self.quote), let run = plainRun(), run.closed else { return nil }
            return UnsafeBufferPointer(rebasing: bytes[run.start..<position - 1])
        }

        /// Scans a string's characters (the cursor after its opening quote) through the closing quote, or up to the
        /// first backslash; returns where they start and whether the string closed. Nil at a control character or
        /// the end of the input.
        mutating func plainRun() -> (start: Int, closed: Bool)? {
            let start = position
            while position < bytes.count {
                let byte = bytes[position]
                if byte == Self.quote {
                    position += 1
                    return (start, true)
                }
                if byte == Self.backslash { return (start, false) }
                if byte < 0x20 { return nil }
                position += 1
            }
            return nil
        }

        /// A string value, its escapes decoded (the bytes are valid UTF-8: they come from a Swift String).
        mutating func string() -> String? {
            guard take(Self.quote), let run = plainRun() else { return nil }
            if run.closed {
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[run.start..<position - 1]), as: UTF8.self)
            }
            var decoded: [UInt8]? = Array(bytes[run.start..<position])
            guard stringRest(into: &decoded) else { return nil }
            return String(decoding: decoded!, as: UTF8.self)
        }

        /// Skips a string value, checking its escapes as `string()` does.
        mutating func skipString() -> Bool {
            var nothing: [UInt8]? = nil
            return take(Self.quote) && stringRest(into: &nothing)
        }

        /// The rest of a string through its closing quote, escapes decoded into `output` when there is one.
        mutating func stringRest(into output: inout [UInt8]?) -> Bool {
            while position < bytes.count {
                let byte = bytes[position]
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
            guard position + 1 < bytes.count else { return false }
            let kind = bytes[position + 1]
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
                guard position + 1 < bytes.count, bytes[position] == Self.backslash, bytes[position + 1] == UInt8(ascii: "u")
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
            guard position + 4 <= bytes.count else { return nil }
            var value: UInt16 = 0
            for _ in 0..<4 {
                let byte = bytes[position]
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
            while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) {
                value = value * 10 + Int(bytes[position] - UInt8(ascii: "0"))
                position += 1
            }
            let digits = position - start
            guard digits >= 1, digits <= 9, !(digits > 1 && bytes[start] == UInt8(ascii: "0")) else { return nil }
            if position < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[position]) {
                return nil
            }
            return value
        }

        /// Skips any JSON value, checking its grammar; numbers with an exponent or over 15 digits, and values nested
        /// deeper than `maxDepth`, are left to the general decoder.
        mutating func skipValue(depth: Int) -> Bool {
            guard depth <= Self.maxDepth, position < bytes.count else { return false }
            switch bytes[position] {
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
            guard integerDigits >= 1, !(integerDigits > 1 && bytes[integerStart] == UInt8(ascii: "0")) else { return false }
            var fractionDigits = 0
            if take(UInt8(ascii: ".")) {
                fractionDigits = digits()
                guard fractionDigits >= 1 else { return false }
            }
            guard integerDigits + fractionDigits <= 15 else { return false }
            return position == bytes.count || (bytes[position] != UInt8(ascii: "e") && bytes[position] != UInt8(ascii: "E"))
        }

        mutating func digits() -> Int {
            let start = position
            while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) { position += 1 }
            return position - start
        }

        /// Consumes `null` when it is next.
        mutating func null() -> Bool {
            guard position < bytes.count, bytes[position] == UInt8(ascii: "n") else { return false }
            return literal("null")
        }

        mutating func literal(_ word: StaticString) -> Bool {
            let count = word.utf8CodeUnitCount
            guard position + count <= bytes.count, memcmp(bytes.baseAddress! + position, word.utf8Start, count) == 0 else {
                return false
            }
            position += count
            return true
        }

        mutating func take(_ byte: UInt8) -> Bool {
            guard position < bytes.count, bytes[position] == byte else { return false }
            position += 1
            return true
        }

        /// JSON whitespace: space, tab, LF, CR.
        mutating func skipSpace() {
            while position < bytes.count {
                switch bytes[position] {
                case 0x20, 0x09, 0x0A, 0x0D: position += 1
                default: return
                }
            }
        }
    }
}
