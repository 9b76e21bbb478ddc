import TestSupport
import XCTest

/// `vq batch` shards and `--out` files as schedulers and retries use them: the count stated once, the index from
/// each environment convention, canonical keys, one writer per output file.
final class ShardEndToEndTests: EndToEndCase {
    func imagesOf(_ result: VQProcess.Result) -> Set<String> { Set(records(result.stdout).map { $0["image"] as! String }) }

    func testEachEnvironmentConventionGivesTheShardOfTheStatedCount() throws {
        let expected = try images(12)
        let server = try BatchStubServer()
        var union: [String] = []
        for index in 0..<3 {
            let given = try batch(["--shard", "\(index)/3", "Describe", "photos"], server: server)
            XCTAssertEqual(given.status, 0, given.stderr)
            union += records(given.stdout).map { $0["image"] as! String }
            // What Slurm sets for the task of `--array=0-2` and for the same task re-submitted alone (`--array=N`).
            let conventions: [(arguments: [String], env: [String: String])] = [
                (
                    ["--shard-count", "3"],
                    ["SLURM_ARRAY_TASK_ID": "\(index)", "SLURM_ARRAY_TASK_MIN": "0", "SLURM_ARRAY_TASK_MAX": "2", "SLURM_ARRAY_TASK_COUNT": "3"]
                ),
                (
                    ["--shard-count", "3"],
                    ["SLURM_ARRAY_TASK_ID": "\(index)", "SLURM_ARRAY_TASK_MIN": "\(index)", "SLURM_ARRAY_TASK_MAX": "\(index)", "SLURM_ARRAY_TASK_COUNT": "1"]
                ),
                (["--shard-count", "3"], ["JOB_COMPLETION_INDEX": "\(index)"]),
                (["--shard-count", "3", "--shard-from-env", "SLURM_PROCID"], ["SLURM_PROCID": "\(index)", "SLURM_ARRAY_TASK_ID": "7"]),
            ]
            for convention in conventions {
                let result = try batch(convention.arguments + ["Describe", "photos"], server: server, env: convention.env)
                XCTAssertEqual(result.status, 0, result.stderr)
                XCTAssertEqual(imagesOf(result), imagesOf(given), "\(convention)")
                XCTAssertTrue(result.stderr.contains("in other shards (this is \(index)/3)"), result.stderr)
            }
        }
        XCTAssertEqual(union.sorted(), expected.keys.sorted(), "the shards overlap or leave images out")
    }

    func testASlurmArrayWithoutAShardOptionDoesEveryImage() throws {
        let expected = try images(6)
        let server = try BatchStubServer()
        let result = try batch(
            ["Describe", "photos"], server: server,
            env: ["SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_MIN": "0", "SLURM_ARRAY_TASK_COUNT": "4", "JOB_COMPLETION_INDEX": "1"])
        XCTAssertEqual(result.status, 0, result.stderr)
        assertExactlyOnce(records(result.stdout), expected)
        XCTAssertFalse(result.stderr.contains("shard"), result.stderr)
    }

