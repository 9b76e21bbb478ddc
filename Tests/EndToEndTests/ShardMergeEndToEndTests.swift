import TestSupport
import XCTest

/// `vq batch merge`: sharded outputs prove they are complete (every shard K/N of one N, finished, from the same input
/// listing) before they are joined, and `--inputs-from` lets each shard read a list made once instead of the files.
final class ShardMergeEndToEndTests: EndToEndCase {
    /// Runs the task of a `--shard-count` array with index `task` (as Slurm sets it), writing `captions-TASK.jsonl`.
    func task(_ task: Int, of count: Int, server: BatchStubServer, extra: [String] = ["photos"]) throws -> VQProcess.Result {
        try batch(
            ["--shard-count", "\(count)", "--out", "captions-\(task).jsonl", "--resume", "Caption"] + extra, server: server,
            env: ["SLURM_ARRAY_TASK_ID": "\(task)"])
    }

    func merge(_ files: [String]) throws -> VQProcess.Result { try vq(["batch", "merge"] + files, baseURL: "http://127.0.0.1:9/v1") }

    func shardFiles(_ count: Int) -> [String] { (0..<count).map { "captions-\($0).jsonl" } }

    /// (key, output, error) of each line, sorted: what two runs must agree on.
    func answers(_ text: String) -> [String] {
        records(text).map { "\($0["key"] as? String ?? "?") \($0["output"] as? String ?? "null") \($0["error"] is NSNull)" }.sorted()
    }

    func testAnArraySmallerThanTheShardCountIsCaughtByTheMerge() throws {
        let expected = try images(20)
        let server = try BatchStubServer()
        // `sbatch --array=0-3` with `--shard-count 8`: every task succeeds, half the shards never run.
        for index in 0..<4 { XCTAssertEqual(try task(index, of: 8, server: server).status, 0) }
        let present = shardFiles(4).filter { FileManager.default.fileExists(atPath: directory.appendingPathComponent($0).path) }
        let refused = try merge(present)
        XCTAssertEqual(refused.status, 66, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("incomplete: 4 of 8 shards missing (4/8, 5/8, 6/8, 7/8)"), refused.stderr)
        XCTAssertEqual(refused.stdout, "", "a refused merge wrote lines")
        for index in 4..<8 { XCTAssertEqual(try task(index, of: 8, server: server).status, 0) }
        let merged = try merge(shardFiles(8))
        XCTAssertEqual(merged.status, 0, merged.stderr)
        assertExactlyOnce(records(merged.stdout), expected)
        XCTAssertEqual(server.answeredCount, 20)
    }

    func testAMergeOfCompleteShardsEqualsASingleRun() throws {
        try images(16)
        let server = try BatchStubServer()
        XCTAssertEqual(try batch(["--out", "single.jsonl", "Caption", "photos"], server: server).status, 0)
        for index in 0..<3 { XCTAssertEqual(try task(index, of: 3, server: server).status, 0) }
        let merged = try merge(shardFiles(3).reversed())
        XCTAssertEqual(merged.status, 0, merged.stderr)
        XCTAssertEqual(answers(merged.stdout), answers(try readOut("single.jsonl")))
        XCTAssertTrue(merged.stderr.contains("merged 3 complete shard(s), 16 image(s)"), merged.stderr)
    }

    func testAShardKilledMidRunIsNamedUntilItsResumeFinishes() throws {
        let expected = try images(12)
        let server = try BatchStubServer()
        XCTAssertEqual(try task(0, of: 2, server: server).status, 0)
        server.hold(after: server.answeredCount + 2)
        let killed = try startBatch(
            ["--jobs", "1", "--shard", "1/2", "--out", "captions-1.jsonl", "Caption", "photos"], server: server)
        XCTAssertTrue(server.waitForAnswers(server.answeredCount + 2))
        kill(killed.processIdentifier, SIGKILL)
        killed.waitUntilExit()
        server.release()
        let refused = try merge(shardFiles(2))
        XCTAssertEqual(refused.status, 66, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("1 not finished: captions-1.jsonl (1/2)"), refused.stderr)
        XCTAssertEqual(refused.stdout, "")
        XCTAssertEqual(try task(1, of: 2, server: server).status, 0)
        let merged = try merge(shardFiles(2))
        XCTAssertEqual(merged.status, 0, merged.stderr)
        assertExactlyOnce(records(merged.stdout), expected)
    }

