import FoundationEssentials

/// Serialises untyped JSON values (`[String: Any]` of strings, numbers, bools, arrays, objects, `JSONNull`) with sorted
/// keys and unescaped slashes: request bodies, output records, the log. Casts to the common concrete types first:
/// protocol-conformance lookups cost more CPU than the rest of building a request.
public enum JSONWriter {
    public static func data(_ value: Any) -> Data {
        var out = [UInt8]()
        out.reserveCapacity(1024)
        write(value, into: &out)
        return Data(out)
    }

    /// JSON text for output, keys in `JSONKeyOrder` (Foundation's order), compact or indented.
    public static func text(_ value: Any, pretty: Bool = false) -> String {
        var out = [UInt8]()
        if pretty { writePretty(value, indent: 0, into: &out) } else { write(value, outputOrder: true, into: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    private static func write(_ value: Any, outputOrder: Bool = false, into out: inout [UInt8]) {
        switch value {
        case let text as String: writeString(text, into: &out)
        case let flag as Bool: out.append(contentsOf: flag ? Array("true".utf8) : Array("false".utf8))
        case let number as Int: out.append(contentsOf: String(number).utf8)
        case let number as Double:
            precondition(number.isFinite, "JSON cannot carry \(number)")
            let text = number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
            out.append(contentsOf: text.utf8)
        case let object as [String: Any]:
            out.append(UInt8(ascii: "{"))
            let keys = outputOrder ? object.keys.sorted(by: JSONKeyOrder.areInIncreasingOrder) : object.keys.sorted()
            for (index, key) in keys.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                writeString(key, into: &out)
                out.append(UInt8(ascii: ":"))
                write(object[key]!, outputOrder: outputOrder, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        case let array as [Any]:
            out.append(UInt8(ascii: "["))
            for (index, element) in array.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                write(element, outputOrder: outputOrder, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case is JSONNull: out.append(contentsOf: "null".utf8)
        case let json as OrderedJSON: out.append(contentsOf: json.text.utf8)
        case let number as any BinaryInteger: out.append(contentsOf: String(number).utf8)
        case let number as any BinaryFloatingPoint: write(Double(number), outputOrder: outputOrder, into: &out)
        default: preconditionFailure("unsupported JSON value of type \(type(of: value))")
        }
    }

    /// A JSON string literal, quotes included.
    public static func string(_ text: String) -> String {
        var out: [UInt8] = []
        writeString(text, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Indented text, laid out as Foundation's `JSONSerialization` `.prettyPrinted` did (two spaces, `"key" : value`),
    /// for output people read.
    public static func pretty(_ value: Any) -> String {
        var out = [UInt8]()
        writePretty(value, indent: 0, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private static func writePretty(_ value: Any, indent: Int, into out: inout [UInt8]) {
        func newline(_ level: Int) {
            out.append(0x0A)
            out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * level))
        }
        switch value {
        case let object as [String: Any]:
            out.append(UInt8(ascii: "{"))
            if object.isEmpty { out.append(0x0A) }
            for (index, key) in object.keys.sorted(by: JSONKeyOrder.areInIncreasingOrder).enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                newline(indent + 1)
                writeString(key, into: &out)
                out.append(contentsOf: " : ".utf8)
                writePretty(object[key]!, indent: indent + 1, into: &out)
            }
            newline(indent)
            out.append(UInt8(ascii: "}"))
        case let array as [Any]:
            out.append(UInt8(ascii: "["))
            if array.isEmpty { out.append(0x0A) }
            for (index, element) in array.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                newline(indent + 1)
                writePretty(element, indent: indent + 1, into: &out)
            }
            newline(indent)
            out.append(UInt8(ascii: "]"))
        default: write(value, outputOrder: true, into: &out)
        }
    }

    private static func writeString(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 15)]])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

extension JSONWriter {
    /// An object whose keys keep the given order (for records people read, such as batch lines).
    public static func orderedObject(_ pairs: [(String, Any)]) -> Data {
        var out = [UInt8(ascii: "{")]
        for (index, (key, value)) in pairs.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: data(key))
            out.append(UInt8(ascii: ":"))
            out.append(contentsOf: data(value))
        }
        out.append(UInt8(ascii: "}"))
        return Data(out)
    }
}
