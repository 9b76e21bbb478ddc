import TextFormatting

/// A JSON value that keeps the order of object keys and the text of numbers, so a checked answer is printed as the
/// model wrote it (keys in its order, `1.50` stays `1.50`) and a schema's properties keep the order of its file.
public indirect enum OrderedJSON: Equatable, Sendable {
    case null
    case bool(Bool)
    /// The number as written.
    case number(String)
    case string(String)
    case array([OrderedJSON])
    case object([(key: String, value: OrderedJSON)])

    public static func == (lhs: OrderedJSON, rhs: OrderedJSON) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.number(let a), .number(let b)): Double(a) == Double(b)
        case (.string(let a), .string(let b)): a == b
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)):
            a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: false
        }
    }

    /// The value of `key` in an object.
    public subscript(key: String) -> OrderedJSON? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// The JSON type name as JSON Schema spells it (`integer` for whole numbers).
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number(let text): Self.isInteger(text) ? "integer" : "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// Whether a number's value is whole (`3`, `3.0`, `3e2`).
    static func isInteger(_ text: String) -> Bool {
        if !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) { return true }
        guard let value = Double(text) else { return false }
        return value == value.rounded() && abs(value) < 9.007e15
    }

    /// Compact JSON text; keys in their order, numbers as written.
    public var text: String {
        var out = ""
        write(into: &out)
        return out
    }

    private func write(into out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let flag): out += flag ? "true" : "false"
        case .number(let text): out += text
        case .string(let text): Self.writeString(text, into: &out)
        case .array(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                item.write(into: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (index, member) in members.enumerated() {
                if index > 0 { out += "," }
                Self.writeString(member.key, into: &out)
                out += ":"
                member.value.write(into: &out)
            }
            out += "}"
        }
    }

    private static func writeString(_ text: String, into out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += "\\u00" + HexText.padded(scalar.value, width: 2)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }

    /// The value as untyped objects (`[String: Any]`, `[Any]`, `String`, `Int` for whole numbers that fit, else
    /// `Double`, `Bool`, `JSONNull`), for request bodies and the wire readers.
    public var anyValue: Any {
        switch self {
        case .null: JSONNull()
        case .bool(let flag): flag
        case .number(let text): Self.isInteger(text) ? (Int(text) ?? Self.wholeNumber(text)) : (Double(text) ?? 0) as Any
        case .string(let text): text
        case .array(let items): items.map(\.anyValue)
        case .object(let members): Dictionary(members.map { ($0.key, $0.value.anyValue) }, uniquingKeysWith: { _, last in last })
        }
    }

    /// A whole number written with a fraction or exponent (`3.0`, `3e2`) as Int, or one too big for Int as Double.
    private static func wholeNumber(_ text: String) -> Any {
        let value = Double(text) ?? 0
        return abs(value) < 9.007e15 ? Int(value) as Any : value as Any
    }
}

extension OrderedJSON {
    /// A parse failure: what was wrong and at which byte offset.
    public struct ParseError: Error, Sendable {
        public let message: String
        public let offset: Int
    }

    /// Parses one JSON document (RFC 8259); whitespace around it is allowed, anything else after it is an error.
    public static func parse(_ text: String) throws(ParseError) -> OrderedJSON { try parse(bytes: Array(text.utf8)) }

    /// Parses one JSON document from UTF-8 bytes.
    public static func parse(bytes: [UInt8]) throws(ParseError) -> OrderedJSON {
        var parser = Parser(bytes: bytes)
        parser.skipWhitespace()
        let value = try parser.value(depth: 0)
        parser.skipWhitespace()
        guard parser.index == parser.bytes.count else { throw ParseError(message: "unexpected text after the JSON value", offset: parser.index) }
        return value
    }

    /// A byte-level recursive-descent parser.
    private struct Parser {
        let bytes: [UInt8]
        var index = 0

        mutating func skipWhitespace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        func fail(_ message: String) -> ParseError { ParseError(message: message, offset: index) }

        mutating func value(depth: Int) throws(ParseError) -> OrderedJSON {
            guard depth < 512 else { throw fail("nested too deeply") }
            guard index < bytes.count else { throw fail("unexpected end of text") }
            switch bytes[index] {
            case UInt8(ascii: "{"): return try object(depth: depth)
            case UInt8(ascii: "["): return try array(depth: depth)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"):
                try literal("true")
                return .bool(true)
            case UInt8(ascii: "f"):
                try literal("false")
                return .bool(false)
            case UInt8(ascii: "n"):
                try literal("null")
                return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
            default: throw fail("unexpected character '\(String(decoding: [bytes[index]], as: UTF8.self))'")
            }
        }