    func testShardsOfDifferentListingsCountsOrChangedFilesAreRefused() throws {
        try images(10)
        let server = try BatchStubServer()
        XCTAssertEqual(try task(0, of: 2, server: server).status, 0)
        _ = try png("photos/late.png", width: 40, height: 4)  // added before the second task listed the directory
        XCTAssertEqual(try task(1, of: 2, server: server).status, 0)
        let listings = try merge(shardFiles(2))
        XCTAssertEqual(listings.status, 65, listings.stderr)
        XCTAssertTrue(listings.stderr.contains("were cut from different input listings (10 and 11 inputs"), listings.stderr)

        XCTAssertEqual(try task(0, of: 3, server: server, extra: ["photos"]).status, 0)
        let counts = try merge(["captions-0.jsonl", "captions-1.jsonl"])
        XCTAssertEqual(counts.status, 65, counts.stderr)
        XCTAssertTrue(counts.stderr.contains("different shard counts"), counts.stderr)

        let twice = try merge(["captions-1.jsonl", "captions-1.jsonl"])
        XCTAssertEqual(twice.status, 65, twice.stderr)
        XCTAssertTrue(twice.stderr.contains("are both shard 1/2"), twice.stderr)

        let out = try FileHandle(forWritingTo: directory.appendingPathComponent("captions-1.jsonl"))
        try out.seekToEnd()
        try out.write(contentsOf: Data(#"{"image":"x.png","key":"x.png","output":"x","error":null}"#.utf8 + [0x0A]))
        try out.close()
        XCTAssertEqual(try task(0, of: 2, server: server).status, 0)  // shard 0 again, with the new listing
        let changed = try merge(shardFiles(2))
        XCTAssertEqual(changed.status, 65, changed.stderr)
        XCTAssertTrue(changed.stderr.contains("captions-1.jsonl changed after shard 1/2 finished"), changed.stderr)

        let plain = try batch(["--out", "plain.jsonl", "Caption", "photos"], server: server)
        XCTAssertEqual(plain.status, 0)
        let unsharded = try merge(["plain.jsonl"])
        XCTAssertEqual(unsharded.status, 66, unsharded.stderr)
        XCTAssertTrue(unsharded.stderr.contains("plain.jsonl: no shard record"), unsharded.stderr)
        XCTAssertEqual(try merge(["nothing.jsonl"]).status, 66)
    }

    func testFailedLinesAreMergedAndReportedWithExitOne() throws {
        try images(6)
        let failing = try BatchStubServer(failingStatus: 400)
        let server = try BatchStubServer()
        XCTAssertEqual(try task(0, of: 2, server: server).status, 0)
        XCTAssertEqual(try batch(["--shard", "1/2", "--retries", "0", "--out", "captions-1.jsonl", "Caption", "photos"], server: failing).status, 1)
        let merged = try merge(shardFiles(2))
        XCTAssertEqual(merged.status, 1, merged.stderr)
        XCTAssertEqual(records(merged.stdout).count, 6)
        XCTAssertTrue(merged.stderr.contains("all 2 shards are complete, but"), merged.stderr)
        XCTAssertTrue(merged.stderr.contains("captions-1.jsonl ("), merged.stderr)
    }

    func testInputsFromAListSelectsEachShardsLinesWithoutOpeningTheOthers() throws {
        let expected = try images(12)
        // Paths that do not exist: an image argument that does not exist stops a batch (66) before anything is sent,
        // but a listed one only fails its own line, in its own shard; the other shards never look at it.
        let missing = (0..<12).map { "\(directory.path)/gone/img-\($0).png" }
        let listed = expected.keys.sorted().map { directory.path + "/" + $0 } + missing
        try (listed.joined(separator: "\n") + "\n").write(to: directory.appendingPathComponent("images.txt"), atomically: true, encoding: .utf8)
        let server = try BatchStubServer()
        var failedLines = 0
        for index in 0..<3 {
            let result = try task(index, of: 3, server: server, extra: ["--inputs-from", "images.txt"])
            XCTAssertTrue([0, 1].contains(result.status), result.stderr)
            XCTAssertTrue(result.stderr.contains("in other shards (this is \(index)/3)"), result.stderr)
            failedLines += records(try readOut("captions-\(index).jsonl")).filter { !($0["error"] is NSNull) }.count
        }
        XCTAssertEqual(failedLines, 12, "each missing file failed once, in its own shard")
        XCTAssertEqual(server.answeredCount, 12)
        let merged = try merge(shardFiles(3))
        XCTAssertEqual(merged.status, 1, merged.stderr)
        let lines = records(merged.stdout)
        XCTAssertEqual(Set(lines.map { $0["image"] as! String }), Set(listed))
        XCTAssertEqual(lines.count, 24)

        let both = try batch(["--inputs-from", "images.txt", "Caption", "photos"], server: server)
        XCTAssertEqual(both.status, 64, both.stderr)
        XCTAssertTrue(both.stderr.contains("'--inputs-from' lists the images"), both.stderr)
        let absent = try batch(["--inputs-from", "nowhere.txt", "Caption"], server: server)
        XCTAssertEqual(absent.status, 66, absent.stderr)
        XCTAssertTrue(absent.stderr.contains("nowhere.txt: no such file (given to --inputs-from)"), absent.stderr)
    }
}
