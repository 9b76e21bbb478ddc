import Imaging
import TestSupport
import XCTest

/// Shared set-up for tests that run the built `vq` binary: a scratch directory with test images and a config.
class EndToEndCase: XCTestCase {
    static let key = "sk-test-secret"
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("vq-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    /// An RGB gradient PNG.
    func png(_ name: String, width: Int = 8, height: Int = 6) throws -> Data {
        let data = try ImageEncoder.encodePNG(pixels: Self.gradient(width, height, 3), width: width, height: height, channels: 3)
        try data.write(to: directory.appendingPathComponent(name))
        return data
    }

    /// An RGB gradient JPEG.
    @discardableResult
    func jpeg(_ name: String, width: Int = 16, height: Int = 16) throws -> Data {
        let data = try ImageEncoder.encodeJPEG(pixels: Self.gradient(width, height, 3), width: width, height: height, channels: 3)
        try data.write(to: directory.appendingPathComponent(name))
        return data
    }

    static func gradient(_ width: Int, _ height: Int, _ channels: Int) -> [UInt8] {
        (0..<(width * height * channels)).map { UInt8(truncatingIfNeeded: $0 * 7) }
    }

    /// Writes a config whose profile `stub` points at `baseURL`, plus any extra TOML lines for it.
    func writeConfig(baseURL: String, extra: String = "") throws -> String {
        let path = directory.appendingPathComponent("config.toml").path
        let text = """
            default_profile = "stub"

            [profiles.stub]
            base_url = "\(baseURL)"
            model = "stub-vision-1"
            key_env = "STUB_KEY"
            \(extra)
            """
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Runs vq against `server` with the key in the environment.
    func vq(
        _ arguments: [String], server: OpenAIStubServer?, extraConfig: String = "", key: String? = EndToEndCase.key,
        env: [String: String] = [:], stdin: Data? = nil
    ) throws -> VQProcess.Result {
        try vq(arguments, baseURL: server?.baseURL, extraConfig: extraConfig, key: key, env: env, stdin: stdin)
    }

    /// Runs vq with the `stub` profile pointing at `baseURL` (no config when nil).
    func vq(
        _ arguments: [String], baseURL: String?, extraConfig: String = "", key: String? = EndToEndCase.key,
        env: [String: String] = [:], stdin: Data? = nil
    ) throws -> VQProcess.Result {
        var environment = env
        if let baseURL { environment["VQ_CONFIG"] = try writeConfig(baseURL: baseURL, extra: extraConfig) }
        if let key { environment["STUB_KEY"] = key }
        return try VQProcess.run(arguments, environment: environment, stdin: stdin, directory: directory)
    }

    /// Files in the scratch directory (or a subdirectory) whose names start with `prefix`, sorted.
    func files(in subdirectory: String = "", prefix: String = "vq-") throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent(subdirectory).path)
            .filter { $0.hasPrefix(prefix) && !$0.hasPrefix(".vq-") }.sorted()
    }

    /// Asserts that nothing printed anywhere contains the API key.
    func assertKeyNeverShown(_ result: VQProcess.Result, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(result.stdout.contains(Self.key), "key in stdout", file: file, line: line)
        XCTAssertFalse(result.stderr.contains(Self.key), "key in stderr", file: file, line: line)
    }

    /// Checks request bodies against OpenAI's published schema (`CreateChatCompletionRequest`, `CreateResponse`,
    /// `CreateImageRequest`, `CreateImageEditRequest`) with the checker and schema copied into Tests/Conformance.
    /// `closed`: a field the schema does not name fails too; `multipart`: the bodies are multipart/form-data.
    func assertConformsToOpenAISchema(
        _ bodies: [Data], schema: String = "CreateChatCompletionRequest", closed: Bool = false, multipart: Bool = false,
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        XCTAssertFalse(bodies.isEmpty, "no request bodies to check", file: file, line: line)
        for (index, body) in bodies.enumerated() {
            let (status, text) = try checkOpenAIRequest(
                body, named: "body\(index).json", ["--schema", schema] + (closed ? ["--closed"] : []) + (multipart ? ["--multipart"] : []))
            XCTAssertEqual(status, 0, "request \(index) fails OpenAI's \(schema) schema: \(text)", file: file, line: line)
        }
    }

    /// Runs Tests/Conformance/check-openai-request.py with `arguments` on `body` (written to `name` in the scratch
    /// directory): its exit status and what it printed.
    func checkOpenAIRequest(_ body: Data, named name: String, _ arguments: [String]) throws -> (status: Int32, text: String) {
        let checker = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Conformance/check-openai-request.py")
        let path = directory.appendingPathComponent(name)
        try body.write(to: path)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", checker.path] + arguments + [path.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }
}
