import TestSupport
import XCTest

/// `vq batch --provider-batch` against loopback OpenAI Batch and Anthropic Message Batches servers: submit and wait,
/// results matched to the right images, failed items reported per line, detach and resume in a new process, a kill
/// after the job was created (resume must not create a second), a split into several jobs, status, cancel, dry run.
final class ProviderBatchEndToEndTests: EndToEndCase {
    private func run(_ api: String, _ baseURL: String, _ arguments: [String], extra: String = "") throws -> VQProcess.Result {
        let result = try vq(["batch"] + arguments, baseURL: baseURL, extraConfig: "api = \"\(api)\"\npoll_interval = 0.02\n" + extra)
        assertKeyNeverShown(result)
        return result
    }

    private func lines(_ file: String = "out.jsonl") throws -> [[String: Any]] {
        let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
        return text.split(separator: "\n").map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    }

    private var stateFile: String { directory.appendingPathComponent("out.jsonl.vq-batch").path }

    private func leftovers() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix("out.jsonl.vq-batch") }
    }

    func testOpenAIBatchMatchesResultsToImagesAndReportsFailedItems() throws {
        let expected = try photos(5)
        let server = try OpenAIBatchStubServer(failing: [3])
        let result = try run("openai", server.baseURL, ["--provider-batch", "--out", "out.jsonl", "Describe", "photos"])
        XCTAssertEqual(result.status, 1, "one item failed in the job: \(result.stderr)")
        let written = try lines()
        XCTAssertEqual(written.count, 5)
        let failed = written.filter { !($0["error"] is NSNull) }
        XCTAssertEqual(failed.count, 1, "\(written)")
        XCTAssertTrue((failed[0]["error"] as? String ?? "").contains("The model failed to answer this request"), "\(failed)")
        for line in written where line["error"] is NSNull {
            let image = line["image"] as! String
            XCTAssertEqual(line["output"] as? String, expected[image], "the answer belongs to \(image)")
            XCTAssertEqual((line["usage"] as? [String: Any])?["total_tokens"] as? Int, 27)
        }
        XCTAssertEqual(server.createdCount, 1)
        XCTAssertEqual(server.uploadedFiles, 1)
        let create = try server.requests.first { $0.path == "/v1/batches" && $0.method == "POST" }!.json() as! [String: Any]
        XCTAssertEqual(create["endpoint"] as? String, "/v1/chat/completions")
        XCTAssertEqual(try leftovers(), [], "state and input files are removed once every result is written")

        // A plain --resume of the finished job pays for nothing again; --retry-failed submits the failed item alone.
        let resumed = try run("openai", server.baseURL, ["--provider-batch", "--resume", "--out", "out.jsonl", "Describe", "photos"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertEqual(server.createdCount, 1, "failed lines count as done without --retry-failed")
        XCTAssertEqual(try lines().count, 5, "the failed line stays")
        let retry = try run("openai", server.baseURL, ["--provider-batch", "--resume", "--retry-failed", "--out", "out.jsonl", "Describe", "photos"])
        XCTAssertEqual(retry.status, 0, "the stub fails position 3 of a job; the new job has one request: \(retry.stderr)")
        XCTAssertEqual(server.createdCount, 2)
        XCTAssertEqual(server.submittedItems.count, 6, "only the failed image went into the second job")
        let final = try lines()
        XCTAssertEqual(final.count, 5, "the failed line was replaced, not duplicated")
        XCTAssertEqual(Dictionary(uniqueKeysWithValues: final.map { ($0["image"] as! String, $0["output"] as! String) }), expected)
    }

    func testDetachThenResumeInANewProcessWritesEveryResultOnce() throws {
        let expected = try photos(4)
        let server = try OpenAIBatchStubServer()
        let detached = try run("openai", server.baseURL, ["--provider-batch", "--detach", "--out", "out.jsonl", "Describe", "photos"])
        XCTAssertEqual(detached.status, 0, detached.stderr)
        XCTAssertTrue(detached.stderr.contains("submitted"), detached.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: stateFile), "the state survives the client")

        let status = try run("openai", server.baseURL, ["status", "--out", "out.jsonl"])
        XCTAssertEqual(status.status, 0, status.stderr)
        XCTAssertTrue(status.stdout.hasPrefix("batch_0: "), status.stdout)
        XCTAssertTrue(status.stderr.contains("next: run the same vq batch command with --resume"), "status names the next step: \(status.stderr)")

        let again = try run("openai", server.baseURL, ["--provider-batch", "--out", "out.jsonl", "Describe", "photos"])
        XCTAssertEqual(again.status, 64, "a second submission for the same --out is refused: \(again.stderr)")
        XCTAssertTrue(again.stderr.contains("add --resume"), again.stderr)

        let resumed = try run("openai", server.baseURL, ["--provider-batch", "--resume", "--out", "out.jsonl", "Describe", "photos"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertEqual(server.createdCount, 1, "the job was polled, not submitted again")
        let written = try lines()
        XCTAssertEqual(Dictionary(uniqueKeysWithValues: written.map { ($0["image"] as! String, $0["output"] as! String) }), expected)
        XCTAssertEqual(try leftovers(), [])
    }

    func testStatusAndCancelAskTheProfileTheJobWasSubmittedWith() throws {
        try photos(2)
        let server = try OpenAIBatchStubServer()
        let closed = try LoopbackHTTPServer.closedPort()
        let second =
            "api = \"openai\"\n\n[profiles.batchy]\napi = \"openai\"\nbase_url = \"\(server.baseURL)\"\nmodel = \"m\"\nkey_env = \"STUB_KEY\"\npoll_interval = 0.02\n"
        let base = "http://127.0.0.1:\(closed)/v1"
        let detached = try vq(
            ["batch", "-p", "batchy", "--provider-batch", "--detach", "--out", "out.jsonl", "Describe", "photos"], baseURL: base, extraConfig: second)
        XCTAssertEqual(detached.status, 0, detached.stderr)
        let status = try vq(["batch", "status", "--out", "out.jsonl"], baseURL: base, extraConfig: second)
        XCTAssertEqual(status.status, 0, status.stderr)
        XCTAssertTrue(status.stdout.hasPrefix("batch_0: "), status.stdout)
        let cancel = try vq(["batch", "cancel", "--out", "out.jsonl"], baseURL: base, extraConfig: second)
        XCTAssertEqual(cancel.status, 0, cancel.stderr)
    }

    func testAFailedJobShowsEachRequestsReasonFromTheErrorFile() throws {
        try photos(3)
        let server = try OpenAIBatchStubServer(refusingEveryRequest: "Unsupported batch endpoint")
        let result = try run("openai", server.baseURL, ["--provider-batch", "--out", "out.jsonl", "Describe", "photos"])
        XCTAssertEqual(result.status, 1, result.stderr)
        let written = try lines()
        XCTAssertEqual(written.count, 3)
        for line in written { XCTAssertTrue((line["error"] as? String ?? "").contains("Unsupported batch endpoint"), "\(line)") }
    }

    func testAKillAfterTheJobWasCreatedDoesNotSubmitTwice() throws {
        let expected = try photos(3)
        let server = try OpenAIBatchStubServer(hangAfterCreate: true)
        let config = try writeConfig(baseURL: server.baseURL, extra: "poll_interval = 0.02")
        let env = ["VQ_CONFIG": config, "STUB_KEY": Self.key]
        let process = try VQProcess.start(["batch", "--provider-batch", "--out", "out.jsonl", "Describe", "photos"], environment: env, directory: directory)
        XCTAssertTrue(server.waitForCreate(timeout: 30), "the batch was never created")
        kill(process.processIdentifier, SIGKILL)  // the batch exists, but vq never heard its id
        process.waitUntilExit()
        XCTAssertTrue(FileManager.default.fileExists(atPath: stateFile))

        let resumed = try VQProcess.run(
            ["batch", "--provider-batch", "--resume", "--out", "out.jsonl", "Describe", "photos"],
            environment: env, directory: directory)
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertEqual(server.createdCount, 1, "resume found the created batch by its input file")
        XCTAssertEqual(server.uploadedFiles, 1, "the uploaded input was reused")
        XCTAssertEqual(Set(try lines().map { $0["image"] as! String }), Set(expected.keys))
    }

    func testALoweredLimitSplitsIntoSeveralJobsTrackedTogether() throws {
        let expected = try photos(5)
        let server = try OpenAIBatchStubServer()
        let dry = try run("openai", server.baseURL, ["--provider-batch", "--dry-run", "Describe", "photos"], extra: "batch_max_requests = 2")
        XCTAssertEqual(dry.status, 0, dry.stderr)
        XCTAssertTrue(dry.stderr.contains("3 job(s), 5 request(s)"), dry.stderr)
        XCTAssertTrue(dry.stderr.contains("input tokens estimated"), dry.stderr)
        XCTAssertEqual(server.requests.count, 0, "a dry run sends nothing")

        let result = try run("openai", server.baseURL, ["--provider-batch", "--out", "out.jsonl", "Describe", "photos"], extra: "batch_max_requests = 2")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(server.createdCount, 3)
        XCTAssertEqual(Dictionary(uniqueKeysWithValues: try lines().map { ($0["image"] as! String, $0["output"] as! String) }), expected)
    }

    func testResponsesBatchTargetsTheResponsesEndpoint() throws {
        let expected = try photos(2)
        let server = try OpenAIBatchStubServer()
        let result = try run("openai-responses", server.baseURL, ["--provider-batch", "--out", "out.jsonl", "Describe", "photos"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let create = try server.requests.first { $0.path == "/v1/batches" && $0.method == "POST" }!.json() as! [String: Any]
        XCTAssertEqual(create["endpoint"] as? String, "/v1/responses")
        XCTAssertEqual(Dictionary(uniqueKeysWithValues: try lines().map { ($0["image"] as! String, $0["output"] as! String) }), expected)
    }

    func testARelativeResultsURLIsResolvedAgainstTheBaseURL() throws {
        let expected = try photos(2)
        let server = try AnthropicBatchStubServer(relativeResultsURL: true)
        let result = try run("anthropic", server.baseURL, ["--provider-batch", "--out", "out.jsonl", "Describe", "photos"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(Dictionary(uniqueKeysWithValues: try lines().map { ($0["image"] as! String, $0["output"] as! String) }), expected)
    }

    func testAnthropicMessageBatchWithErroredAndExpiredItems() throws {
        let expected = try photos(4)
        let server = try AnthropicBatchStubServer(failing: [0], expired: [2])
        let result = try run("anthropic", server.baseURL, ["--provider-batch", "--out", "out.jsonl", "Describe", "photos"])
        XCTAssertEqual(result.status, 1, result.stderr)
        let written = try lines()
        XCTAssertEqual(written.count, 4)
        let errors = written.compactMap { $0["error"] as? String }
        XCTAssertEqual(errors.count, 2, "\(written)")
        XCTAssertTrue(errors.contains { $0.contains("Could not process image") }, "\(errors)")
        XCTAssertTrue(errors.contains { $0.contains("expired") }, "\(errors)")
        for line in written where line["error"] is NSNull {
            XCTAssertEqual(line["output"] as? String, expected[line["image"] as! String])
        }
        let create = server.requests.first { $0.method == "POST" }!
        XCTAssertEqual(create.path, "/v1/messages/batches")
        XCTAssertEqual(create.header("x-api-key"), Self.key)
    }

    func testGeminiBatchModeMatchesInlinedResponsesByPosition() throws {
        let expected = try photos(4)
        let server = try GeminiBatchStubServer(failing: [1])
        let result = try run("gemini", server.baseURL, ["--provider-batch", "--out", "out.jsonl", "Describe", "photos"])
        XCTAssertEqual(result.status, 1, result.stderr)
        let written = try lines()
        XCTAssertEqual(written.count, 4)
        let failed = written.filter { !($0["error"] is NSNull) }
        // Images are prepared in parallel, so the second request may be any image: the one whose answer it carries.
        XCTAssertEqual(failed.map { expected[$0["image"] as! String] }, [server.submittedAnswers[1]], "the failure belongs to the second request")
        XCTAssertTrue((failed[0]["error"] as? String ?? "").contains("Unable to process input image."), "\(failed)")
        for line in written where line["error"] is NSNull {
            XCTAssertEqual(line["output"] as? String, expected[line["image"] as! String])
        }
        let create = server.requests.first { $0.method == "POST" }!
        XCTAssertEqual(create.path, "/v1beta/models/stub-vision-1:batchGenerateContent")
        XCTAssertEqual(create.header("x-goog-api-key"), Self.key)
    }

    func testCancelAndUnsupportedApis() throws {
        try photos(2)
        let server = try AnthropicBatchStubServer()
        let detached = try run("anthropic", server.baseURL, ["--provider-batch", "--detach", "--out", "out.jsonl", "Describe", "photos"])
        XCTAssertEqual(detached.status, 0, detached.stderr)
        let cancel = try run("anthropic", server.baseURL, ["cancel", "--out", "out.jsonl"])
        XCTAssertEqual(cancel.status, 0, cancel.stderr)
        XCTAssertEqual(cancel.stderr, "vq: cancel requested for 1 job(s); run the same command with --resume to write what finished\n")
        XCTAssertTrue(server.requests.contains { $0.method == "POST" && $0.path.hasSuffix("/cancel") })
        let resumed = try run("anthropic", server.baseURL, ["--provider-batch", "--resume", "--out", "out.jsonl", "Describe", "photos"])
        XCTAssertEqual(resumed.status, 1, "cancelled items are failed lines: \(resumed.stderr)")
        XCTAssertEqual(try lines().filter { ($0["error"] as? String ?? "").contains("canceled") }.count, 2)

        let ollama = try OllamaStubServer()
        let unsupported = try run("ollama", ollama.baseURL, ["--provider-batch", "--out", "g.jsonl", "Describe", "photos"])
        XCTAssertEqual(unsupported.status, 64, unsupported.stderr)
        XCTAssertTrue(unsupported.stderr.contains("works with api openai, openai-responses, anthropic, gemini"), unsupported.stderr)
        XCTAssertEqual(ollama.requests.count, 0)
        let noJob = try vq(["batch", "status", "--out", "none.jsonl"], baseURL: ollama.baseURL, key: nil)
        XCTAssertEqual(noJob.status, 64, "no job is said before a missing key: \(noJob.stderr)")
        XCTAssertEqual(noJob.stderr, "vq: error: no provider batch is under way for none.jsonl (no none.jsonl.vq-batch)\n")
        let noOut = try run("openai", ollama.baseURL, ["--provider-batch", "Describe", "photos"])
        XCTAssertEqual(noOut.status, 64, noOut.stderr)
    }

    func testAServiceWithoutABatchApiIsSaidSoAndLeavesNothingBehind() throws {
        try photos(2)
        let plain = try LoopbackHTTPServer { _, writer in
            writer.respond(status: 404, headers: [("Content-Type", "application/json")], body: Data(#"{"error":{"message":"Not Found"}}"#.utf8))
        }
        defer { plain.stop() }
        let result = try run("openai", plain.baseURL + "/v1", ["--provider-batch", "--out", "out.jsonl", "Describe", "photos"])
        XCTAssertEqual(result.status, 78, result.stderr)
        XCTAssertTrue(result.stderr.contains("this service has no batch API at \(plain.baseURL)/v1"), result.stderr)
        XCTAssertTrue(result.stderr.contains("nothing was submitted, and the batch files beside out.jsonl are removed"), result.stderr)
        XCTAssertFalse(result.stderr.contains("model name"), result.stderr)
        XCTAssertEqual(try leftovers(), [], "no state or input file is left")
    }
}
