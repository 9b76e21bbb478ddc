import XCTest

@testable import History

/// The SQLite log on real database files: round trips, image dedup, full-text search, filters, migrations from
/// the first schema, and the files it must refuse (corrupt, newer than this vq).
final class HistoryStoreTests: XCTestCase {
    private var directory: URL!
    private var path: String { directory.appendingPathComponent("logs.db").path }

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("vq-history-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func exchange(
        _ prompt: String, answer: String, conversation: Int? = nil, model: String = "m1",
        images: [HistoryImage] = []
    ) -> HistoryExchange {
        HistoryExchange(
            conversationID: conversation, time: Date(timeIntervalSince1970: 1_800_000_000.25), profile: "stub", api: "openai",
            model: model, system: "Be brief", prompt: prompt, options: #"{"temperature":0.5}"#, images: images,
            answer: answer, savedImages: ["out/vq-1.png"], promptTokens: 12, completionTokens: 3, totalTokens: 15,
            finishReason: "stop", duration: 1.5, error: nil)
    }

    private func open() throws -> HistoryStore { try XCTUnwrap(HistoryStore.open(path: path)) }

    func testRecordsAndReadsBackAConversationWithItsImageBytes() throws {
        let store = try open()
        let bytes = Data((0..<300).map { UInt8($0 % 256) })
        let image = HistoryImage.inline(source: "cat.png", mimeType: "image/png", width: 10, height: 7, bytes: bytes)
        let remote = HistoryImage(source: "https://example.org/c.jpg", content: .url("https://example.org/c.jpg"))
        let first = try store.record(exchange("What is this?", answer: "A cat.", images: [image, remote]))
        let second = try store.record(exchange("Its colour?", answer: "Grey.", conversation: first.conversationID))
        XCTAssertEqual(second.conversationID, first.conversationID)
        XCTAssertNotEqual(second.id, first.id)

        let turns = try store.conversation(first.conversationID)
        XCTAssertEqual(turns.map(\.prompt), ["What is this?", "Its colour?"])
        XCTAssertEqual(turns[0].images, [image, remote], "bytes, hash, type and size come back as stored")
        XCTAssertEqual(turns[0].time, Date(timeIntervalSince1970: 1_800_000_000.25))
        XCTAssertEqual(turns[0].savedImages, ["out/vq-1.png"])
        XCTAssertEqual(turns[0].promptTokens, 12)
        XCTAssertEqual(turns[0].system, "Be brief")
        XCTAssertEqual(try store.latestConversationID(), first.conversationID)
        XCTAssertTrue(try store.conversationExists(first.conversationID))
        XCTAssertFalse(try store.conversationExists(first.conversationID + 1))

        let shown = try XCTUnwrap(try store.exchange(id: first.id))
        guard case .inline(let sha, _, 10, 7, 300, let loaded) = shown.images[0].content else { return XCTFail("\(shown.images)") }
        XCTAssertEqual(sha.count, 64)
        XCTAssertTrue(loaded.isEmpty, "a single exchange is shown with sizes, not bytes")
        XCTAssertNil(try store.exchange(id: 999))
    }

    func testTheSameImageIsStoredOnce() throws {
        let store = try open()
        let image = HistoryImage.inline(source: "a.png", mimeType: "image/png", width: 2, height: 2, bytes: Data([1, 2, 3, 4]))
        let moved = HistoryImage.inline(source: "moved/a.png", mimeType: "image/png", width: 2, height: 2, bytes: Data([1, 2, 3, 4]))
        try store.record(exchange("one", answer: "x", images: [image]))
        try store.record(exchange("two", answer: "y", images: [moved, image]))
        XCTAssertEqual(try store.database.scalar("SELECT count(*) FROM images"), 1)
        XCTAssertEqual(try store.database.scalar("SELECT count(*) FROM exchange_images"), 3)
        XCTAssertEqual(try store.exchanges(HistoryFilter(limit: 1)).first?.images.map(\.source), ["moved/a.png", "a.png"])
    }

