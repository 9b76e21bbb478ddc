import Imaging
import TestSupport
import XCTest

/// `vq batch` as a user meets it: concurrency, complete output, bad images, sidecars, shards, resume, 429 storms.
final class BatchEndToEndTests: EndToEndCase {
    func testJobsRunConcurrentlyAndEveryImageIsAnsweredOnce() throws {
        let expected = try images(8)
        try Data("not an image".utf8).write(to: directory.appendingPathComponent("photos/notes.txt"))
        let server = try BatchStubServer(waitForOverlap: 4)
        let result = try batch(["--jobs", "4", "Describe", "photos"], server: server)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(server.maxInFlight, 4, "4 requests should have been in flight at once")
        let lines = records(result.stdout)
        XCTAssertEqual(lines.count, 8, result.stdout)
        var seen: [String: String] = [:]
        for line in lines {
            let image = line["image"] as! String
            XCTAssertNil(seen[image], "\(image) answered twice")
            seen[image] = line["output"] as? String
            XCTAssertTrue(line["error"] is NSNull, "\(line)")
            XCTAssertEqual(line["model"] as? String, "batch-model")
            XCTAssertEqual(line["attempts"] as? Int, 1)
            XCTAssertEqual((line["usage"] as? [String: Any])?["prompt_tokens"] as? Int, 10)
            XCTAssertEqual((line["saved_images"] as? [Any])?.count, 0)
        }
        XCTAssertEqual(seen, expected)
        XCTAssertTrue(result.stderr.contains("batch: 8 succeeded, 0 failed"), result.stderr)
    }

    func testBadImagesAreReportedPerLineWhileTheBatchGoesOn() throws {
        try images(3)
        let good = try png("whole.png", width: 4, height: 4)
        try good.prefix(40).write(to: directory.appendingPathComponent("truncated.png"))
        try Data("plain text".utf8).write(to: directory.appendingPathComponent("notes.txt"))
        // Named like an image but not one: listed with its error, not skipped silently. A .txt beside it is not an image.
        try Data("plain text".utf8).write(to: directory.appendingPathComponent("photos/fake.jpg"))
        try Data("plain text".utf8).write(to: directory.appendingPathComponent("photos/img-00.txt"))
        let server = try BatchStubServer()
        let result = try batch(["Describe", "photos", "truncated.png", "notes.txt"], server: server)
        XCTAssertEqual(result.status, 1, result.stderr)
        let lines = records(result.stdout)
        XCTAssertEqual(lines.count, 6, result.stdout)
        let failures = Dictionary(
            uniqueKeysWithValues: lines.compactMap { line in
                (line["error"] as? String).map { (line["image"] as! String, $0) }
            })
        XCTAssertEqual(Set(failures.keys), ["truncated.png", "notes.txt", "photos/fake.jpg"])
        XCTAssertTrue(failures["truncated.png"]!.contains("truncated"), failures["truncated.png"]!)
        XCTAssertTrue(failures["photos/fake.jpg"]!.contains("not an image"), failures["photos/fake.jpg"]!)
        XCTAssertEqual(server.answeredCount, 3)
        XCTAssertTrue(result.stderr.contains("batch: 3 succeeded, 3 failed"), result.stderr)

        let dryRun = try batch(["--dry-run", "Describe", "photos"], server: server)
        XCTAssertTrue(dryRun.stderr.contains("photos/fake.jpg"), dryRun.stderr)
        XCTAssertEqual(server.answeredCount, 3, "a dry run sends nothing")
    }

    func testMissingInputPathIsASetupErrorBeforeAnythingIsSent() throws {
        try images(2)
        let server = try BatchStubServer()
        let result = try batch(["Describe", "photos", "nosuchdir"], server: server)
        XCTAssertEqual(result.status, 66, result.stderr)
        XCTAssertEqual(result.stderr, "vq: error: nosuchdir: no such file or directory\n")
        XCTAssertEqual(result.stdout, "")
        XCTAssertEqual(server.answeredCount, 0)
    }

    func testStdinListNulSeparatedAndGlob() throws {
        let expected = try images(4)
        try jpeg("photos/extra.jpg")
        let server = try BatchStubServer()
        let list = Data(expected.keys.sorted().prefix(2).joined(separator: "\0").utf8)
        let fromStdin = try batch(["-0", "Describe", "-"], server: server, stdin: list)
        XCTAssertEqual(fromStdin.status, 0, fromStdin.stderr)
        XCTAssertEqual(Set(records(fromStdin.stdout).map { $0["image"] as! String }), Set(expected.keys.sorted().prefix(2)))
        let globbed = try batch(["--glob", "*.jpg", "Describe", "photos"], server: server)
        XCTAssertEqual(globbed.status, 0, globbed.stderr)
        XCTAssertEqual(records(globbed.stdout).map { $0["image"] as! String }, ["photos/extra.jpg"])
    }

