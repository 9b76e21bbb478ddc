import TestSupport
import XCTest

/// Profiles whose service needs no model (Masterpiecex; a Segmind path that names the model) work without one,
/// in a query and in `vq batch`.
final class ModelFreeProfilesEndToEndTests: EndToEndCase {
    /// Writes a config whose only profile has no `model` key.
    private func config(_ body: String) throws -> String {
        let path = directory.appendingPathComponent("nomodel.toml").path
        try "default_profile = \"p\"\n\n[profiles.p]\n\(body)\nkey_env = \"STUB_KEY\"\n".write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func testMasterpiecexWithoutModelInAQueryAndABatch() throws {
        let server = try MasterpiecexStubServer()
        let path = try config("api = \"masterpiecex\"\nbase_url = \"\(server.baseURL)\"\npoll_interval = 0.05")
        _ = try png("dog.png")
        try jpeg("cat.jpg", width: 12, height: 10)
        let environment = ["VQ_CONFIG": path, "STUB_KEY": Self.key]
        let query = try VQProcess.run(["Describe", "dog.png"], environment: environment, directory: directory)
        XCTAssertEqual(query.status, 0, query.stderr)
        XCTAssertEqual(query.stdout, "Saw 1 image(s): png 8x6.\n")

        let batch = try VQProcess.run(["batch", "-j", "2", "Describe", "dog.png", "cat.jpg"], environment: environment, directory: directory)
        XCTAssertEqual(batch.status, 0, batch.stderr)
        let lines = batch.stdout.split(separator: "\n").map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        XCTAssertEqual(Set(lines.compactMap { $0["output"] as? String }), ["Saw 1 image(s): png 8x6.", "Saw 1 image(s): jpeg 12x10."])
        XCTAssertTrue(lines.allSatisfy { $0["error"] is NSNull }, batch.stdout)
        assertKeyNeverShown(batch)
    }

    func testSegmindSeedProfileWithPathAndNoModel() throws {
        let server = try SegmindStubServer()
        let path = try config("base_url = \"\(server.baseURL)\"\npath = \"/qwen2-vl-72b-instruct\"\nauth = \"x-api-key\"")
        let result = try VQProcess.run(
            ["--no-stream", "Describe", "https://example.org/c.jpg"],
            environment: ["VQ_CONFIG": path, "STUB_KEY": Self.key], directory: directory)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(server.requests.last?.path, "/v1/qwen2-vl-72b-instruct")
        let body = try server.requests.last!.json() as! [String: Any]
        XCTAssertNil(body["model"], "no model is sent when the profile has none")

        let needsOne = try config("base_url = \"\(server.baseURL)\"")
        let missing = try VQProcess.run(
            ["Describe", "https://example.org/c.jpg"],
            environment: ["VQ_CONFIG": needsOne, "STUB_KEY": Self.key], directory: directory)
        XCTAssertEqual(missing.status, 64, missing.stderr)
        XCTAssertTrue(missing.stderr.contains("no model for profile 'p'"), missing.stderr)
    }
}
