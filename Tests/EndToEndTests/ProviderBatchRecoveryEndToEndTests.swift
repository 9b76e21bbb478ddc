import TestSupport
import XCTest

/// Provider batches that never pay twice and leave nothing behind: a job created just before a kill is found by its
/// tag however many batches the organisation created since, an upload interrupted after the provider stored it is
/// deleted by its name, and every file vq uploaded or its job produced is deleted once the results are written.
final class ProviderBatchRecoveryEndToEndTests: EndToEndCase {
    func answers() throws -> [String: String] {
        let text = try String(contentsOf: directory.appendingPathComponent("out.jsonl"), encoding: .utf8)
        let lines = text.split(separator: "\n").map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        return Dictionary(lines.map { ($0["image"] as! String, $0["output"] as? String ?? "error") }, uniquingKeysWith: { _, _ in "twice" })
    }

    func environment(_ server: OpenAIBatchStubServer) throws -> [String: String] {
        ["VQ_CONFIG": try writeConfig(baseURL: server.baseURL, extra: "poll_interval = 0.02"), "STUB_KEY": Self.key]
    }

    let command = ["batch", "--provider-batch", "--out", "out.jsonl", "Describe", "photos"]

    /// Starts the batch, waits until `reached` says the provider got as far as the test needs, and kills vq (SIGKILL).
    func killBatch(environment: [String: String], once reached: () -> Bool, because message: String) throws {
        let process = try VQProcess.start(command, environment: environment, directory: directory)
        XCTAssertTrue(reached(), message)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func testAJobCreatedBeforeAKillIsFoundBehind150NewerBatches() throws {
        let expected = try photos(3)
        let server = try OpenAIBatchStubServer(hangAfterCreate: true)
        let env = try environment(server)
        // The batch exists, but vq never heard its id.
        try killBatch(environment: env, once: { server.waitForCreate(timeout: 30) }, because: "the batch was never created")
        server.createForeignBatches(150)  // the rest of the organisation, meanwhile

        let resumed = try VQProcess.run(command + ["--resume"], environment: env, directory: directory)
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertEqual(server.createdCount, 151, "a second batch was created for the same input: paid twice")
        XCTAssertEqual(server.uploadedFiles, 1, "the uploaded input was reused")
        XCTAssertGreaterThanOrEqual(server.batchListings, 2, "the list was not paged")
        XCTAssertEqual(try answers(), expected)
        let create = try XCTUnwrap(server.requests.first { $0.method == "POST" && $0.path == "/v1/batches" }).json() as? [String: Any]
        XCTAssertNotNil((create?["metadata"] as? [String: Any])?["vq_job"], "the job carries no tag")
    }

    func testAFreshJobDoesNotListTheOrganisationsBatches() throws {
        try photos(2)
        let server = try OpenAIBatchStubServer()
        server.createForeignBatches(30)
        let result = try VQProcess.run(command, environment: try environment(server), directory: directory)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(server.batchListings, 0)
        XCTAssertEqual(server.createdCount, 31)
    }

    func testTheInputAndResultFilesAreDeletedOnceTheResultsAreWritten() throws {
        let expected = try photos(4)
        let server = try OpenAIBatchStubServer(failing: [1])
        let result = try VQProcess.run(command, environment: try environment(server), directory: directory)
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertEqual(server.storedFiles, [], "files left at the provider: \(server.storedFiles)")
        XCTAssertEqual(Set(server.deletedFiles), ["file-in-0", "file-out-batch_0", "file-err-batch_0"])
        XCTAssertEqual(try answers().count, expected.count)

        try FileManager.default.removeItem(at: directory.appendingPathComponent("out.jsonl"))
        let kept = try VQProcess.run(command + ["--keep-files"], environment: try environment(server), directory: directory)
        XCTAssertEqual(kept.status, 1, kept.stderr)
        XCTAssertEqual(server.storedFiles, ["file-in-1", "file-out-batch_1", "file-err-batch_1"], "--keep-files deleted files")
    }

    func testAnUploadInterruptedAfterTheProviderStoredItIsDeletedOnResume() throws {
        let expected = try photos(3)
        let server = try OpenAIBatchStubServer()
        server.hangAfterNextUpload()
        let env = try environment(server)
        // The provider has the file; vq never heard its id.
        try killBatch(environment: env, once: { server.waitForUpload(timeout: 30) }, because: "nothing was uploaded")
        server.createForeignBatches(1)  // someone else's input file, which must stay

        let resumed = try VQProcess.run(command + ["--resume"], environment: env, directory: directory)
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertEqual(try answers(), expected)
        XCTAssertTrue(server.deletedFiles.contains("file-in-0"), "the orphan upload was left: \(server.deletedFiles)")
        XCTAssertEqual(server.storedFiles.filter { $0.hasPrefix("file-in-") }, [], "vq's files were left at the provider")
        XCTAssertEqual(server.storedFiles.filter { $0.hasPrefix("file-other-") }.count, 1, "a file vq did not create was deleted")
    }
}

extension ProviderBatchRecoveryEndToEndTests {
    func testCancellingAFinishedBatchSaysResumeWritesItsResults() throws {
        let expected = try photos(2)
        let server = try OpenAIBatchStubServer()
        let env = try environment(server)
        let detached = try VQProcess.run(command + ["--detach"], environment: env, directory: directory)
        XCTAssertEqual(detached.status, 0, detached.stderr)
        var finished = false
        for _ in 0..<10 where !finished {  // each status poll moves the stub's job one step
            let status = try VQProcess.run(["batch", "status", "--out", "out.jsonl"], environment: env, directory: directory)
            finished = status.stdout.contains("completed")
        }
        XCTAssertTrue(finished, "the stub's job never completed")
        let cancel = try VQProcess.run(["batch", "cancel", "--out", "out.jsonl"], environment: env, directory: directory)
        XCTAssertEqual(cancel.status, 0, cancel.stderr)
        XCTAssertTrue(cancel.stderr.contains("batch_0 already finished, so there is nothing to cancel"), cancel.stderr)
        XCTAssertTrue(cancel.stderr.contains("--resume writes the results to out.jsonl"), cancel.stderr)
        XCTAssertFalse(server.requests.contains { $0.path.hasSuffix("/cancel") }, "a finished batch was sent a cancel")
        let resumed = try VQProcess.run(command + ["--resume"], environment: env, directory: directory)
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertEqual(try answers(), expected)
    }
}

extension ProviderBatchRecoveryEndToEndTests {
    func testJobsAreSubmittedAsTheEnqueuedTokenBudgetAllows() throws {
        let expected = try photos(4)
        let server = try OpenAIBatchStubServer()
        let measure = try vq(["batch", "--provider-batch", "--dry-run", "Describe", "photos/img-0.png"], baseURL: server.baseURL)
        let perRequest = try XCTUnwrap(
            measure.stderr.components(separatedBy: "~").dropFirst().first.flatMap { Int($0.prefix { $0.isNumber }) }, measure.stderr)
        XCTAssertGreaterThan(perRequest, 0)
        // Room for one request's tokens and a half: never two jobs in the queue at once.
        let config = try writeConfig(
            baseURL: server.baseURL, extra: "poll_interval = 0.02\nbatch_max_requests = 1\nbatch_max_enqueued_tokens = \(perRequest * 3 / 2)")
        let env = ["VQ_CONFIG": config, "STUB_KEY": Self.key]
        let detached = try VQProcess.run(command + ["--detach"], environment: env, directory: directory)
        XCTAssertEqual(detached.status, 0, detached.stderr)
        XCTAssertEqual(server.createdCount, 1, detached.stderr)
        XCTAssertTrue(detached.stderr.contains("3 of 4 job(s) wait for room under batch_max_enqueued_tokens"), detached.stderr)
        let resumed = try VQProcess.run(command + ["--resume"], environment: env, directory: directory)
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertEqual(server.createdCount, 4)
        XCTAssertEqual(server.maxActive, 1, "more jobs in the provider's queue than the budget allows")
        XCTAssertEqual(try answers(), expected)

        let tight = try writeConfig(baseURL: server.baseURL, extra: "batch_max_enqueued_tokens = \(perRequest / 2)")
        try FileManager.default.removeItem(at: directory.appendingPathComponent("out.jsonl"))
        let over = try VQProcess.run(command, environment: ["VQ_CONFIG": tight, "STUB_KEY": Self.key], directory: directory)
        XCTAssertEqual(over.status, 1, over.stderr)
        XCTAssertTrue(over.stderr.contains("over the profile's batch_max_enqueued_tokens of \(perRequest / 2)"), over.stderr)
        XCTAssertEqual(server.createdCount, 4, "a request over the budget was submitted")
    }
}

extension ProviderBatchRecoveryEndToEndTests {
    func testAStepRewritesTheJobsProgressNotEveryItem() throws {
        let expected = try photos(12)
        let server = try OpenAIBatchStubServer()
        let config = try writeConfig(baseURL: server.baseURL, extra: "poll_interval = 0.02\nbatch_max_requests = 4")
        let env = ["VQ_CONFIG": config, "STUB_KEY": Self.key]
        let detached = try VQProcess.run(command + ["--detach"], environment: env, directory: directory)
        XCTAssertEqual(detached.status, 0, detached.stderr)
        let state = try String(contentsOf: directory.appendingPathComponent("out.jsonl.vq-batch"), encoding: .utf8)
        XCTAssertFalse(state.contains("img-"), "the state rewritten at each step holds every item: \(state.count) bytes")
        for job in 0..<3 {
            let items = try String(contentsOf: directory.appendingPathComponent("out.jsonl.vq-batch-\(job).items"), encoding: .utf8)
            XCTAssertEqual(items.components(separatedBy: #""id":"vq-"#).count - 1, 4, "job \(job)'s items: \(items)")
        }
        let resumed = try VQProcess.run(command + ["--resume"], environment: env, directory: directory)
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertEqual(try answers(), expected, "the items read back matched the results to the wrong images")
        let left = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix("out.jsonl.") }
        XCTAssertEqual(left, [])
    }
}

extension ProviderBatchRecoveryEndToEndTests {
    func anthropic(_ server: AnthropicBatchStubServer) throws -> [String: String] {
        ["VQ_CONFIG": try writeConfig(baseURL: server.baseURL, extra: "api = \"anthropic\"\npoll_interval = 0.02"), "STUB_KEY": Self.key]
    }

