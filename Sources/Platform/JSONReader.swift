import FoundationEssentials

/// Parses JSON text into untyped values (`[String: Any]`, `[Any]`, `String`, `Int`, `Double`, `Bool`, `JSONNull`):
/// the wire readers' entry point, on `OrderedJSON`'s parser.
public enum JSONReader {
    /// The value of one JSON document (any JSON value at the top).
    public static func value(_ data: some DataProtocol) throws(OrderedJSON.ParseError) -> Any {
        try OrderedJSON.parse(bytes: Array(data)).anyValue
    }

    /// The value of one JSON document in a string.
    public static func value(_ text: String) throws(OrderedJSON.ParseError) -> Any {
        try OrderedJSON.parse(bytes: Array(text.utf8)).anyValue
    }
}
