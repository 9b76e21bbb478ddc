import Transport
import XCTest

@testable import VisionQuery

/// The pieces of a batch that need no server: shards, the resume journal, sidecars, the throttle, JSON lines.
final class BatchPartsTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("vq-batch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    func testFNV1aMatchesTheReferenceValues() {
        XCTAssertEqual(Shard.fnv1a(""), 0xcbf2_9ce4_8422_2325)
        XCTAssertEqual(Shard.fnv1a("a"), 0xaf63_dc4c_8601_ec8c)
        XCTAssertEqual(Shard.fnv1a("foobar"), 0x8594_4171_f739_67e8)
    }

    func testShardsPartitionAnyList() {
        let paths = (0..<500).map { "photos/\($0).jpg" }
        let shards = (0..<7).map { Shard(index: $0, count: 7) }
        for path in paths { XCTAssertEqual(shards.filter { $0.contains(path) }.count, 1, path) }
        XCTAssertTrue(shards.allSatisfy { shard in paths.contains(where: shard.contains) })
    }

    func testJournalKeepsOneSuccessfulLinePerImageAndDropsATornEnd() throws {
        let path = directory.appendingPathComponent("out.jsonl").path
        var ok = BatchResult(image: "photos/a.png")
        ok.key = "a.png"
        ok.output = "fine"
        var failed = BatchResult(image: "photos/b.png")
        failed.key = "b.png"
        failed.error = VQError(.unavailable, "HTTP 503")
        var data = ok.jsonLine() + failed.jsonLine() + ok.jsonLine()
        data.append(Data(#"{"image":"photos/c.png","key":"c.png","output":"cut"#.utf8))
        try data.write(to: URL(fileURLWithPath: path))
        let a = BatchItem(path: "/elsewhere/a.png", key: "a.png", identity: "/elsewhere/a.png")
        let b = BatchItem(path: "photos/b.png", key: "b.png", identity: "/x/photos/b.png")
        let dryRun = try BatchJournal.answered(resuming: nil, at: path)
        XCTAssertTrue(dryRun.contains(a), "matched by key, wherever the file is now")
        XCTAssertFalse(dryRun.contains(b), "a failed line answers nothing")
        XCTAssertEqual(dryRun.count, 1)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), data, "a dry run must not change the file")
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: path)
        let file = try LockedOutputFile.lock(path)
        let answered = try BatchJournal.answered(resuming: file, at: path)
        XCTAssertTrue(answered.contains(a))
        XCTAssertEqual(answered.count, 1)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), ok.jsonLine())
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int, 0o640, "mode kept")
        XCTAssertEqual(try BatchJournal.answered(resuming: nil, at: directory.appendingPathComponent("none.jsonl").path).count, 0)
    }

    func testJournalMatchesLinesWithoutAKeyByTheIdentityOfTheirPath() throws {
        let path = directory.appendingPathComponent("old.jsonl").path
        var old = BatchResult(image: "./photos//a.png")
        old.output = "fine"
        try old.jsonLine().write(to: URL(fileURLWithPath: path))
        let answered = try BatchJournal.answered(resuming: nil, at: path)
        let cwd = FileManager.default.currentDirectoryPath
        XCTAssertTrue(answered.contains(BatchItem.named(cwd + "/photos/a.png")))
        XCTAssertFalse(answered.contains(BatchItem.named(cwd + "/photos/b.png")))
    }

    func testJSONLineFieldsInOrder() {
        var result = BatchResult(image: "dir/\"q\".png")
        result.output = "two\nlines"
        result.model = "m"
        result.usage = Usage(promptTokens: 3, completionTokens: 2, totalTokens: 5)
        result.attempts = 2
        result.key = "dir/q.png"
        result.profile = "scaleway"
        result.finishReason = "stop"
        XCTAssertEqual(
            String(decoding: result.jsonLine(), as: UTF8.self),
            #"{"image":"dir/\"q\".png","key":"dir/q.png","output":"two\nlines","profile":"scaleway","model":"m","finish_reason":"stop","usage":{"completion_tokens":2,"prompt_tokens":3,"total_tokens":5},"cost":null,"error":null,"saved_images":[],"attempts":2}"#
                + "\n")
    }

    func testSidecarsNeverClobberUnlessAsked() throws {
        let image = directory.appendingPathComponent("photo.jpg").path
        let writer = SidecarWriter(fileExtension: "txt", overwrite: false)
        XCTAssertEqual(writer.path(for: image), directory.appendingPathComponent("photo.txt").path)
        XCTAssertNil(writer.path(for: "https://example.org/a.jpg"))
        XCTAssertFalse(writer.isDone(image))
        XCTAssertEqual(try writer.write("first", for: image), directory.appendingPathComponent("photo.txt").path)
        XCTAssertTrue(writer.isDone(image))
        XCTAssertThrowsError(try writer.write("second", for: image))
        XCTAssertEqual(try String(contentsOfFile: writer.path(for: image)!, encoding: .utf8), "first\n")
        _ = try SidecarWriter(fileExtension: "txt", overwrite: true).write("third", for: image)
        XCTAssertEqual(try String(contentsOfFile: writer.path(for: image)!, encoding: .utf8), "third\n")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted(), ["photo.txt"])
    }

    func testThrottleHalvesConcurrencyOn429AndWinsItBack() {
        let throttle = RequestThrottle(perMinute: nil, maxConcurrent: 8)
        throttle.acquire()
        throttle.release(status: 429, retryAfter: 0)
        XCTAssertEqual(throttle.currentConcurrencyLimit, 4)
        throttle.acquire()
        throttle.release(status: 429, retryAfter: 0)
        XCTAssertEqual(throttle.currentConcurrencyLimit, 2)
        for _ in 0..<2 {
            throttle.acquire()
            throttle.release(status: 200, retryAfter: nil)
        }
        XCTAssertEqual(throttle.currentConcurrencyLimit, 3)
        for _ in 0..<100 {
            throttle.acquire()
            throttle.release(status: 200, retryAfter: nil)
        }
        XCTAssertEqual(throttle.currentConcurrencyLimit, 8)
        XCTAssertEqual(throttle.slowDowns, 2)
    }

    func testThrottleAbsorbs429sOnlyWhileTheBatchProgresses() {
        // A batch that has not made progress for the window (here: at once) hands 429s back to each request's retries.
        let stalled = RequestThrottle(perMinute: nil, maxConcurrent: 2, progressWindow: 0)
        XCTAssertFalse(stalled.absorbsRateLimits)
        stalled.acquire()
        stalled.release(status: 200, retryAfter: nil)
        XCTAssertFalse(stalled.absorbsRateLimits)
        // A young batch, and one that just succeeded, absorb them.
        let fresh = RequestThrottle(perMinute: nil, maxConcurrent: 2, progressWindow: 3600)
        XCTAssertTrue(fresh.absorbsRateLimits)
        fresh.acquire()
        fresh.release(status: 429, retryAfter: 0)
        XCTAssertTrue(fresh.absorbsRateLimits)
    }

    func testA429WithoutRetryAfterSetsTheRateTheServiceAllowed() throws {
        let throttle = RequestThrottle(perMinute: nil, maxConcurrent: 4)
        for _ in 0..<20 {
            throttle.acquire()
            throttle.release(status: 200, retryAfter: nil)
        }
        XCTAssertNil(throttle.currentRatePerMinute)
        // Told when to come back: the pause says it all, no rate is set.
        throttle.acquire()
        throttle.release(status: 429, retryAfter: 0)
        XCTAssertNil(throttle.currentRatePerMinute)
        // Not told: the last minute's 20 successes are the rate to keep.
        throttle.acquire()
        throttle.release(status: 429, retryAfter: nil)
        XCTAssertEqual(try XCTUnwrap(throttle.currentRatePerMinute), 20, accuracy: 0.001)
        throttle.acquire()
        throttle.release(status: 200, retryAfter: nil)
        XCTAssertEqual(try XCTUnwrap(throttle.currentRatePerMinute), 20.6, accuracy: 0.001)
    }
}