    func testSidecarsAreWrittenBesideImagesAndExistingOnesSkipped() throws {
        let expected = try images(4)
        let kept = directory.appendingPathComponent("photos/img-00.txt")
        try "written by hand\n".write(to: kept, atomically: true, encoding: .utf8)
        let server = try BatchStubServer()
        let result = try batch(["--sidecar", "txt", "Describe", "photos"], server: server)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "")
        XCTAssertEqual(server.answeredCount, 3)
        XCTAssertEqual(try String(contentsOf: kept, encoding: .utf8), "written by hand\n")
        for (image, answer) in expected where image != "photos/img-00.png" {
            let sidecar = directory.appendingPathComponent(image.replacingOccurrences(of: ".png", with: ".txt"))
            XCTAssertEqual(try String(contentsOf: sidecar, encoding: .utf8), answer + "\n")
        }
        XCTAssertTrue(result.stderr.contains("1 with a .txt sidecar already"), result.stderr)
        let again = try batch(["--sidecar", "txt", "--overwrite", "Describe", "photos"], server: server)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(try String(contentsOf: kept, encoding: .utf8), expected["photos/img-00.png"]! + "\n")
        XCTAssertTrue(try files(in: "photos", prefix: ".vq-").isEmpty, "temporary files left behind")
    }

    func testShardsPartitionTheInputsExactly() throws {
        let expected = try images(20)
        let server = try BatchStubServer()
        var union: [String] = []
        for index in 0..<3 {
            let result = try batch(["--shard", "\(index)/3", "Describe", "photos"], server: server)
            XCTAssertEqual(result.status, 0, result.stderr)
            let shard = records(result.stdout).map { $0["image"] as! String }
            XCTAssertFalse(shard.isEmpty, "shard \(index) is empty")
            union += shard
            let fromEnvironment = try batch(
                ["--shard-count", "3", "Describe", "photos"], server: server,
                env: ["JOB_COMPLETION_INDEX": "\(index)"])
            XCTAssertEqual(Set(records(fromEnvironment.stdout).map { $0["image"] as! String }), Set(shard))
        }
        XCTAssertEqual(union.count, 20, "shards overlap")
        XCTAssertEqual(Set(union), Set(expected.keys))
    }

    func testResumeAfterSIGKILLAnswersEveryImageExactlyOnce() throws {
        let expected = try images(24)
        let server = try BatchStubServer()
        let before = Int.random(in: 3...12)
        server.hold(after: before)
        let config = try writeConfig(baseURL: server.baseURL)
        let env = ["VQ_CONFIG": config, "STUB_KEY": Self.key]
        let out = directory.appendingPathComponent("out.jsonl")
        let process = try VQProcess.start(
            ["batch", "--jobs", "3", "--out", "out.jsonl", "Describe", "photos"],
            environment: env, directory: directory)
        XCTAssertTrue(server.waitForAnswers(before), "the first answers never went out")
        // Killed at whatever point vq has reached with those answers: some lines written, maybe one in flight.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        server.release()
        let killed = ((try? String(contentsOf: out, encoding: .utf8)) ?? "").split(separator: "\n").count
        XCTAssertLessThanOrEqual(killed, before, "only \(before) answers were given before the kill")

        let resumed = try batch(["--jobs", "3", "--out", "out.jsonl", "--resume", "Describe", "photos"], server: server)
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertEqual(resumed.stdout, "")
        XCTAssertTrue(resumed.stderr.contains("\(killed) already answered"), resumed.stderr)
        let lines = records(try readOut("out.jsonl"))
        XCTAssertEqual(lines.count, 24)
        XCTAssertEqual(Dictionary(uniqueKeysWithValues: lines.map { ($0["image"] as! String, $0["output"] as! String) }), expected)
    }

    func testResumeDropsATornLineAndRetriesFailedImages() throws {
        let expected = try images(4)
        let out = """
            {"image":"photos/img-00.png","output":"Saw png 5x4","model":"m","usage":null,"error":null,"attempts":1,"saved_images":[]}
            {"image":"photos/img-01.png","output":null,"model":null,"usage":null,"error":"HTTP 503","attempts":3,"saved_images":[]}
            {"image":"photos/img-02.png","output":"Saw pn
            """
        try out.write(to: directory.appendingPathComponent("out.jsonl"), atomically: true, encoding: .utf8)
        let server = try BatchStubServer()
        let result = try batch(["--out", "out.jsonl", "--resume", "Describe", "photos"], server: server)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(server.answeredCount, 3)
        let lines = records(try readOut("out.jsonl"))
        XCTAssertEqual(lines.count, 4)
        XCTAssertEqual(Dictionary(uniqueKeysWithValues: lines.map { ($0["image"] as! String, $0["output"] as! String) }), expected)
        XCTAssertTrue(lines.allSatisfy { $0["error"] is NSNull })
    }

    func testA429StormSlowsTheBatchAndEveryImageIsAnswered() throws {
        let expected = try images(8)
        let server = try BatchStubServer(rateLimited: 10)
        let result = try batch(["--jobs", "4", "--retries", "8", "-v", "Describe", "photos"], server: server)
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = records(result.stdout)
        XCTAssertEqual(Dictionary(uniqueKeysWithValues: lines.map { ($0["image"] as! String, $0["output"] as! String) }), expected)
        XCTAssertEqual(lines.map { $0["attempts"] as! Int }.reduce(0, +), 8 + 10)
        XCTAssertTrue(result.stderr.contains("HTTP 429: the batch slows down"), result.stderr)
        XCTAssertTrue(result.stderr.contains("rate-limit slow-down"), result.stderr)
    }

    func testAPerWindowLimitCostsTimeNotImages() throws {
        // A service allowing 4 requests per 0.3 s against 8 senders: without retries of its own, every image must be
        // answered, because 429s the batch absorbs while it makes progress do not use up an image's retries.
        let expected = try images(12)
        let server = try BatchStubServer(limit: (count: 4, seconds: 0.3))
        let result = try batch(["--jobs", "8", "--retries", "0", "Describe", "photos"], server: server)
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = records(result.stdout)
        XCTAssertEqual(Dictionary(uniqueKeysWithValues: lines.map { ($0["image"] as! String, $0["output"] as! String) }), expected)
        XCTAssertGreaterThan(server.limitRefusals, 0, "the limit was never reached; the test proves nothing")
        XCTAssertEqual(lines.map { $0["attempts"] as! Int }.reduce(0, +), 12 + server.limitRefusals)
    }

    func testDryRunListsImagesAndSendsNothing() throws {
        try images(3)
        let server = try BatchStubServer()
        let result = try batch(["--dry-run", "--max-side", "4", "Describe", "photos"], server: server)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout.split(separator: "\n").count, 3, result.stdout)
        XCTAssertTrue(result.stdout.contains("would send photos/img-02.png 7x4"), result.stdout)
        XCTAssertTrue(result.stderr.contains("dry run: 3 image(s) in 3 request(s)"), result.stderr)
        XCTAssertEqual(server.requests.count, 0)
    }

    func testBatchUsageErrors() throws {
        let server = try BatchStubServer()
        for (arguments, message) in [
            (["Describe"], "no images"), (["--resume", "Describe", "x.png"], "'--resume' needs '--out FILE'"),
            (["--rate", "fast", "Describe", "x.png"], "invalid value 'fast' for '--rate'"),
            (["--shard", "3/3", "Describe", "x.png"], "expected K/N with 0 <= K < N"),
        ] {
            let result = try batch(arguments, server: server)
            XCTAssertEqual(result.status, 64, "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
    }
}

/// Images that models return during a batch are saved like a single query's, and listed per line.
final class BatchImageOutputEndToEndTests: EndToEndCase {
    func testReturnedImagesAreSavedAndListed() throws {
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("photos"), withIntermediateDirectories: true)
        for index in 0..<3 { _ = try png("photos/img-\(index).png", width: 5 + index, height: 4) }
        let server = try ImageOutputStubServer(shape: .multiModContent)
        let result = try vq(["batch", "-o", "out", "--modalities", "text,image", "Colour it", "photos"], baseURL: server.baseURL)
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n").map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        XCTAssertEqual(lines.count, 3)
        var allSaved: [String] = []
        for line in lines {
            let saved = line["saved_images"] as! [String]
            XCTAssertEqual(saved.count, 2, "\(line)")
            let echoed = try ImageValidator.validate(try Data(contentsOf: directory.appendingPathComponent(saved[0])))
            let image = line["image"] as! String
            XCTAssertEqual("photos/img-\(echoed.width - 5).png", image, "the saved image is this request's answer")
            allSaved += saved
        }
        XCTAssertEqual(Set(allSaved).count, 6, "no file saved twice or overwritten")
        XCTAssertTrue(allSaved.allSatisfy { $0.hasPrefix("out/vq-") })
        XCTAssertEqual(result.stderr.components(separatedBy: "vq: saved out/").count - 1, 6, result.stderr)
    }

    func testMarkdownImagesAreSavedAndReplacedInTheOutput() throws {
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("photos"), withIntermediateDirectories: true)
        _ = try png("photos/a.png", width: 6, height: 4)
        let server = try ImageOutputStubServer(shape: .markdown)
        let result = try vq(["batch", "-o", "out", "Colour it", "photos"], baseURL: server.baseURL)
        XCTAssertEqual(result.status, 0, result.stderr)
        let line = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        let saved = line["saved_images"] as! [String]
        XCTAssertEqual(saved.count, 1)
        XCTAssertEqual(line["output"] as? String, "Here:\n![a crayon drawing](\(saved[0]))\nDone! See [docs](https://example.org).")
        XCTAssertFalse(result.stdout.contains("base64"))
    }
}
