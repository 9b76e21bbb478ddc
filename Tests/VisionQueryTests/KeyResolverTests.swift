import XCTest

@testable import VisionQuery

/// Where API keys come from, and the errors that name what to set.
final class KeyResolverTests: XCTestCase {
    func profile(_ adjust: (inout Profile) -> Void) -> Profile {
        var profile = BuiltinProfiles.named("scaleway")!
        adjust(&profile)
        return profile
    }

    func testEnvironmentVariable() throws {
        let keys = KeyResolver(environment: ["SCW_SECRET_KEY": "  sk-env\n"], configPath: nil)
        XCTAssertEqual(try keys.key(for: profile { _ in }), "sk-env")
        XCTAssertEqual(keys.availability(of: profile { _ in }), "yes ($SCW_SECRET_KEY)")
    }

    func testMissingKeyNamesTheVariable() {
        let keys = KeyResolver(environment: [:], configPath: "/c.toml")
        XCTAssertThrowsError(try keys.key(for: profile { _ in })) {
            let error = $0 as! VQError
            XCTAssertEqual(error.category, .permission)
            XCTAssertEqual(
                error.message,
                "no API key for profile 'scaleway': set SCW_SECRET_KEY, run 'vq keys set scaleway', or add key_cmd = \"…\" to [profiles.scaleway] in /c.toml")
        }
    }

    func testKeyCommandWithAndWithoutShell() throws {
        let keys = KeyResolver(environment: [:], configPath: nil)
        XCTAssertEqual(
            try keys.key(
                for: profile {
                    $0.keyEnv = nil
                    $0.keyCmd = "echo sk-cmd"
                }), "sk-cmd")
        XCTAssertEqual(
            try keys.key(
                for: profile {
                    $0.keyEnv = nil
                    $0.keyCmd = "printf 'sk-%s\\n' shell | cat"
                }), "sk-shell")
    }

    func testKeyCommandFailures() {
        let keys = KeyResolver(environment: [:], configPath: nil)
        XCTAssertThrowsError(
            try keys.key(
                for: profile {
                    $0.keyEnv = nil
                    $0.keyCmd = "false"
                })
        ) {
            XCTAssertTrue(($0 as! VQError).message.contains("failed (exit status 1)"))
        }
        XCTAssertThrowsError(
            try keys.key(
                for: profile {
                    $0.keyEnv = nil
                    $0.keyCmd = "true"
                })
        ) {
            XCTAssertTrue(($0 as! VQError).message.contains("printed nothing"))
        }
    }

    func testConfigKeySourceReplacesBuiltinVariable() throws {
        var settings = ProfileSettings()
        settings.keyCmd = "echo from-cmd"
        var scaleway = BuiltinProfiles.named("scaleway")!
        settings.apply(to: &scaleway)
        let keys = KeyResolver(environment: ["SCW_SECRET_KEY": "from-env"], configPath: nil)
        XCTAssertEqual(try keys.key(for: scaleway), "from-cmd")
    }

    func testLocalProfileNeedsNoKey() throws {
        let keys = KeyResolver(environment: [:], configPath: nil)
        XCTAssertNil(try keys.key(for: BuiltinProfiles.named("ollama")!))
        XCTAssertEqual(keys.availability(of: BuiltinProfiles.named("ollama")!), "not needed")
    }

    func testALocalServerOfTheUsersOwnNeedsNoKeyAndKeyRequiredFalseSaysSoForARemoteOne() throws {
        let text = """
            [profiles.llama]
            base_url = "http://127.0.0.1:8080/v1"
            [profiles.ollama-box]
            api = "ollama"
            base_url = "http://localhost:11434"
            [profiles.socket]
            base_url = "unix:///run/vllm.sock"
            [profiles.remote]
            base_url = "https://gpu.example.com/v1"
            [profiles.open-remote]
            base_url = "https://gpu.example.com/v1"
            key_required = false
            [profiles.local-with-key]
            base_url = "http://127.0.0.1:8080/v1"
            key_env = "LOCAL_KEY"
            """
        let config = try ConfigFile.parse(text, path: "c.toml")
        let profiles = Dictionary(uniqueKeysWithValues: ProfileResolver(config: config, environment: [:]).allProfiles().map { ($0.name, $0) })
        let keys = KeyResolver(environment: ["HOME": "/nonexistent"], configPath: "c.toml")
        for name in ["llama", "ollama-box", "socket", "open-remote"] {
            XCTAssertEqual(try keys.key(for: try XCTUnwrap(profiles[name])), nil, name)
        }
        for name in ["remote", "local-with-key"] {
            XCTAssertThrowsError(try keys.key(for: try XCTUnwrap(profiles[name])), name) { XCTAssertEqual(($0 as? VQError)?.category, .permission) }
        }
    }

    func testBedrockSaysWhereItsAWSCredentialsComeFromNotThatItNeedsNone() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("vq-bedrock-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: home) }
        let bedrock = try XCTUnwrap(BuiltinProfiles.named("bedrock"))
        let none = KeyResolver(environment: ["HOME": home], configPath: nil)
        XCTAssertTrue(none.availability(of: bedrock).hasPrefix("missing: set AWS_ACCESS_KEY_ID"), none.availability(of: bedrock))
        let fromEnvironment = KeyResolver(environment: ["HOME": home, "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "s"], configPath: nil)
        XCTAssertEqual(fromEnvironment.availability(of: bedrock), "yes ($AWS_ACCESS_KEY_ID)")
        try FileManager.default.createDirectory(atPath: home + "/.aws", withIntermediateDirectories: true)
        try "[work]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = s\n".write(toFile: home + "/.aws/credentials", atomically: true, encoding: .utf8)
        let fromFile = KeyResolver(environment: ["HOME": home, "AWS_PROFILE": "work"], configPath: nil)
        XCTAssertEqual(fromFile.availability(of: bedrock), "yes (AWS profile 'work')")
        let bearer = KeyResolver(environment: ["HOME": home, "AWS_BEARER_TOKEN_BEDROCK": "t"], configPath: nil)
        XCTAssertEqual(bearer.availability(of: bedrock), "yes ($AWS_BEARER_TOKEN_BEDROCK)")
    }

    func testAConfigDefinedBedrockProfileGetsConverseImageLimit() throws {
        let config = try ConfigFile.parse("[profiles.claude-eu]\napi = \"bedrock\"\nregion = \"eu-west-1\"\n", path: "c.toml")
        let profile = try XCTUnwrap(ProfileResolver(config: config, environment: [:]).allProfiles().first { $0.name == "claude-eu" })
        XCTAssertEqual(profile.maxImages, 20)
        XCTAssertEqual(BuiltinProfiles.named("bedrock")?.maxImages, 20)
    }
}
