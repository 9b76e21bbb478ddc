import TestSupport
import XCTest

/// `vq profiles`, `vq config`, `--help` and `--version` as a user runs them.
final class CommandsEndToEndTests: EndToEndCase {
    func testProfilesListsBuiltinsAndConfigWithoutKeys() throws {
        let config = try writeConfig(baseURL: "http://127.0.0.1:9/v1")
        let result = try VQProcess.run(
            ["profiles"], environment: ["VQ_CONFIG": config, "STUB_KEY": Self.key, "SCW_SECRET_KEY": "scw-secret"],
            directory: directory)
        XCTAssertEqual(result.status, 0, result.stderr)
        for name in ["openai", "scaleway", "gemini", "aihubmix", "segmind", "openrouter", "ollama", "stub"] {
            XCTAssertTrue(result.stdout.contains(" \(name) "), "\(name) missing:\n\(result.stdout)")
        }
        XCTAssertTrue(result.stdout.contains("*  stub"), "default profile marked:\n\(result.stdout)")
        XCTAssertTrue(result.stdout.contains("yes ($STUB_KEY)"))
        XCTAssertTrue(result.stdout.contains("yes ($SCW_SECRET_KEY)"))
        XCTAssertTrue(result.stdout.contains("missing: set OPENAI_API_KEY"))
        XCTAssertFalse(result.stdout.contains(Self.key))
        XCTAssertFalse(result.stdout.contains("scw-secret"))

        let json = try VQProcess.run(
            ["profiles", "--json"], environment: ["VQ_CONFIG": config, "SCW_SECRET_KEY": "scw-secret"],
            directory: directory)
        let list = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [[String: Any]]
        XCTAssertEqual(list.first { $0["name"] as? String == "stub" }?["default"] as? Bool, true)
        let scaleway = try XCTUnwrap(list.first { $0["name"] as? String == "scaleway" })
        let openai = try XCTUnwrap(list.first { $0["name"] as? String == "openai" })
        XCTAssertEqual(scaleway["key"] as? Bool, true)
        XCTAssertEqual(scaleway["key_env"] as? String, "SCW_SECRET_KEY")
        XCTAssertEqual(openai["key"] as? Bool, false)
        XCTAssertEqual(openai["key_required"] as? Bool, true)
        XCTAssertEqual(openai["key_env"] as? String, "OPENAI_API_KEY")
        XCTAssertFalse(json.stdout.contains("scw-secret"))
    }

    func testConfigPathAndCheck() throws {
        let xdg = directory.appendingPathComponent("xdg").path
        let path = try VQProcess.run(["config", "path"], environment: ["XDG_CONFIG_HOME": xdg], directory: directory)
        XCTAssertEqual(path.stdout, "\(xdg)/vq/config.toml\n")
        let config = try writeConfig(baseURL: "http://127.0.0.1:9/v1")
        let check = try VQProcess.run(["config", "check"], environment: ["VQ_CONFIG": config], directory: directory)
        XCTAssertEqual(check.status, 0, check.stderr)
        XCTAssertEqual(check.stdout, "\(config): ok (1 profile, 0 templates)\n")
    }

    func testOneBadProfileIsReportedWhenUsedAndBlocksNoOther() throws {
        let server = try OpenAIStubServer()
        let config = try writeConfig(baseURL: server.baseURL, extra: "\n[profiles.broken]\nbase_url = \"http://h\"\nmodle = \"m\"\n")
        let environment = ["VQ_CONFIG": config, "STUB_KEY": Self.key]
        let good = try VQProcess.run(["-p", "stub", "Describe", "https://example.org/c.jpg"], environment: environment, directory: directory)
        XCTAssertEqual(good.status, 0, good.stderr)
        let bad = try VQProcess.run(["-p", "broken", "Describe", "https://example.org/c.jpg"], environment: environment, directory: directory)
        XCTAssertEqual(bad.status, 78, bad.stderr)
        XCTAssertTrue(bad.stderr.contains("config.toml:10: profile 'broken': unknown key 'modle'; did you mean 'model'?"), bad.stderr)
        let check = try VQProcess.run(["config", "check"], environment: environment, directory: directory)
        XCTAssertEqual(check.status, 78, check.stderr)
        XCTAssertTrue(check.stderr.contains("profile 'broken': unknown key 'modle'"), check.stderr)
        XCTAssertEqual(server.seen.count, 1)
    }

    func testKeyInWorldReadableConfigWarns() throws {
        let path = directory.appendingPathComponent("k.toml").path
        try "[profiles.k]\nbase_url = \"https://h\"\nmodel = \"m\"\nkey = \"\(Self.key)\"\n".write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o644)
        let loose = try VQProcess.run(["config", "check", "--config", path], directory: directory)
        XCTAssertTrue(loose.stderr.contains("readable by others"), loose.stderr)
        chmod(path, 0o600)
        let tight = try VQProcess.run(["config", "check", "--config", path], directory: directory)
        XCTAssertEqual(tight.stderr, "")
    }

    func testHelpAndVersion() throws {
        let help = try VQProcess.run(["--help"], directory: directory)
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.stdout.contains("Usage: vq [OPTIONS] PROMPT [IMAGE ...]"))
        let version = try VQProcess.run(["--version"], directory: directory)
        XCTAssertTrue(version.stdout.hasPrefix("vq "))
    }
}
