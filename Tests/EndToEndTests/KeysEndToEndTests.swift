import TestSupport
import XCTest

/// `vq keys` end to end: `set` reads the key from stdin into `$XDG_CONFIG_HOME/vq/keys.toml` (mode 0600, replaced
/// atomically), queries use it after the environment variable, `list` and `vq profiles` say where each key comes
/// from without showing it, `remove` takes it out.
final class KeysEndToEndTests: EndToEndCase {
    private var xdg: String { directory.appendingPathComponent("xdg").path }
    private var keysPath: String { xdg + "/vq/keys.toml" }

    /// vq with the stub profile, the keys file under the scratch directory, and no key in the environment.
    private func run(_ arguments: [String], _ server: OpenAIStubServer, stdin: Data? = nil, env: [String: String] = [:]) throws -> VQProcess.Result {
        try vq(arguments, server: server, key: nil, env: ["XDG_CONFIG_HOME": xdg].merging(env) { _, new in new }, stdin: stdin)
    }

    func testSetListUseAndRemove() throws {
        try jpeg("a.jpg")
        let server = try OpenAIStubServer()
        let missing = try run(["Describe", "a.jpg"], server)
        XCTAssertEqual(missing.status, 77, missing.stderr)
        XCTAssertTrue(missing.stderr.contains("run 'vq keys set stub'"), missing.stderr)

        let set = try run(["keys", "set", "stub"], server, stdin: Data((EndToEndCase.key + "\n").utf8))
        XCTAssertEqual(set.status, 0, set.stderr)
        XCTAssertEqual(set.stderr, "vq: stored the key STUB_KEY in \(keysPath); it serves stub\n")
        let attributes = try FileManager.default.attributesOfItem(atPath: keysPath)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600, "only the owner may read the keys file")
        XCTAssertTrue(try String(contentsOfFile: keysPath, encoding: .utf8).contains("\"STUB_KEY\" = \"\(EndToEndCase.key)\""), "stored by name")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: xdg + "/vq"), ["keys.toml"], "no temporary file left")

        let query = try run(["Describe", "a.jpg"], server)
        XCTAssertEqual(query.status, 0, query.stderr)
        XCTAssertEqual(server.requests.last?.header("authorization"), "Bearer \(EndToEndCase.key)")
        assertKeyNeverShown(query)

        let list = try run(["keys", "list"], server)
        XCTAssertEqual(list.status, 0, list.stderr)
        XCTAssertTrue(
            list.stdout.split(separator: "\n").contains { $0.hasPrefix("STUB_KEY ") && $0.contains(" stub ") && $0.hasSuffix("keys file") }, list.stdout)
        assertKeyNeverShown(list)
        let profiles = try run(["profiles"], server)
        XCTAssertTrue(profiles.stdout.split(separator: "\n").contains { $0.contains(" stub ") && $0.hasSuffix("yes (keys file)") }, profiles.stdout)

        let fromEnv = try run(["keys", "list"], server, env: ["STUB_KEY": "from-env"])
        XCTAssertTrue(
            fromEnv.stdout.split(separator: "\n").contains { $0.hasPrefix("STUB_KEY ") && $0.hasSuffix("$STUB_KEY, then keys file") },
            "the variable comes first: \(fromEnv.stdout)")

        let second = try run(["keys", "set", "openai"], server, stdin: Data("sk-other\n".utf8))
        XCTAssertEqual(second.status, 0, second.stderr)
        let removed = try run(["keys", "remove", "stub"], server)
        XCTAssertEqual(removed.status, 0, removed.stderr)
        let text = try String(contentsOfFile: keysPath, encoding: .utf8)
        XCTAssertFalse(text.contains(EndToEndCase.key))
        XCTAssertTrue(text.contains("\"OPENAI_API_KEY\" = \"sk-other\""), "other keys stay")
        XCTAssertEqual((try FileManager.default.attributesOfItem(atPath: keysPath)[.posixPermissions] as? NSNumber)?.intValue, 0o600)
        XCTAssertEqual(try run(["Describe", "a.jpg"], server).status, 77)
    }

    func testProfilesSharingAKeyVariableShareTheStoredKey() throws {
        try jpeg("a.jpg")
        let server = try OpenAIStubServer()
        let twin = "\n[profiles.twin]\nbase_url = \"\(server.baseURL)\"\nmodel = \"m2\"\nkey_env = \"STUB_KEY\"\n"
        let run = { (arguments: [String], stdin: Data?) throws -> VQProcess.Result in
            try self.vq(arguments, server: server, extraConfig: twin, key: nil, env: ["XDG_CONFIG_HOME": self.xdg], stdin: stdin)
        }
        let set = try run(["keys", "set", "stub"], Data((EndToEndCase.key + "\n").utf8))
        XCTAssertEqual(set.stderr, "vq: stored the key STUB_KEY in \(keysPath); it serves stub, twin\n")
        let query = try run(["-p", "twin", "Describe", "a.jpg"], nil)
        XCTAssertEqual(query.status, 0, query.stderr)
        XCTAssertEqual(server.requests.last?.header("authorization"), "Bearer \(EndToEndCase.key)", "one keys set serves both profiles")
        let list = try run(["keys", "list"], nil)
        XCTAssertTrue(list.stdout.split(separator: "\n").contains { $0.hasPrefix("STUB_KEY ") && $0.contains("stub, twin") }, list.stdout)
        XCTAssertTrue(
            list.stdout.split(separator: "\n").contains { $0.hasPrefix("OPENAI_API_KEY ") && $0.contains("openai, openai-responses") }, list.stdout)

        // A keys file from before keys were stored by name still works.
        try "\"stub\" = \"\(EndToEndCase.key)\"\n".write(toFile: keysPath, atomically: true, encoding: .utf8)
        let old = try run(["Describe", "a.jpg"], nil)
        XCTAssertEqual(old.status, 0, old.stderr)
    }

    func testMistakesAreClearErrors() throws {
        let server = try OpenAIStubServer()
        let unknown = try run(["keys", "set", "stbu"], server, stdin: Data("k\n".utf8))
        XCTAssertEqual(unknown.status, 78, unknown.stderr)
        XCTAssertTrue(unknown.stderr.hasPrefix("vq: error: unknown profile 'stbu'. Did you mean 'stub'?"), unknown.stderr)
        let empty = try run(["keys", "set", "stub"], server, stdin: Data())
        XCTAssertEqual(empty.status, 64, empty.stderr)
        let none = try run(["keys", "remove", "stub"], server)
        XCTAssertEqual(none.status, 64, none.stderr)
        let action = try run(["keys", "lst"], server)
        XCTAssertEqual(action.status, 64)
        XCTAssertEqual(action.stderr, "vq: error: unknown keys action 'lst'; did you mean 'list'? (expected: set PROFILE, list, remove PROFILE)\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: keysPath), "nothing written")
    }
}
