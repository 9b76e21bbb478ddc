import Foundation

/// JSON text for output, stable key order, slashes unescaped.
public enum JSONText {
    public static func render(_ value: Any, pretty: Bool = false) -> String {
        var options: JSONSerialization.WritingOptions = [.sortedKeys, .withoutEscapingSlashes]
        if pretty { options.insert(.prettyPrinted) }
        guard let data = try? JSONSerialization.data(withJSONObject: value, options: options) else {
            preconditionFailure("output is not serialisable JSON")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
