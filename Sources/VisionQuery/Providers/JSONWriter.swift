import Foundation

/// Serialises request bodies and MCP messages (`[String: Any]` of strings, numbers, bools, arrays, objects, NSNull)
/// with sorted keys and unescaped slashes. Casts to concrete types first: JSONSerialization's protocol-conformance
/// lookups cost more CPU than the rest of building a request.
enum JSONWriter {
    static func data(_ value: Any) -> Data {
        var out = [UInt8]()
        out.reserveCapacity(1024)
        write(value, into: &out)
        return Data(out)
    }

    /// The JSON text of `value`.
    static func text(_ value: Any) -> String {
        var out = [UInt8]()
        out.reserveCapacity(1024)
        write(value, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private static func write(_ value: Any, into out: inout [UInt8]) {
        switch value {
        case let text as String: writeString(text, into: &out)
        // A Foundation number (JSONSerialization's) first: it would also pass as Bool when it is 0 or 1.
        case _ where type(of: value) is NSNumber.Type: writeNumber(value as! NSNumber, into: &out)
        case let flag as Bool: out.append(contentsOf: flag ? Array("true".utf8) : Array("false".utf8))
        case let number as Int: out.append(contentsOf: String(number).utf8)
        case let number as Double: writeDouble(number, into: &out)
        case let object as [String: Any]:
            out.append(UInt8(ascii: "{"))
            for (index, key) in object.keys.sorted().enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                writeString(key, into: &out)
                out.append(UInt8(ascii: ":"))
                write(object[key]!, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        case let array as [Any]:
            out.append(UInt8(ascii: "["))
            for (index, element) in array.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                write(element, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case is NSNull: out.append(contentsOf: "null".utf8)
        case let json as OrderedJSON: out.append(contentsOf: json.text.utf8)
        case let number as Float: writeDouble(Double(number), into: &out)
        case let number as any BinaryInteger: out.append(contentsOf: String(describing: number).utf8)
        default: preconditionFailure("unsupported JSON value of type \(type(of: value))")
        }
    }

    private static func writeDouble(_ number: Double, into out: inout [UInt8]) {
        precondition(number.isFinite, "JSON cannot carry \(number)")
        let text = number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
        out.append(contentsOf: text.utf8)
    }

    /// A Foundation number: a boolean is one whose type is `c` (as JSONSerialization makes true and false).
    private static func writeNumber(_ number: NSNumber, into out: inout [UInt8]) {
        switch UInt8(bitPattern: number.objCType.pointee) {
        case UInt8(ascii: "c"): out.append(contentsOf: (number.boolValue ? "true" : "false").utf8)
        case UInt8(ascii: "d"), UInt8(ascii: "f"): writeDouble(number.doubleValue, into: &out)
        default: out.append(contentsOf: number.stringValue.utf8)
        }
    }

    /// A JSON string literal, quotes included.
    static func string(_ text: String) -> String {
        var out: [UInt8] = []
        writeString(text, into: &out)
        return String(decoding: out, as: UTF8.self)
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
    static func orderedObject(_ pairs: [(String, Any)]) -> Data {
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
