import XCTest

@testable import VisionQuery

/// Which shard a process is, the keys shards and resume use, and the lock on a batch's `--out` file.
final class ShardingTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("vq-shard-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    func resolve(_ shard: String? = nil, count: Int? = nil, variable: String? = nil, _ environment: [String: String] = [:]) throws -> Shard? {
        try ShardResolver.resolve(shard: shard.map { try Shard.parse($0) }, count: count, indexVariable: variable, environment: environment)
    }

    func assertUsageError(_ body: @autoclosure () throws -> Shard?, mentions words: [String], line: UInt = #line) {
        XCTAssertThrowsError(try body(), line: line) { error in
            let error = error as! VQError
            XCTAssertEqual(error.category, .usage, line: line)
            for word in words { XCTAssertTrue(error.message.contains(word), "\(error.message) lacks \(word)", line: line) }
        }
    }

    func testTheCountIsTheOneGivenAndTheIndexIsUsedAsItIs() throws {
        // A retry of task 5 alone (sbatch --array=5): Slurm says MIN=5, COUNT=1; the shard stays 5 of 8.
        let retry = ["SLURM_ARRAY_TASK_ID": "5", "SLURM_ARRAY_TASK_MIN": "5", "SLURM_ARRAY_TASK_MAX": "5", "SLURM_ARRAY_TASK_COUNT": "1"]
        XCTAssertEqual(try resolve(count: 8, retry), Shard(index: 5, count: 8))
        XCTAssertEqual(try resolve(count: 3, ["JOB_COMPLETION_INDEX": "2"]), Shard(index: 2, count: 3))
        XCTAssertEqual(try resolve(count: 4, variable: "SLURM_PROCID", ["SLURM_PROCID": "3", "SLURM_ARRAY_TASK_ID": "0"]), Shard(index: 3, count: 4))
        XCTAssertEqual(try resolve("1/4", ["SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_COUNT": "8"]), Shard(index: 1, count: 4))
        XCTAssertEqual(try resolve("1/4", count: 4), Shard(index: 1, count: 4))
    }

    func testNoShardOptionMeansNoShardWhateverTheEnvironment() throws {
        XCTAssertNil(try resolve(nil, ["SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_MIN": "0", "SLURM_ARRAY_TASK_COUNT": "4"]))
        XCTAssertNil(try resolve(nil, ["JOB_COMPLETION_INDEX": "1"]))
    }

    func testMissingBadAndConflictingShardSettingsAreUsageErrors() {
        assertUsageError(try resolve(count: 8), mentions: ["--shard-count 8", "SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX"])
        assertUsageError(try resolve(count: 8, ["JOB_COMPLETION_INDEX": "abc"]), mentions: ["JOB_COMPLETION_INDEX='abc'", "0 to 7"])
        assertUsageError(try resolve(count: 8, ["JOB_COMPLETION_INDEX": "-1"]), mentions: ["JOB_COMPLETION_INDEX='-1'"])
        assertUsageError(try resolve(count: 8, ["SLURM_ARRAY_TASK_ID": "8"]), mentions: ["SLURM_ARRAY_TASK_ID=8", "0-based", "--array=0-7"])
        assertUsageError(try resolve("1/4", count: 8), mentions: ["--shard 1/4", "--shard-count 8"])
        assertUsageError(try resolve("1/4", variable: "RANK", ["RANK": "1"]), mentions: ["--shard 1/4", "--shard-from-env RANK"])
        assertUsageError(try resolve(variable: "RANK", ["RANK": "1"]), mentions: ["--shard-from-env RANK", "--shard-count"])
        assertUsageError(try resolve(count: 2, variable: "RANK"), mentions: ["RANK is not set"])
        assertUsageError(
            try resolve(count: 4, ["SLURM_ARRAY_TASK_ID": "1", "JOB_COMPLETION_INDEX": "2"]),
            mentions: ["SLURM_ARRAY_TASK_ID=1", "JOB_COMPLETION_INDEX=2", "--shard-from-env"])
    }

    func testPathsAndURLsAreNormalised() {
        XCTAssertEqual(CanonicalInput.path("./a//b/../c.png", relativeTo: "/work/x/"), "/work/x/a/c.png")
        XCTAssertEqual(CanonicalInput.path("/data/./img.png", relativeTo: "/elsewhere"), "/data/img.png")
        XCTAssertEqual(CanonicalInput.path("../../../x.png", relativeTo: "/a"), "/x.png")
        XCTAssertEqual(CanonicalInput.url("HTTPS://Example.ORG:443/a.jpg?x=1#frag"), "https://example.org/a.jpg?x=1")
        XCTAssertEqual(CanonicalInput.url("http://example.org:8080"), "http://example.org:8080/")
        XCTAssertEqual(CanonicalInput.relative("./sub//a.png"), "sub/a.png")
    }

    func testFilesUnderADirectoryAreKeyedByTheirPathInsideItHoweverItIsWritten() throws {
        let photos = directory.appendingPathComponent("photos/sub")
        try FileManager.default.createDirectory(at: photos, withIntermediateDirectories: true)
        let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) + Data(count: 32)
        try png.write(to: photos.appendingPathComponent("a.png"))
        try png.write(to: directory.appendingPathComponent("photos/b.png"))
        let absolute = directory.path + "/photos"
        for spelling in [absolute, absolute + "/", directory.path + "/./photos//"] {
            XCTAssertEqual(try BatchInputs().expand([spelling]).map(\.key), ["b.png", "sub/a.png"], spelling)
        }
        let twice = try BatchInputs().expand([absolute, directory.path + "/./photos", absolute + "/b.png"])
        XCTAssertEqual(twice.map(\.path), [absolute + "/b.png", absolute + "/sub/a.png"], "one file spelt three ways is one image")
        XCTAssertEqual(BatchItem.named("https://EXAMPLE.org/x.png").key, "https://example.org/x.png")
    }

    func testTwoFilesWithOneKeyAreRefusedOnlyWhenShardingOrResuming() throws {
        let items = [
            BatchItem(path: "cats/1.jpg", key: "1.jpg", identity: "/w/cats/1.jpg"),
            BatchItem(path: "dogs/1.jpg", key: "1.jpg", identity: "/w/dogs/1.jpg"),
        ]
        var plain = BatchSelection(items)
        XCTAssertEqual(plain.images, ["cats/1.jpg", "dogs/1.jpg"])
        XCTAssertThrowsError(try plain.keep(Shard(index: 0, count: 2))) { error in
            XCTAssertTrue((error as! VQError).message.contains("cats/1.jpg and dogs/1.jpg have the same key '1.jpg'"), "\(error)")
        }
    }

    func testASecondLockOnTheOutputFileIsRefusedNamingTheFileAndTheHolder() throws {
        let path = directory.appendingPathComponent("out.jsonl").path
        var first: LockedOutputFile? = try LockedOutputFile.lock(path)
        XCTAssertThrowsError(try LockedOutputFile.lock(path)) { error in
            let error = error as! VQError
            XCTAssertEqual(error.category, .cannotCreate)
            XCTAssertTrue(error.message.hasPrefix(path + ": locked by process \(getpid())"), error.message)
        }
        try first!.replace(with: Data("new\n".utf8))
        XCTAssertThrowsError(try LockedOutputFile.lock(path), "the lock is held across the resume rewrite")
        XCTAssertTrue(FileDescriptorWriter.writeAll(first!.descriptor, Data("more\n".utf8)))
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "new\nmore\n")
        first = nil
        XCTAssertEqual(try LockedOutputFile.lock(path).contents(), Data("new\nmore\n".utf8))
    }

    func testLockHolderIsReadFromProcLocks() {
        let table = """
            1: POSIX  ADVISORY  WRITE 77 fe:00:16222990 0 EOF
            2: FLOCK  ADVISORY  WRITE 9567 fe:00:16222990 0 EOF
            2: -> FLOCK  ADVISORY  WRITE 9999 fe:00:16222990 0 EOF
            3: FLOCK  ADVISORY  WRITE 1234 08:01:16222990 0 EOF
            """
        XCTAssertEqual(FileLockHolder.pid(in: table, device: 0xfe00, inode: 16_222_990), 9567)
        XCTAssertEqual(FileLockHolder.pid(in: table, device: 0x0801, inode: 16_222_990), 1234)
        XCTAssertNil(FileLockHolder.pid(in: table, device: 0xfe00, inode: 1))
    }
}