    func testSearchAndFiltersShowTheNewestMatchesOldestFirst() throws {
        let store = try open()
        let first = try store.record(exchange("What colour is the car?", answer: "Red.", model: "m1"))
        try store.record(exchange("Describe the sky", answer: "Blue, with a red sunset.", model: "m2"))
        try store.record(exchange("Count the birds", answer: "Three.", conversation: first.conversationID, model: "m1"))

        XCTAssertEqual(
            try store.exchanges(HistoryFilter(limit: 10, search: "red")).map(\.prompt),
            ["What colour is the car?", "Describe the sky"], "prompts and answers are searched")
        XCTAssertEqual(
            try store.exchanges(HistoryFilter(limit: 10, search: "car? \"colour")).map(\.prompt), ["What colour is the car?"],
            "punctuation the user types is not FTS syntax")
        XCTAssertEqual(try store.exchanges(HistoryFilter(limit: 10, search: "red three")).count, 0, "every word must match")
        XCTAssertEqual(try store.exchanges(HistoryFilter(limit: 2)).map(\.prompt), ["Describe the sky", "Count the birds"])
        XCTAssertEqual(try store.exchanges(HistoryFilter(limit: 10, model: "m1")).map(\.prompt), ["What colour is the car?", "Count the birds"])
        XCTAssertEqual(
            try store.exchanges(HistoryFilter(limit: 10, conversationID: first.conversationID)).map(\.prompt),
            ["What colour is the car?", "Count the birds"])
    }

    func testADatabaseFromTheFirstSchemaIsMigratedAndItsRowsSearchable() throws {
        do {
            let old = try HistoryStore.open(path: path, schemaVersion: 1)
            XCTAssertEqual(try old.schemaVersion, 1)
            // Written as that vq wrote it: the columns of schema 1 only.
            try old.database.execute(
                """
                INSERT INTO conversations (id, started) VALUES (1, '2027-01-15T08:00:00.250Z');
                INSERT INTO exchanges (conversation_id, time, profile, api, model, prompt, options, answer, saved_images,
                    prompt_tokens, completion_tokens, duration_s)
                VALUES (1, '2027-01-15T08:00:00.250Z', 'stub', 'openai', 'm1', 'An old question about boats', '{}', 'Sails.', '[]',
                    12, 3, 1.5);
                """)
        }
        let store = try open()
        XCTAssertEqual(try store.schemaVersion, HistorySchema.latestVersion)
        XCTAssertEqual(try store.exchanges(HistoryFilter(limit: 5, search: "boats")).map(\.answer), ["Sails."])
        try store.record(exchange("A new one about trains", answer: "Rails."))
        XCTAssertEqual(try store.exchanges(HistoryFilter(limit: 5, search: "rails")).map(\.prompt), ["A new one about trains"])
        XCTAssertEqual(try store.exchanges(HistoryFilter(limit: 5)).count, 2)
        XCTAssertNil(try store.exchanges(HistoryFilter(limit: 5)).first?.costUSD, "an exchange logged before costs were kept costs unknown")
    }

    func testCostIsKeptAndTotalledByModelProfileAndDay() throws {
        let store = try open()
        var first = exchange("one", answer: "a", model: "m1")
        first.costUSD = 0.0015
        first.costPrices = "bundled 2026-12-06"
        first.cachedTokens = 8
        var second = exchange("two", answer: "b", model: "m1")
        second.costUSD = 0.0005
        second.time = Date(timeIntervalSince1970: 1_800_090_000)
        var unknown = exchange("three", answer: "c", model: "local")
        unknown.profile = "ollama"
        unknown.time = Date(timeIntervalSince1970: 1_800_090_000)
        for item in [first, second, unknown] { try store.record(item) }

        let read = try XCTUnwrap(store.exchanges(HistoryFilter(limit: 1, search: "one")).first)
        XCTAssertEqual(read.costUSD, 0.0015)
        XCTAssertEqual(read.costPrices, "bundled 2026-12-06")
        XCTAssertEqual(read.cachedTokens, 8)

        let byModel = try store.costTotals(since: nil, by: .model)
        XCTAssertEqual(byModel.map(\.key), ["m1", "local"])
        XCTAssertEqual(byModel[0].usd, 0.002, accuracy: 1e-12)
        XCTAssertEqual(byModel[0].priced, 2)
        XCTAssertEqual(byModel[0].promptTokens, 24)
        XCTAssertEqual(byModel[1].priced, 0, "unknown cost is not counted as free")
        XCTAssertEqual(byModel[1].exchanges, 1)
        XCTAssertEqual(try store.costTotals(since: nil, by: .profile).map(\.key), ["stub", "ollama"])
        let byDay = try store.costTotals(since: nil, by: .day)
        XCTAssertEqual(byDay.map(\.key), ["2027-01-15", "2027-01-16"])
        XCTAssertEqual(byDay.map(\.exchanges), [1, 2])
        let recent = try store.costTotals(since: Date(timeIntervalSince1970: 1_800_050_000), by: .model)
        XCTAssertEqual(recent.map(\.exchanges), [1, 1])
        XCTAssertEqual(recent[0].usd, 0.0005, accuracy: 1e-12)
    }

