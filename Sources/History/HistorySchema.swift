/// The log's tables, as numbered migrations: a database records the last one applied in `PRAGMA user_version`,
/// and opening it applies the rest, so a database written by an older vq keeps working.
enum HistorySchema {
    /// Migration N (1-based) brings a database from version N-1 to N. Append only; never edit a released step.
    static let migrations: [String] = [
        // 1: exchanges grouped in conversations; image bytes stored once per SHA-256 (a rowid table, so that the
        // bytes are written in pieces through SQLite's blob I/O instead of copied whole).
        """
        CREATE TABLE conversations (
            id INTEGER PRIMARY KEY,
            started TEXT NOT NULL
        );
        CREATE TABLE exchanges (
            id INTEGER PRIMARY KEY,
            conversation_id INTEGER NOT NULL REFERENCES conversations(id),
            time TEXT NOT NULL,
            profile TEXT NOT NULL,
            api TEXT NOT NULL,
            model TEXT,
            system TEXT,
            prompt TEXT NOT NULL,
            options TEXT NOT NULL,
            answer TEXT NOT NULL,
            saved_images TEXT NOT NULL,
            prompt_tokens INTEGER,
            completion_tokens INTEGER,
            total_tokens INTEGER,
            finish_reason TEXT,
            duration_s REAL NOT NULL,
            error TEXT
        );
        CREATE INDEX exchanges_by_conversation ON exchanges(conversation_id, id);
        CREATE INDEX exchanges_by_model ON exchanges(model, id);
        CREATE TABLE images (
            id INTEGER PRIMARY KEY,
            sha256 TEXT NOT NULL UNIQUE,
            mime TEXT NOT NULL,
            width INTEGER NOT NULL,
            height INTEGER NOT NULL,
            bytes BLOB NOT NULL
        );
        CREATE TABLE exchange_images (
            exchange_id INTEGER NOT NULL REFERENCES exchanges(id),
            position INTEGER NOT NULL,
            source TEXT NOT NULL,
            sha256 TEXT REFERENCES images(sha256),
            url TEXT,
            PRIMARY KEY (exchange_id, position)
        ) WITHOUT ROWID;
        """,
        // 2: full-text search over prompts and answers (FTS5, kept in step by triggers; existing rows indexed).
        """
        CREATE VIRTUAL TABLE exchanges_fts USING fts5(prompt, answer, content='exchanges', content_rowid='id');
        CREATE TRIGGER exchanges_fts_insert AFTER INSERT ON exchanges BEGIN
            INSERT INTO exchanges_fts(rowid, prompt, answer) VALUES (new.id, new.prompt, new.answer);
        END;
        CREATE TRIGGER exchanges_fts_delete AFTER DELETE ON exchanges BEGIN
            INSERT INTO exchanges_fts(exchanges_fts, rowid, prompt, answer) VALUES ('delete', old.id, old.prompt, old.answer);
        END;
        CREATE TRIGGER exchanges_fts_update AFTER UPDATE ON exchanges BEGIN
            INSERT INTO exchanges_fts(exchanges_fts, rowid, prompt, answer) VALUES ('delete', old.id, old.prompt, old.answer);
            INSERT INTO exchanges_fts(rowid, prompt, answer) VALUES (new.id, new.prompt, new.answer);
        END;
        INSERT INTO exchanges_fts(exchanges_fts) VALUES ('rebuild');
        """,
        // 3: what each exchange cost: prompt tokens read from the service's cache, the cost in US dollars (NULL when
        // unknown, never 0 for unknown) and the prices it was counted with ("bundled 2026-12-06", "config PATH").
        """
        ALTER TABLE exchanges ADD COLUMN cached_tokens INTEGER;
        ALTER TABLE exchanges ADD COLUMN cost_usd REAL;
        ALTER TABLE exchanges ADD COLUMN cost_prices TEXT;
        CREATE INDEX exchanges_by_time ON exchanges(time);
        """,
    ]

    static var latestVersion: Int { migrations.count }

    /// Brings the database up to `latestVersion` (or `upTo`), each step in its own write transaction; a concurrent
    /// vq doing the same waits on the busy timeout and then finds nothing left to do.
    static func migrate(_ database: SQLiteDatabase, upTo target: Int = latestVersion) throws(HistoryError) {
        var version = Int(try database.scalar("PRAGMA user_version") ?? 0)
        if version > latestVersion {
            throw HistoryError(code: 0, message: "its schema version \(version) is newer than this vq knows (\(latestVersion)); upgrade vq")
        }
        while version < target {
            try database.writeTransaction { () throws(HistoryError) in
                version = Int(try database.scalar("PRAGMA user_version") ?? 0)
                guard version < target else { return }
                try database.execute(migrations[version])
                version += 1
                try database.execute("PRAGMA user_version = \(version)")
            }
        }
    }
}
