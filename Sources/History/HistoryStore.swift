import FoundationEssentials
import Glibc
import Platform
import TextFormatting

/// The conversation log: an SQLite database in WAL mode with a busy timeout, so that many vq processes can log at
/// once. Records exchanges, reads conversations back (with the image bytes sent) and lists or searches them.
public final class HistoryStore {
    public let path: String
    let database: SQLiteDatabase

    /// How long a writer waits for another vq holding the write lock, in milliseconds.
    static let busyTimeout: Int32 = 10_000

    /// Opens the log at `path`, creating it (and its directory) when `create` is true, and applies any missing
    /// migrations. Returns nil when the file does not exist and `create` is false. The log holds prompts, answers and
    /// image bytes, so a new one is created 0600 whatever the umask (SQLite gives its -wal and -shm files the same
    /// mode), and a path that is not a regular file (a device, a FIFO, a directory) is refused before SQLite opens it.
    public static func open(path: String, create: Bool = true) throws(HistoryError) -> HistoryStore? {
        var info = stat()
        if stat(path, &info) == 0 {
            guard (info.st_mode & S_IFMT) == S_IFREG else { throw HistoryError(code: 0, message: "not a regular file") }
        } else {
            guard create else { return nil }
            let directory = PathText.deletingLastComponent(path)
            if !directory.isEmpty {
                do {
                    try FileManager.default.createDirectory(
                        atPath: directory, withIntermediateDirectories: true,
                        attributes: [.posixPermissions: 0o700])
                } catch {
                    throw HistoryError(code: 0, message: "cannot create \(directory): \(ErrorDescription.reason(error))")
                }
            }
            try createPrivateLogFile(path)
        }
        return try HistoryStore(path: path)
    }

    /// Opens the log at `path` up to schema version `version` only (tests: a database as an older vq left it).
    static func open(path: String, schemaVersion version: Int) throws(HistoryError) -> HistoryStore {
        try HistoryStore(path: path, schemaVersion: version)
    }

    private init(path: String, schemaVersion: Int = HistorySchema.latestVersion) throws(HistoryError) {
        self.path = path
        database = try SQLiteDatabase(path: path, busyTimeout: Self.busyTimeout)
        // WAL lets readers and one writer work at once; NORMAL syncs at checkpoints, not at every commit.
        if try database.prepare("PRAGMA journal_mode").firstText() != "wal" {
            try database.execute("PRAGMA journal_mode = WAL")
        }
        try database.execute("PRAGMA synchronous = NORMAL")
        try HistorySchema.migrate(database, upTo: schemaVersion)
    }

    /// The schema version the database is at.
    public var schemaVersion: Int {
        get throws(HistoryError) { Int(try database.scalar("PRAGMA user_version") ?? 0) }
    }

    // MARK: Writing

