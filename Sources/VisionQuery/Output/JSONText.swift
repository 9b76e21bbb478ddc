import FoundationEssentials
import Platform

/// JSON text for output, stable key order, slashes unescaped.
public enum JSONText {
    public static func render(_ value: Any, pretty: Bool = false) -> String { JSONWriter.text(value, pretty: pretty) }
}