    func testMissingBadOrConflictingShardSettingsStopBeforeAnythingIsSent() throws {
        try images(2)
        let server = try BatchStubServer()
        let cases: [([String], [String: String], String)] = [
            (["--shard-count", "8"], [:], "'--shard-count 8' needs this task's index, but neither SLURM_ARRAY_TASK_ID nor JOB_COMPLETION_INDEX is set"),
            (["--shard-count", "8"], ["JOB_COMPLETION_INDEX": "abc"], "JOB_COMPLETION_INDEX='abc' is not a shard index"),
            (["--shard-count", "8"], ["SLURM_ARRAY_TASK_ID": "8", "SLURM_ARRAY_TASK_MIN": "1"], "SLURM_ARRAY_TASK_ID=8 is not below '--shard-count 8'"),
            (["--shard", "1/4", "--shard-count", "8"], [:], "'--shard 1/4' and '--shard-count 8' disagree"),
            (["--shard-from-env", "RANK"], ["RANK": "0"], "'--shard-from-env RANK' needs '--shard-count N'"),
        ]
        for (arguments, env, message) in cases {
            let result = try batch(arguments + ["--out", "out.jsonl", "Describe", "photos"], server: server, env: env)
            XCTAssertEqual(result.status, 64, "\(arguments) \(env): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains(message), "\(arguments) \(env): \(result.stderr)")
            XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)
        }
        XCTAssertEqual(server.requests.count, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("out.jsonl").path))
    }

    func testADirectoryWrittenThreeWaysIsShardedAndResumedAsOne() throws {
        let expected = try images(16)
        let server = try BatchStubServer()
        let first = try batch(["--shard", "0/2", "--out", "half-0.jsonl", "Describe", "photos"], server: server)
        let second = try batch(["--shard", "1/2", "--out", "half-1.jsonl", "Describe", "./photos/"], server: server)
        XCTAssertEqual([first.status, second.status], [0, 0], first.stderr + second.stderr)
        let halves = [try records(readOut("half-0.jsonl")), try records(readOut("half-1.jsonl"))]
        XCTAssertFalse(halves[0].isEmpty || halves[1].isEmpty)
        assertExactlyOnce(halves[0] + halves[1], expected)
        XCTAssertEqual(server.answeredCount, 16)

        let absolute = directory.appendingPathComponent("photos").path
        let resumed = try batch(["--shard", "0/2", "--out", "half-0.jsonl", "--resume", "Describe", absolute], server: server)
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stderr.contains("\(halves[0].count) already answered in half-0.jsonl"), resumed.stderr)
        XCTAssertEqual(server.answeredCount, 16, "resuming with an absolute path redid images")
        // Files named one by one (as a list on stdin) key on their absolute path, however it is written.
        let list = Data(expected.keys.sorted().map { "./" + $0 }.joined(separator: "\n").utf8)
        XCTAssertEqual(try batch(["--out", "listed.jsonl", "Describe", "-"], server: server, stdin: list).status, 0)
        let again = try batch(["--out", "listed.jsonl", "--resume", "Describe"] + expected.keys.sorted().map { directory.path + "//" + $0 }, server: server)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stderr.contains("16 already answered"), again.stderr)
        XCTAssertEqual(server.answeredCount, 32)
    }

    func testASecondVqOnTheSameOutFileIsRefusedAndNothingIsLost() throws {
        let expected = try images(6)
        let server = try BatchStubServer()
        server.hold(after: 2)
        let first = try startBatch(["--jobs", "1", "--out", "out.jsonl", "Describe", "photos"], server: server)
        defer { if first.isRunning { kill(first.processIdentifier, SIGKILL) } }
        XCTAssertTrue(server.waitForAnswers(2), "the first vq never got going")
        for extra in [[], ["--resume"], ["--shard", "0/2"]] {
            let second = try batch(["--out", "out.jsonl"] + extra + ["Describe", "photos"], server: server)
            XCTAssertEqual(second.status, 73, "\(extra): \(second.stderr)")
            XCTAssertTrue(second.stderr.contains("out.jsonl: locked by process \(first.processIdentifier)"), second.stderr)
        }
        let requestsSoFar = server.requests.count
        server.release()
        first.waitUntilExit()
        XCTAssertEqual(first.terminationStatus, 0)
        XCTAssertEqual(server.requests.count, 6, "the refused runs sent nothing (\(requestsSoFar) before the release)")
        assertExactlyOnce(records(try readOut("out.jsonl")), expected)
    }

    func testResumeAfterSIGKILLRewritesTheFileWithoutLettingGoOfTheLock() throws {
        let expected = try images(10)
        let server = try BatchStubServer()
        server.hold(after: 3)
        let killed = try startBatch(["--jobs", "1", "--out", "out.jsonl", "Describe", "photos"], server: server)
        XCTAssertTrue(server.waitForAnswers(3))
        kill(killed.processIdentifier, SIGKILL)
        killed.waitUntilExit()
        let kept = records(try readOut("out.jsonl")).count  // 2 or 3: the third answer may not have been written
        // A line torn by the kill, so the resume must rewrite the file (rename a new one over it).
        let out = try FileHandle(forWritingTo: directory.appendingPathComponent("out.jsonl"))
        try out.seekToEnd()
        try out.write(contentsOf: Data(#"{"image":"photos/img-09.png","key":"img-09.png","output":"Saw"#.utf8))
        try out.close()
        defer { server.release() }  // the killed vq's request, still held
        let second = try BatchStubServer()
        second.hold(after: 2)
        let resumed = try startBatch(["--jobs", "1", "--out", "out.jsonl", "--resume", "Describe", "photos"], server: second)
        defer { if resumed.isRunning { kill(resumed.processIdentifier, SIGKILL) } }
        XCTAssertTrue(second.waitForAnswers(2), "the resumed vq never got going")
        let intruder = try batch(["--out", "out.jsonl", "--resume", "Describe", "photos"], server: second)
        XCTAssertEqual(intruder.status, 73, intruder.stderr)
        XCTAssertTrue(intruder.stderr.contains("locked by process \(resumed.processIdentifier)"), intruder.stderr)
        second.release()
        resumed.waitUntilExit()
        XCTAssertEqual(second.answeredCount, 10 - kept, "the resumed run did only the images not answered before the kill")
        XCTAssertEqual(resumed.terminationStatus, 0)
        assertExactlyOnce(records(try readOut("out.jsonl")), expected)
    }
}
