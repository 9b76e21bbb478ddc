internal import CShims
import FoundationEssentials

/// A prepared statement; `deinit` finalizes it. Parameters are 1-based, columns 0-based, as in SQLite.
final class SQLiteStatement {
    private let handle: OpaquePointer
    /// Unowned: the database keeps the statements it caches, and no statement outlives its database.
    private unowned let database: SQLiteDatabase

    init(handle: OpaquePointer, database: SQLiteDatabase) {
        self.handle = handle
        self.database = database
    }

    deinit { vq_sqlite3_finalize(handle) }

    /// A value SQLite can store.
    enum Value {
        case int(Int64)
        case double(Double)
        case text(String)
        case blob(Data)
        case null
    }

    func bind(_ values: [Value]) throws(HistoryError) {
        vq_sqlite3_reset(handle)
        vq_sqlite3_clear_bindings(handle)
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let status: Int32
            switch value {
            case .int(let number): status = vq_sqlite3_bind_int64(handle, index, number)
            case .double(let number): status = vq_sqlite3_bind_double(handle, index, number)
            case .text(let text):
                status = text.withCString { vq_sqlite3_bind_text_copy(handle, index, $0, Int32(text.utf8.count)) }
            case .blob(let data):
                status = data.withUnsafeBytes { vq_sqlite3_bind_blob_copy(handle, index, $0.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, Int32($0.count)) }
            case .null: status = vq_sqlite3_bind_null(handle, index)
            }
            guard status == SQLITE_OK else { throw database.lastError(status) }
        }
    }

    /// Ends the current run early (a query whose later rows are not wanted), so it holds no read snapshot.
    func reset() { vq_sqlite3_reset(handle) }

    /// Advances to the next row: true when there is one, false when done.
    @discardableResult
    func step() throws(HistoryError) -> Bool {
        let status = vq_sqlite3_step(handle)
        switch status {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw database.lastError(status)
        }
    }

    /// Binds `values` and steps to the end (for INSERT and UPDATE).
    func run(_ values: [Value]) throws(HistoryError) {
        try bind(values)
        while try step() {}
    }

    func isNull(_ column: Int32) -> Bool { vq_sqlite3_column_type(handle, column) == SQLITE_NULL }
    func int(_ column: Int32) -> Int64 { vq_sqlite3_column_int64(handle, column) }
    func optionalInt(_ column: Int32) -> Int? { isNull(column) ? nil : Int(int(column)) }
    func double(_ column: Int32) -> Double { vq_sqlite3_column_double(handle, column) }
    func optionalDouble(_ column: Int32) -> Double? { isNull(column) ? nil : double(column) }

    func text(_ column: Int32) -> String {
        guard let pointer = vq_sqlite3_column_text(handle, column) else { return "" }
        return String(decoding: UnsafeBufferPointer(start: pointer, count: Int(vq_sqlite3_column_bytes(handle, column))), as: UTF8.self)
    }

    func optionalText(_ column: Int32) -> String? { isNull(column) ? nil : text(column) }

    func blob(_ column: Int32) -> Data {
        let count = Int(vq_sqlite3_column_bytes(handle, column))
        guard count > 0, let pointer = vq_sqlite3_column_blob(handle, column) else { return Data() }
        return Data(bytes: pointer, count: count)
    }
}