    func testAnAnthropicBatchCreatedBeforeAKillIsTakenUpBehind150Others() throws {
        let expected = try photos(3)
        let server = try AnthropicBatchStubServer()
        server.hangAfterNextCreate()
        let env = try anthropic(server)
        try killBatch(environment: env, once: { server.waitForBatches(1, timeout: 30) }, because: "the batch was never created")
        server.createForeignBatches(150, requests: 2)

        let resumed = try VQProcess.run(command + ["--resume"], environment: env, directory: directory)
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertEqual(server.createdCount, 151, "a second message batch was created: paid twice")
        XCTAssertEqual(try answers(), expected)
    }

    func testTwoAnthropicBatchesThatCouldBeTheJobsAreRefusedNotGuessed() throws {
        try photos(2)
        let server = try AnthropicBatchStubServer()
        server.hangAfterNextCreate()
        let env = try anthropic(server)
        try killBatch(environment: env, once: { server.waitForBatches(1, timeout: 30) }, because: "the batch was never created")
        server.createForeignBatches(1, requests: 2)  // as many requests as vq's job, created since

        let resumed = try VQProcess.run(command + ["--resume"], environment: env, directory: directory)
        XCTAssertEqual(resumed.status, 64, resumed.stderr)
        XCTAssertTrue(resumed.stderr.contains("2 batches of 2 request(s) were created since (msgbatch_1, msgbatch_0)"), resumed.stderr)
        XCTAssertEqual(server.createdCount, 2, "nothing more was created")
    }
}

extension ProviderBatchRecoveryEndToEndTests {
    func testCancelStopsTheJobsStillWaitingForRoomInTheQueue() throws {
        try photos(3)
        let server = try OpenAIBatchStubServer()
        let probe = try vq(["batch", "--provider-batch", "--dry-run", "Describe", "photos/img-0.png"], baseURL: server.baseURL)
        let perRequest = try XCTUnwrap(probe.stderr.components(separatedBy: "~").dropFirst().first.flatMap { Int($0.prefix { $0.isNumber }) })
        // A budget that holds one job at a time: the first is submitted, two wait.
        let config = try writeConfig(
            baseURL: server.baseURL, extra: "poll_interval = 0.02\nbatch_max_requests = 1\nbatch_max_enqueued_tokens = \(perRequest * 3 / 2)")
        let env = ["VQ_CONFIG": config, "STUB_KEY": Self.key]
        let detached = try VQProcess.run(command + ["--detach"], environment: env, directory: directory)
        XCTAssertEqual(detached.status, 0, detached.stderr)
        let cancel = try VQProcess.run(["batch", "cancel", "--out", "out.jsonl"], environment: env, directory: directory)
        XCTAssertEqual(cancel.status, 0, cancel.stderr)
        XCTAssertTrue(cancel.stderr.contains("2 job(s) waiting for room in the queue will not be submitted"), cancel.stderr)
        let resumed = try VQProcess.run(command + ["--resume"], environment: env, directory: directory)
        XCTAssertEqual(resumed.status, 1, resumed.stderr)
        XCTAssertEqual(server.createdCount, 1, "a cancelled batch's waiting jobs were submitted")
        XCTAssertEqual(try answers().count, 3)
        XCTAssertTrue(resumed.stderr.contains("cancelled before its job was submitted"), resumed.stderr)
    }
}

extension ProviderBatchRecoveryEndToEndTests {
    func testAStateEditedToNameSomeoneElsesFileDeletesNothingOfTheirs() throws {
        let expected = try photos(2)
        let server = try OpenAIBatchStubServer()
        server.createForeignBatches(1)
        let env = try environment(server)
        XCTAssertEqual(try VQProcess.run(command + ["--detach"], environment: env, directory: directory).status, 0)
        let statePath = directory.appendingPathComponent("out.jsonl.vq-batch")
        var state = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: statePath)) as? [String: Any])
        var jobs = try XCTUnwrap(state["jobs"] as? [[String: Any]])
        jobs[0]["inputFileID"] = "file-other-0"
        state["jobs"] = jobs
        try JSONSerialization.data(withJSONObject: state).write(to: statePath)

        let resumed = try VQProcess.run(command + ["--resume"], environment: env, directory: directory)
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertEqual(try answers(), expected)
        XCTAssertTrue(server.storedFiles.contains("file-other-0"), "a file vq did not upload was deleted")
        XCTAssertEqual(Set(server.deletedFiles), ["file-out-batch_1"], "the job's own result file stays")
    }
}
