import TestSupport
import XCTest

/// A shared machine: the log is never anything but a private regular file, and a provider-batch state someone
/// edited cannot make vq upload or delete a file it did not write.
final class SharedMachineEndToEndTests: EndToEndCase {
    func testALogPathThatIsNotARegularFileIsOneWarningAndTheAnswerStillComes() throws {
        let server = try OpenAIStubServer()
        let result = try vq(["Describe", "https://example.org/c.jpg"], server: server, env: ["VQ_LOG_DB": "/dev/null"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.hasPrefix("Saw 1 image(s)"), result.stdout)
        XCTAssertEqual(
            result.stderr,
            "vq: warning: cannot write the log /dev/null: not a regular file; the answer is not logged (--no-log or 'log = false' turns logging off)\n")
    }

    func testANewLogIsOwnerOnly() throws {
        let server = try OpenAIStubServer()
        let path = directory.appendingPathComponent("common/logs.db").path
        try FileManager.default.createDirectory(
            atPath: directory.appendingPathComponent("common").path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o777])
        let result = try vq(["Describe", "https://example.org/c.jpg"], server: server, env: ["VQ_LOG_DB": path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual((try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue, 0o600)
    }

    func testATamperedProviderBatchStateNeverUploadsOrDeletesAnotherFile() throws {
        try images(1)
        let victim = directory.appendingPathComponent("precious.txt")
        try Data("not vq's to send\n".utf8).write(to: victim)
        let state =
            #"{"api":"openai","profile":"stub","version":1,"jobs":[{"input":"\#(victim.path)","bytes":17,"items":[{"id":"0","image":"photos/img-00.png"}],"written":false}]}"#
        try Data(state.utf8).write(to: directory.appendingPathComponent("out.jsonl.vq-batch"))
        let server = try OpenAIBatchStubServer(failing: [])
        let result = try vq(
            ["batch", "--provider-batch", "--resume", "--out", "out.jsonl", "Describe", "photos"], baseURL: server.baseURL,
            extraConfig: "api = \"openai\"\npoll_interval = 0.02\n")
        XCTAssertEqual(result.status, 65, result.stderr)
        XCTAssertTrue(result.stderr.contains("names the input file '\(victim.path)'"), result.stderr)
        XCTAssertEqual(server.requests.count, 0)
        XCTAssertEqual(try String(contentsOf: victim, encoding: .utf8), "not vq's to send\n")
        let status = try vq(["batch", "status", "--out", "out.jsonl"], baseURL: server.baseURL, extraConfig: "api = \"openai\"\n")
        XCTAssertEqual(status.status, 65, status.stderr)
    }
}