        mutating func literal(_ word: String) throws(ParseError) {
            let expected = Array(word.utf8)
            guard index + expected.count <= bytes.count, Array(bytes[index..<index + expected.count]) == expected else {
                throw fail("invalid literal (expected \(word))")
            }
            index += expected.count
        }

        mutating func object(depth: Int) throws(ParseError) -> OrderedJSON {
            index += 1
            var members: [(key: String, value: OrderedJSON)] = []
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                index += 1
                return .object(members)
            }
            while true {
                skipWhitespace()
                guard index < bytes.count else { throw fail("unexpected end of text in an object") }
                guard bytes[index] == UInt8(ascii: "\"") else { throw fail("expected a quoted key") }
                let key = try string()
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail("expected ':' after key \"\(key)\"") }
                index += 1
                skipWhitespace()
                let member = try value(depth: depth + 1)
                if let existing = members.firstIndex(where: { $0.key == key }) { members.remove(at: existing) }
                members.append((key, member))
                skipWhitespace()
                guard index < bytes.count else { throw fail("unexpected end of text in an object") }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                if bytes[index] == UInt8(ascii: "}") {
                    index += 1
                    return .object(members)
                }
                throw fail("expected ',' or '}' in an object")
            }
        }

        mutating func array(depth: Int) throws(ParseError) -> OrderedJSON {
            index += 1
            var items: [OrderedJSON] = []
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .array(items)
            }
            while true {
                skipWhitespace()
                items.append(try value(depth: depth + 1))
                skipWhitespace()
                guard index < bytes.count else { throw fail("unexpected end of text in an array") }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                if bytes[index] == UInt8(ascii: "]") {
                    index += 1
                    return .array(items)
                }
                throw fail("expected ',' or ']' in an array")
            }
        }

        mutating func number() throws(ParseError) -> String {
            let start = index
            if bytes[index] == UInt8(ascii: "-") { index += 1 }
            func digits(_ parser: inout Parser) -> Int {
                let from = parser.index
                while parser.index < parser.bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(parser.bytes[parser.index]) { parser.index += 1 }
                return parser.index - from
            }
            let whole = index
            guard digits(&self) > 0 else { throw fail("invalid number") }
            if bytes[whole] == UInt8(ascii: "0") && index - whole > 1 { throw fail("invalid number (leading zero)") }
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                guard digits(&self) > 0 else { throw fail("invalid number (no digits after '.')") }
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
                guard digits(&self) > 0 else { throw fail("invalid number (no exponent digits)") }
            }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }

        mutating func string() throws(ParseError) -> String {
            index += 1
            var out = [UInt8]()
            while true {
                guard index < bytes.count else { throw fail("unterminated string") }
                let byte = bytes[index]
                index += 1
                switch byte {
                case UInt8(ascii: "\""): return String(decoding: out, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    guard index < bytes.count else { throw fail("unterminated string") }
                    let escape = bytes[index]
                    index += 1
                    switch escape {
                    case UInt8(ascii: "\""): out.append(0x22)
                    case UInt8(ascii: "\\"): out.append(0x5C)
                    case UInt8(ascii: "/"): out.append(0x2F)
                    case UInt8(ascii: "b"): out.append(0x08)
                    case UInt8(ascii: "f"): out.append(0x0C)
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "r"): out.append(0x0D)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "u"):
                        var scalar = try hex4()
                        if (0xD800..<0xDC00).contains(scalar), index + 1 < bytes.count,
                            bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
                        {
                            index += 2
                            let low = try hex4()
                            guard (0xDC00..<0xE000).contains(low) else { throw fail("invalid surrogate pair") }
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        }
                        guard let unicode = Unicode.Scalar(scalar) else { throw fail("invalid \\u escape") }
                        out.append(contentsOf: Array(String(Character(unicode)).utf8))
                    default: throw fail("invalid escape in a string")
                    }
                case 0..<0x20: throw fail("control character in a string")
                default: out.append(byte)
                }
            }
        }

        mutating func hex4() throws(ParseError) -> UInt32 {
            guard index + 4 <= bytes.count else { throw fail("invalid \\u escape") }
            guard let value = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16) else {
                throw fail("invalid \\u escape")
            }
            index += 4
            return value
        }
    }
}
