import FoundationEssentials
import Platform

/// Small helpers for reading untyped JSON.
enum JSONValue {
    static func object(from data: Data) -> [String: Any]? { (try? JSONReader.value(data)) as? [String: Any] }

    /// A JSON number as Double (not a JSON boolean); numeric strings too.
    static func number(_ value: Any?) -> Double? {
        if let number = exactNumber(value) { return number }
        if let text = value as? String { return Double(text) }
        return nil
    }

    /// A JSON number (`JSONReader` gives Int or Double) as Double; nil for anything else, booleans included.
    static func exactNumber(_ value: Any?) -> Double? {
        if let number = value as? Int { return Double(number) }
        return value as? Double
    }

    /// A JSON number as Int.
    static func int(_ value: Any?) -> Int? { number(value).map { Int($0) } }
}
