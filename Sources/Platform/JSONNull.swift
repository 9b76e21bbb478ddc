/// JSON's `null` in untyped JSON values (`[String: Any]`): what the readers produce and `JSONWriter` writes.
public struct JSONNull: Equatable, Hashable, Sendable {
    public init() {}
}
