import Foundation

/// Small helpers for reading untyped JSON.
enum JSONValue {
    static func object(from data: Data) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) as? [String: Any]
    }

    /// A JSON number as Double (not a JSON boolean); numeric strings too.
    static func number(_ value: Any?) -> Double? {
        if let number = value as? NSNumber, !(value is Bool) { return number.doubleValue }
        if let text = value as? String { return Double(text) }
        return nil
    }

    /// A JSON number as Int.
    static func int(_ value: Any?) -> Int? { number(value).map { Int($0) } }
}
