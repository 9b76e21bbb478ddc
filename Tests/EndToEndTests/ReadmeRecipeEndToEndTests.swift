import TestSupport
import XCTest

/// Every sharding recipe in README.md, run as written (paths moved into the scratch directory) the way its scheduler
/// runs it, checked for exactly-once over the union of the outputs and for the prompt arriving whole.
final class ReadmeRecipeEndToEndTests: EndToEndCase {
    var recipes: ReadmeRecipes!
    var expected: [String: String] = [:]

    override func setUpWithError() throws {
        try super.setUpWithError()
        recipes = try ReadmeRecipes()
        expected = try images(24, in: "data/images")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("out"), withIntermediateDirectories: true)
    }

    /// A recipe line with the README's /data and /out moved into the scratch directory.
    func local(_ text: String) -> String {
        text.replacingOccurrences(of: "/data/images", with: directory.path + "/data/images")
            .replacingOccurrences(of: "/out/", with: directory.path + "/out/")
    }

    /// The environment every program gets: vq first on PATH, the stub profile in the config, its key.
    func environment(server: BatchStubServer, extra: [String: String] = [:]) throws -> [String: String] {
        var env = [
            "PATH": VQProcess.executable.deletingLastPathComponent().path + ":/usr/local/bin:/usr/bin:/bin",
            "HOME": directory.path, "LANG": "C.UTF-8", "VQ_CONFIG": try writeConfig(baseURL: server.baseURL), "STUB_KEY": Self.key,
        ]
        env.merge(extra) { _, new in new }
        return env
    }

    /// Starts `program` with exactly `environment`, stderr kept in a file for failure messages.
    func start(_ program: String, _ arguments: [String], environment: [String: String]) throws -> (Process, URL) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = directory
        let stderr = directory.appendingPathComponent(".stderr-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: stderr.path, contents: nil)
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: stderr)
        try process.run()
        return (process, stderr)
    }

    /// Runs `program` to the end; its status and stderr.
    func run(_ program: String, _ arguments: [String], environment: [String: String]) throws -> (Int32, String) {
        let (process, stderr) = try start(program, arguments, environment: environment)
        process.waitUntilExit()
        return (process.terminationStatus, try String(contentsOf: stderr, encoding: .utf8))
    }

    /// Every line of the files in `subdirectory` whose names match `prefix*.jsonl`.
    func outputLines(in subdirectory: String = "", prefix: String) throws -> (files: [String], lines: [[String: Any]]) {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent(subdirectory).path)
            .filter { $0.hasPrefix(prefix) && $0.hasSuffix(".jsonl") }.sorted()
        let lines = try names.flatMap { records(try readOut(subdirectory.isEmpty ? $0 : subdirectory + "/" + $0)) }
        return (names, lines)
    }

    /// The text parts of every request `server` received.
    func prompts(_ server: BatchStubServer) -> Set<String> {
        Set(
            server.requests.flatMap { request -> [String] in
                let messages = (try? request.json() as? [String: Any])?["messages"] as? [[String: Any]] ?? []
                return messages.flatMap { ($0["content"] as? [[String: Any]] ?? []).compactMap { $0["text"] as? String } }
            })
    }

    func testSlurmArrayAndARetryOfOneFailedTaskAnswerEveryImageOnce() throws {
        let script = try XCTUnwrap(recipes.slurmScript, "README has no Slurm script")
        XCTAssertTrue(script[0].hasPrefix("#!/"), "sbatch needs the #! line")
        let array = try XCTUnwrap(script.lazy.filter { $0.hasPrefix("#SBATCH") }.compactMap(SlurmArray.spec).first, "no #SBATCH --array")
        try (script.map(local).joined(separator: "\n") + "\n").write(to: directory.appendingPathComponent("caption.sh"), atomically: true, encoding: .utf8)
        let retries = recipes.sbatchLines.compactMap(SlurmArray.spec)
        XCTAssertFalse(retries.isEmpty, "README shows no retry of a task")
        let failedTask = try XCTUnwrap(SlurmArray.taskIDs(retries[0]).first)

        // `sbatch caption.sh`: every task runs; the one retried later fails (the service fails every request).
        let merge = try XCTUnwrap(recipes.mergeLine(after: "sbatch "), "the Slurm recipe does not end with vq batch merge")
        let server = try BatchStubServer()
        let refusing = try BatchStubServer(failingStatus: 500)
        for task in SlurmArray.taskIDs(array) {
            if task == SlurmArray.taskIDs(array).count / 2 {
                // Half the array has run (as `--array=0-3` would leave it): every task so far exited 0, the merge refuses.
                let (status, stderr) = try run("/bin/bash", ["-c", local(merge)], environment: try environment(server: server))
                XCTAssertEqual(status, 66, stderr)
                XCTAssertTrue(stderr.contains("shards missing"), stderr)
            }
            let env = try environment(
                server: task == failedTask ? refusing : server,
                extra: SlurmArray.environment(task: task, of: array, jobID: 1000))
            let (status, stderr) = try run("/bin/bash", ["caption.sh"], environment: env)
            XCTAssertEqual(status, task == failedTask ? 1 : 0, "task \(task): \(stderr)")
        }
        XCTAssertGreaterThan(refusing.requests.count, 0, "the failing task sent nothing: its shard is empty")
        let (failedStatus, failedStderr) = try run("/bin/bash", ["-c", local(merge)], environment: try environment(server: server))
        XCTAssertEqual(failedStatus, 1, "the failed task's lines are not reported: \(failedStderr)")
        XCTAssertTrue(failedStderr.contains("captions-\(failedTask).jsonl ("), failedStderr)
        // The README's re-submission of that task alone, as Slurm runs it (MIN = MAX = the task, COUNT = 1).
        for spec in retries {
            for task in SlurmArray.taskIDs(spec) {
                let (status, stderr) = try run(
                    "/bin/bash", ["caption.sh"],
                    environment: try environment(server: server, extra: SlurmArray.environment(task: task, of: spec, jobID: 2000)))
                XCTAssertEqual(status, 0, "retried task \(task): \(stderr)")
            }
        }
        let (files, lines) = try outputLines(prefix: "captions-")
        XCTAssertEqual(files.count, SlurmArray.taskIDs(array).count, "one output file per task: \(files)")
        assertExactlyOnce(lines, expected)
        let (status, stderr) = try run("/bin/bash", ["-c", local(merge)], environment: try environment(server: server))
        XCTAssertEqual(status, 0, stderr)
        assertExactlyOnce(records(try readOut("captions.jsonl")), expected)
        XCTAssertTrue(script.contains("#SBATCH --open-mode=append"), "a requeued task's log is truncated")
        XCTAssertEqual(server.answeredCount, 24, "an image was paid for twice")
        XCTAssertEqual(prompts(server), ["Caption this image"])
    }

    func testKubernetesIndexedJobPodsRunTogetherEachOnItsOwnShardAndFile() throws {
        let manifest = try XCTUnwrap(recipes.kubernetesJob, "README has no Kubernetes Job")
        let command = try XCTUnwrap(KubernetesCommand.command(in: manifest), "no exec-form command in the Job")
        let completions = try XCTUnwrap(KubernetesCommand.number("completions", in: manifest))
        XCTAssertEqual(KubernetesCommand.number("parallelism", in: manifest), completions)
        // A retry budget per index needs restartPolicy Never (the API server refuses it with OnFailure).
        XCTAssertEqual(KubernetesCommand.field("restartPolicy", in: manifest), "Never")
        XCTAssertGreaterThan(KubernetesCommand.number("backoffLimitPerIndex", in: manifest) ?? 0, 0)
        XCTAssertEqual(KubernetesCommand.field("completionMode", in: manifest), "Indexed")
        XCTAssertTrue(manifest.contains { $0.contains("mountPath: /out") }, "--out is not on a volume")
        let server = try BatchStubServer()
        let vq = VQProcess.executable.path
        XCTAssertEqual(command[0], "vq")
        /// Pod `index` as the Job controller starts it: JOB_COMPLETION_INDEX in its environment, `$(VAR)` expanded.
        func pod(_ index: Int) throws -> (Process, URL) {
            let env = try environment(server: server, extra: ["JOB_COMPLETION_INDEX": "\(index)", "HOSTNAME": "caption-\(index)-x7k2p"])
            return try start(vq, command.dropFirst().map { local(KubernetesCommand.expand($0, environment: env)) }, environment: env)
        }
        let pods = try (0..<completions).map(pod)
        for (index, (process, stderr)) in pods.enumerated() {
            process.waitUntilExit()
            let message = try String(contentsOf: stderr, encoding: .utf8)
            XCTAssertEqual(process.terminationStatus, 0, "pod \(index): \(message)")
        }
        // A failed index's pod is replaced by a new pod with the same index (restartPolicy: Never): it resumes its own file.
        let (again, stderr) = try pod(3)
        again.waitUntilExit()
        let message = try String(contentsOf: stderr, encoding: .utf8)
        XCTAssertEqual(again.terminationStatus, 0, message)
        let (files, lines) = try outputLines(in: "out", prefix: "captions-")
        XCTAssertEqual(files, (0..<completions).map { "captions-\($0).jsonl" }.sorted())
        assertExactlyOnce(lines, expected)
        let merge = try XCTUnwrap(recipes.mergeLine(after: "yaml"), "the Kubernetes recipe does not end with vq batch merge")
        let (status, mergeStderr) = try run("/bin/bash", ["-c", local(merge)], environment: try environment(server: server))
        XCTAssertEqual(status, 0, mergeStderr)
        assertExactlyOnce(records(try readOut("out/captions.jsonl")), expected)
        XCTAssertEqual(server.answeredCount, 24)
        XCTAssertEqual(prompts(server), ["Caption this image"])
    }

    func testGNUParallelLinesAnswerEveryImageOnceWithTheWholePrompt() throws {
        let lines = try XCTUnwrap(recipes.parallelLines, "README has no GNU parallel recipe")
        let server = try BatchStubServer()
        let env = try environment(server: server)
        for line in lines {
            let (status, stderr) = try run("/bin/bash", ["-c", local(line)], environment: env)
            XCTAssertEqual(status, 0, "\(line): \(stderr)")
        }
        let (files, shardLines) = try outputLines(prefix: "captions-")
        XCTAssertEqual(files.count, 4, "\(files)")
        assertExactlyOnce(shardLines, expected)
        XCTAssertEqual(lines.last?.hasPrefix("vq batch merge "), true, "the GNU parallel recipe does not end with vq batch merge")
        assertExactlyOnce(records(try readOut("captions.jsonl")), expected)
        XCTAssertEqual(server.answeredCount, 24, "re-running a shard redid images")
        XCTAssertEqual(prompts(server), ["Caption this image"])
    }

    func testSchedulerSimulationsFollowTheSchedulers() {
        XCTAssertEqual(SlurmArray.taskIDs("0-14:4"), [0, 4, 8, 12])
        XCTAssertEqual(SlurmArray.taskIDs("0,3,5%2"), [0, 3, 5])
        XCTAssertEqual(SlurmArray.environment(task: 5, of: "5", jobID: 1)["SLURM_ARRAY_TASK_COUNT"], "1")
        XCTAssertEqual(KubernetesCommand.expand("a-$(I)-$I-$$(I)-$(J)", environment: ["I": "3"]), "a-3-$I-$(I)-$(J)")
    }
}
