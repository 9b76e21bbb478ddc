internal import CShims
import FoundationEssentials

/// One open SQLite connection; `deinit` closes it. Every call that can fail throws `HistoryError` with SQLite's message.
final class SQLiteDatabase {
    let handle: OpaquePointer
    /// Statements prepared once and kept for the connection's life (`cached(_:)`), keyed by their SQL.
    private var kept: [String: SQLiteStatement] = [:]

    /// Opens (creating when missing) the database at `path`, waiting up to `busyTimeout` ms for other writers.
    init(path: String, busyTimeout: Int32) throws(HistoryError) {
        var message = [CChar](repeating: 0, count: 256)
        guard vq_sqlite_load(&message) == 0 else {
            throw HistoryError(code: 0, message: message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) })
        }
        var pointer: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let status = vq_sqlite3_open_v2(path, &pointer, flags, nil)
        guard status == SQLITE_OK, let pointer else {
            let message = pointer.map { String(cString: vq_sqlite3_errmsg($0)) } ?? "out of memory"
            vq_sqlite3_close_v2(pointer)
            throw HistoryError(code: status & 0xff, message: message)
        }
        handle = pointer
        vq_sqlite3_busy_timeout(handle, busyTimeout)
        vq_sqlite3_extended_result_codes(handle, 1)
    }

    deinit {
        kept.removeAll()  // finalized before the connection closes
        vq_sqlite3_close_v2(handle)
    }

    /// Runs SQL that returns no rows (several statements allowed).
    func execute(_ sql: String) throws(HistoryError) {
        var error: UnsafeMutablePointer<CChar>?
        let status = vq_sqlite3_exec(handle, sql, nil, nil, &error)
        if status != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? String(cString: vq_sqlite3_errmsg(handle))
            vq_sqlite3_free(error)
            throw HistoryError(code: status & 0xff, message: message)
        }
    }

    func prepare(_ sql: String) throws(HistoryError) -> SQLiteStatement {
        var statement: OpaquePointer?
        let status = vq_sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
        guard status == SQLITE_OK, let statement else { throw lastError(status) }
        return SQLiteStatement(handle: statement, database: self)
    }

    /// `sql` prepared on first use and kept, so a run that writes many exchanges (a batch, a chat) parses it once.
    /// The caller binds (which resets it) before each use and resets it when it stops reading rows early.
    func cached(_ sql: String) throws(HistoryError) -> SQLiteStatement {
        if let statement = kept[sql] { return statement }
        let statement = try prepare(sql)
        kept[sql] = statement
        return statement
    }

    /// The value of a one-row, one-column query (`PRAGMA user_version`), or nil when it has no row.
    func scalar(_ sql: String) throws(HistoryError) -> Int64? {
        let statement = try prepare(sql)
        return try statement.step() ? statement.int(0) : nil
    }

    /// Runs `body` in a write transaction taken at once (`BEGIN IMMEDIATE`), so a concurrent writer waits on the
    /// busy timeout instead of failing when a read transaction would have to turn into a write.
    func writeTransaction<T>(_ body: () throws(HistoryError) -> T) throws(HistoryError) -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    var lastInsertedRowID: Int64 { vq_sqlite3_last_insert_rowid(handle) }

    /// Fills the zeroblob already in `table.column` of `row` with `bytes`, 1 MB at a time, so a large image is never
    /// copied whole into SQLite's memory (binding it would copy it).
    func writeBlob(_ bytes: Data, table: String, column: String, row: Int64) throws(HistoryError) {
        var blob: OpaquePointer?
        let status = vq_sqlite3_blob_open(handle, "main", table, column, row, 1, &blob)
        guard status == SQLITE_OK, let blob else { throw lastError(status) }
        defer { vq_sqlite3_blob_close(blob) }
        let piece = 1 << 20
        var offset = 0
        while offset < bytes.count {
            let count = min(piece, bytes.count - offset)
            let written = bytes.withUnsafeBytes { raw in
                vq_sqlite3_blob_write(blob, raw.baseAddress! + offset, Int32(count), Int32(offset))
            }
            guard written == SQLITE_OK else { throw lastError(written) }
            offset += count
        }
    }

    func lastError(_ status: Int32) -> HistoryError {
        HistoryError(code: status & 0xff, message: String(cString: vq_sqlite3_errmsg(handle)))
    }
}