    /// Records one exchange (a new conversation when it names none) in one transaction and returns its id and
    /// conversation id. Its statements are prepared once per store and kept.
    @discardableResult
    public func record(_ exchange: HistoryExchange) throws(HistoryError) -> (id: Int, conversationID: Int) {
        try database.writeTransaction { () throws(HistoryError) -> (id: Int, conversationID: Int) in
            let time = Self.timestamp(exchange.time)
            var conversation = exchange.conversationID
            if conversation == nil {
                try database.cached("INSERT INTO conversations (started) VALUES (?)").run([.text(time)])
                conversation = Int(database.lastInsertedRowID)
            }
            let insert = try database.cached(
                """
                INSERT INTO exchanges (conversation_id, time, profile, api, model, system, prompt, options, answer, saved_images,
                    prompt_tokens, completion_tokens, total_tokens, finish_reason, duration_s, error, cached_tokens, cost_usd,
                    cost_prices)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            try insert.run([
                .int(Int64(conversation!)), .text(time), .text(exchange.profile), .text(exchange.api),
                .optionalText(exchange.model), .optionalText(exchange.system), .text(exchange.prompt),
                .text(exchange.options), .text(exchange.answer), .text(Self.jsonArray(exchange.savedImages)),
                .optionalInt(exchange.promptTokens), .optionalInt(exchange.completionTokens),
                .optionalInt(exchange.totalTokens), .optionalText(exchange.finishReason),
                .double(exchange.duration), .optionalText(exchange.error), .optionalInt(exchange.cachedTokens),
                exchange.costUSD.map { .double($0) } ?? .null, .optionalText(exchange.costPrices),
            ])
            let id = Int(database.lastInsertedRowID)
            if !exchange.images.isEmpty {
                let known = try database.cached("SELECT 1 FROM images WHERE sha256 = ?")
                let storeImage = try database.cached("INSERT INTO images (sha256, mime, width, height, bytes) VALUES (?, ?, ?, ?, zeroblob(?))")
                let link = try database.cached("INSERT INTO exchange_images (exchange_id, position, source, sha256, url) VALUES (?, ?, ?, ?, ?)")
                for (position, image) in exchange.images.enumerated() {
                    switch image.content {
                    case .inline(let given, let mime, let width, let height, _, let bytes):
                        let sha256 = given.isEmpty ? SHA256.hex(bytes) : given  // callers may leave hashing to the store
                        try known.bind([.text(sha256)])
                        let isKnown = try known.step()
                        known.reset()
                        if !isKnown {
                            try storeImage.run([.text(sha256), .text(mime), .int(Int64(width)), .int(Int64(height)), .int(Int64(bytes.count))])
                            try database.writeBlob(bytes, table: "images", column: "bytes", row: database.lastInsertedRowID)
                        }
                        try link.run([.int(Int64(id)), .int(Int64(position)), .text(image.source), .text(sha256), .null])
                    case .url(let url):
                        try link.run([.int(Int64(id)), .int(Int64(position)), .text(image.source), .null, .text(url)])
                    }
                }
            }
            return (id, conversation!)
        }
    }

    // MARK: Reading

    /// The conversation of the most recent exchange, or nil when nothing is logged.
    public func latestConversationID() throws(HistoryError) -> Int? {
        try database.scalar("SELECT conversation_id FROM exchanges ORDER BY id DESC LIMIT 1").map(Int.init)
    }

    public func conversationExists(_ id: Int) throws(HistoryError) -> Bool {
        let statement = try database.prepare("SELECT 1 FROM conversations WHERE id = ?")
        try statement.bind([.int(Int64(id))])
        return try statement.step()
    }

    /// Every exchange of a conversation, oldest first, with the bytes of its images (to send them again).
    public func conversation(_ id: Int) throws(HistoryError) -> [HistoryExchange] {
        try select(where: "e.conversation_id = ?", [.int(Int64(id))], order: "e.id ASC", limit: nil, withBytes: true)
    }

    /// One exchange with its images (sizes and hashes, not the bytes), or nil when there is none with this id.
    public func exchange(id: Int) throws(HistoryError) -> HistoryExchange? {
        try select(where: "e.id = ?", [.int(Int64(id))], order: "e.id ASC", limit: 1, withBytes: false).first
    }

    /// The newest `filter.limit` matching exchanges, oldest first.
    public func exchanges(_ filter: HistoryFilter) throws(HistoryError) -> [HistoryExchange] {
        var conditions: [String] = []
        var values: [SQLiteStatement.Value] = []
        if let search = filter.search {
            conditions.append("e.id IN (SELECT rowid FROM exchanges_fts WHERE exchanges_fts MATCH ?)")
            values.append(.text(Self.ftsQuery(search)))
        }
        if let conversation = filter.conversationID {
            conditions.append("e.conversation_id = ?")
            values.append(.int(Int64(conversation)))
        }
        if let model = filter.model {
            conditions.append("e.model = ?")
            values.append(.text(model))
        }
        let newest = try select(
            where: conditions.isEmpty ? "1" : conditions.joined(separator: " AND "), values,
            order: "e.id DESC", limit: filter.limit, withBytes: false)
        return newest.reversed()
    }

    /// Cost and token totals of the exchanges logged since `since` (all when nil), one row per model, profile or
    /// UTC day, the most expensive first; exchanges of unknown cost are counted apart, never as 0.
    public func costTotals(since: Date?, by grouping: CostGrouping) throws(HistoryError) -> [CostTotal] {
        let key: String
        switch grouping {
        case .model: key = "COALESCE(e.model, '')"
        case .profile: key = "e.profile"
        case .day: key = "substr(e.time, 1, 10)"
        }
        let statement = try database.prepare(
            """
            SELECT \(key), COUNT(*), COUNT(e.cost_usd), TOTAL(e.cost_usd), TOTAL(e.prompt_tokens), TOTAL(e.completion_tokens)
            FROM exchanges e WHERE e.time >= ? GROUP BY 1 ORDER BY 4 DESC, 1 ASC
            """)
        try statement.bind([.text(since.map { Self.timestamp($0) } ?? "")])
        var totals: [CostTotal] = []
        while try statement.step() {
            totals.append(
                CostTotal(
                    key: statement.text(0), exchanges: Int(statement.int(1)), priced: Int(statement.int(2)), usd: statement.double(3),
                    promptTokens: Int(statement.double(4)), completionTokens: Int(statement.double(5))))
        }
        return totals
    }

    private static let columns = """
        e.id, e.conversation_id, e.time, e.profile, e.api, e.model, e.system, e.prompt, e.options, e.answer, e.saved_images,
        e.prompt_tokens, e.completion_tokens, e.total_tokens, e.finish_reason, e.duration_s, e.error, e.cached_tokens, e.cost_usd,
        e.cost_prices
        """

    private func select(
        where condition: String, _ values: [SQLiteStatement.Value], order: String, limit: Int?,
        withBytes: Bool
    ) throws(HistoryError) -> [HistoryExchange] {
        let statement = try database.prepare(
            "SELECT \(Self.columns) FROM exchanges e WHERE \(condition) ORDER BY \(order)"
                + (limit.map { " LIMIT \($0)" } ?? ""))
        try statement.bind(values)
        var exchanges: [HistoryExchange] = []
        while try statement.step() {
            var exchange = HistoryExchange(
                conversationID: Int(statement.int(1)), time: Self.date(statement.text(2)), profile: statement.text(3),
                api: statement.text(4), model: statement.optionalText(5), system: statement.optionalText(6),
                prompt: statement.text(7), options: statement.text(8), answer: statement.text(9),
                savedImages: Self.stringArray(statement.text(10)), promptTokens: statement.optionalInt(11),
                completionTokens: statement.optionalInt(12), totalTokens: statement.optionalInt(13),
                finishReason: statement.optionalText(14), duration: statement.double(15), error: statement.optionalText(16))
            exchange.id = Int(statement.int(0))
            exchange.cachedTokens = statement.optionalInt(17)
            exchange.costUSD = statement.optionalDouble(18)
            exchange.costPrices = statement.optionalText(19)
            exchanges.append(exchange)
        }
        guard !exchanges.isEmpty else { return [] }
        let images = try database.prepare(
            """
            SELECT l.source, l.sha256, l.url, i.mime, i.width, i.height, length(i.bytes)\(withBytes ? ", i.bytes" : "")
            FROM exchange_images l LEFT JOIN images i ON i.sha256 = l.sha256
            WHERE l.exchange_id = ? ORDER BY l.position
            """)
        for index in exchanges.indices {
            try images.bind([.int(Int64(exchanges[index].id))])
            while try images.step() {
                let source = images.text(0)
                if let sha256 = images.optionalText(1) {
                    exchanges[index].images.append(
                        HistoryImage(
                            source: source,
                            content: .inline(
                                sha256: sha256, mimeType: images.text(3), width: Int(images.int(4)), height: Int(images.int(5)),
                                byteCount: Int(images.int(6)), bytes: withBytes ? images.blob(7) : Data())))
                } else {
                    exchanges[index].images.append(HistoryImage(source: source, content: .url(images.text(2))))
                }
            }
        }
        return exchanges
    }

    // MARK: Encoding

    /// Each word of `text` as a quoted FTS5 phrase, so punctuation in what the user typed is never query syntax.
    static func ftsQuery(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).map { "\"" + $0.replacingScalars("\"", with: "\"\"") + "\"" }
            .joined(separator: " ")
    }

    private static func timestamp(_ date: Date) -> String { HistoryTimestamp.text(date) }

    private static func date(_ text: String) -> Date { HistoryTimestamp.date(text) ?? Date(timeIntervalSince1970: 0) }

    private static func jsonArray(_ strings: [String]) -> String {
        if strings.isEmpty { return "[]" }
        return String(decoding: JSONWriter.data(strings), as: UTF8.self)
    }

    private static func stringArray(_ text: String) -> [String] {
        (try? JSONReader.value(text)) as? [String] ?? []
    }
}

extension SQLiteStatement.Value {
    static func optionalText(_ text: String?) -> Self { text.map { .text($0) } ?? .null }
    static func optionalInt(_ number: Int?) -> Self { number.map { .int(Int64($0)) } ?? .null }
}

extension SQLiteStatement {
    /// The first column of the first row as text (`PRAGMA journal_mode`).
    func firstText() throws(HistoryError) -> String? {
        try step() ? text(0) : nil
    }
}

/// Creates an empty file (SQLite takes it as an empty database) readable by its owner only; another process
/// creating it first is fine. (At file scope: inside HistoryStore, `open` would name its own static method.)
private func createPrivateLogFile(_ path: String) throws(HistoryError) {
    let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
    if fd < 0 {
        if errno == EEXIST { return }
        throw HistoryError(code: 0, message: String(cString: strerror(errno)))
    }
    fchmod(fd, 0o600)  // the umask may have taken bits off; never more than the owner's
    close(fd)
}