    func testACorruptFileIsAnErrorWithSQLitesReason() throws {
        try Data(repeating: 0x41, count: 8192).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try HistoryStore.open(path: path)) { error in
            XCTAssertEqual((error as? HistoryError)?.message, "file is not a database")
        }
    }

    func testADatabaseFromANewerVqIsRefusedNotRewritten() throws {
        do {
            let store = try open()
            try store.database.execute("PRAGMA user_version = 99")
        }
        XCTAssertThrowsError(try HistoryStore.open(path: path)) { error in
            XCTAssertEqual((error as? HistoryError)?.message, "its schema version 99 is newer than this vq knows (\(HistorySchema.latestVersion)); upgrade vq")
        }
    }

    func testTheLogAndItsWALFilesAreOwnerOnlyWhateverTheUmask() throws {
        let previous = umask(0)
        defer { umask(previous) }
        let store = try open()
        try store.record(exchange("Private prompt", answer: "Private answer"))
        for file in [path, path + "-wal", path + "-shm"] {
            let mode = (try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? NSNumber)?.intValue
            XCTAssertEqual(mode, 0o600, file)
        }
    }

    /// What a vq killed right after logging leaves (the commit in the WAL, no checkpoint at close): the files copied
    /// while the store is still open, as a crash would leave them, are read back whole by the next opener.
    func testAnExchangeLeftInTheWALByAKilledProcessIsReadBack() throws {
        let store = try open()
        try store.record(exchange("Before", answer: "Checkpointed"))
        try store.database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        let logged = try store.record(exchange("Killed right after this", answer: "Still logged"))
        let crashed = directory.appendingPathComponent("crashed.db").path
        try FileManager.default.copyItem(atPath: path, toPath: crashed)
        do {  // closed at the end of this scope, before the crashed files are copied again
            let mainFileOnly = try XCTUnwrap(HistoryStore.open(path: crashed, create: false))
            XCTAssertEqual(try mainFileOnly.exchanges(HistoryFilter(limit: 10)).map(\.prompt), ["Before"], "the commit is in the WAL only")
        }
        try FileManager.default.removeItem(atPath: crashed)
        try FileManager.default.copyItem(atPath: path, toPath: crashed)
        try FileManager.default.copyItem(atPath: path + "-wal", toPath: crashed + "-wal")
        let reopened = try XCTUnwrap(HistoryStore.open(path: crashed, create: false))
        XCTAssertEqual(try reopened.exchanges(HistoryFilter(limit: 10)).map(\.prompt), ["Before", "Killed right after this"])
        XCTAssertEqual(try reopened.exchange(id: logged.id)?.answer, "Still logged")
    }

    func testAPathThatIsNotARegularFileIsRefused() throws {
        for target in ["/dev/null", directory.path] {
            XCTAssertThrowsError(try HistoryStore.open(path: target), target) { error in
                XCTAssertEqual((error as? HistoryError)?.message, "not a regular file")
            }
        }
    }

    func testAMissingFileIsNotCreatedForReading() throws {
        XCTAssertNil(try HistoryStore.open(path: path, create: false))
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
        let nested = directory.appendingPathComponent("a/b/logs.db").path
        XCTAssertNotNil(try HistoryStore.open(path: nested))
        XCTAssertTrue(FileManager.default.fileExists(atPath: nested))
    }

    func testTimestampsRoundTripInUTC() throws {
        let date = Date(timeIntervalSince1970: 1_796_117_400.25)
        XCTAssertEqual(HistoryTimestamp.text(date), "2026-12-01T09:30:00.250Z")
        XCTAssertEqual(HistoryTimestamp.text(date, milliseconds: false), "2026-12-01T09:30:00Z")
        XCTAssertEqual(try XCTUnwrap(HistoryTimestamp.date("2026-12-01T09:30:00.250Z")).timeIntervalSince1970, 1_796_117_400.25, accuracy: 0.0005)
        XCTAssertEqual(HistoryTimestamp.date("2026-12-01T09:30:00Z")?.timeIntervalSince1970, 1_796_117_400)
        XCTAssertNil(HistoryTimestamp.date("yesterday"))
    }

    func testSHA256MatchesTheStandardVectors() {
        XCTAssertEqual(SHA256.hex(Data()), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hex(Data("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(
            SHA256.hex(Data("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        XCTAssertEqual(
            SHA256.hex(Data(repeating: 0x61, count: 1_000_000)),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}
