import Foundation

/// Runs the built `vq` binary with a clean environment and captures stdout, stderr and the exit status.
public struct VQProcess {
    /// What one run produced.
    public struct Result {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    /// The `vq` executable built next to the test bundle.
    public static var executable: URL {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("vq")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/vq")
    }

    /// Runs vq in `directory` with only `environment` (plus PATH and HOME pointing into the directory).
    public static func run(
        _ arguments: [String], environment: [String: String] = [:], stdin: Data? = nil,
        directory: URL
    ) throws -> Result {
        let process = makeProcess(arguments, environment: environment, directory: directory)
        let outURL = directory.appendingPathComponent(".vq-stdout-\(UUID().uuidString)")
        let errURL = directory.appendingPathComponent(".vq-stderr-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        let input = Pipe()
        process.standardInput = stdin == nil ? FileHandle.nullDevice : input
        try process.run()
        if let stdin {
            try input.fileHandleForWriting.write(contentsOf: stdin)
            try input.fileHandleForWriting.close()
        }
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            stdout: try String(contentsOf: outURL, encoding: .utf8),
            stderr: try String(contentsOf: errURL, encoding: .utf8))
    }
}

extension VQProcess {
    /// Starts vq without waiting, for tests that signal it while it runs. Output is discarded.
    public static func start(_ arguments: [String], environment: [String: String] = [:], directory: URL) throws -> Process {
        let process = makeProcess(arguments, environment: environment, directory: directory)
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }
}

extension VQProcess {
    /// The vq process for `arguments`, run in `directory` with only `environment` plus PATH, HOME (the directory) and LANG.
    public static func makeProcess(_ arguments: [String], environment: [String: String], directory: URL) -> Process {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ["PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": directory.path, "LANG": "C.UTF-8"]
        env.merge(environment) { _, new in new }
        process.environment = env
        return process
    }
}
