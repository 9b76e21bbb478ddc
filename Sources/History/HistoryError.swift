/// A failed SQLite call or an unusable database, with SQLite's own message (where result codes become a Swift error).
public struct HistoryError: Error, Sendable, CustomStringConvertible {
    /// The primary SQLite result code (`SQLITE_BUSY` = 5, `SQLITE_NOTADB` = 26, ...); 0 for vq's own checks.
    public let code: Int32
    public let message: String

    public init(code: Int32, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
