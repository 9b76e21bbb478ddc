import XCTest

@testable import VisionQuery

/// Config file parsing, error lines, and the flags > environment > config > built-in precedence.
final class ConfigTests: XCTestCase {
    let sample = """
        default_profile = "mine"

        [profiles.mine]
        api = "openai"
        base_url = "http://127.0.0.1:9/v1"
        model = "m-config"
        key_env = "MINE_KEY"
        max_images = 3
        headers = { "X-Title" = "vq" }

        [profiles.scaleway]
        model = "pixtral-12b-2409"
        """

    func testParsesProfilesAndOverridesBuiltins() throws {
        let config = try ConfigFile.parse(sample, path: "c.toml")
        XCTAssertEqual(config.defaultProfile, "mine")
        let resolver = ProfileResolver(config: config, environment: [:])
        let mine = try resolver.resolve(profileFlag: nil, modelFlag: nil)
        XCTAssertEqual(mine.name, "mine")
        XCTAssertEqual(mine.model, "m-config")
        XCTAssertEqual(mine.maxImages, 3)
        XCTAssertEqual(mine.headers, ["X-Title": "vq"])
        XCTAssertEqual(mine.origin, .config)
        let scaleway = try resolver.resolve(profileFlag: "scaleway", modelFlag: nil)
        XCTAssertEqual(scaleway.model, "pixtral-12b-2409", "config overrides the built-in model")
        XCTAssertEqual(scaleway.baseURL, "https://api.scaleway.ai/v1", "fields the config leaves out keep the built-in value")
        XCTAssertEqual(scaleway.maxImages, 12)
        XCTAssertEqual(scaleway.origin, .overridden)
    }

    func testPrecedence() throws {
        let config = try ConfigFile.parse(sample, path: "c.toml")
        let env = ["VQ_PROFILE": "scaleway", "VQ_MODEL": "m-env"]
        XCTAssertEqual(try ProfileResolver(config: config, environment: env).resolve(profileFlag: nil, modelFlag: nil).name, "scaleway")
        XCTAssertEqual(try ProfileResolver(config: config, environment: env).resolve(profileFlag: nil, modelFlag: nil).model, "m-env")
        let flagged = try ProfileResolver(config: config, environment: env).resolve(profileFlag: "mine", modelFlag: "m-flag")
        XCTAssertEqual(flagged.name, "mine")
        XCTAssertEqual(flagged.model, "m-flag")
        let noConfig = try ProfileResolver(config: nil, environment: [:]).resolve(profileFlag: nil, modelFlag: nil)
        XCTAssertEqual(noConfig.name, BuiltinProfiles.defaultName)
    }

    func testUnknownProfileSuggests() throws {
        XCTAssertThrowsError(try ProfileResolver(config: nil, environment: [:]).resolve(profileFlag: "scaleway2", modelFlag: nil)) {
            let error = $0 as! VQError
            XCTAssertEqual(error.category, .usage)
            XCTAssertTrue(error.message.contains("Did you mean 'scaleway'?"), error.message)
        }
        XCTAssertThrowsError(try ProfileResolver(config: nil, environment: ["VQ_PROFILE": "nope"]).resolve(profileFlag: nil, modelFlag: nil)) {
            XCTAssertEqual(($0 as! VQError).category, .config)
        }
    }

    func testErrorsNameTheLine() {
        let cases: [(String, String)] = [
            ("a = 1\n[profiles.x\n", "c.toml:2: "),
            ("[profiles.x]\nbase_url = \"http://h\"\nmodle = \"m\"\n", "c.toml:3: profile 'x': unknown key 'modle'; did you mean 'model'?"),
            ("[profiles.x]\nmax_images = \"twelve\"\n", "c.toml:2: profile 'x': max_images must be a positive integer"),
            (
                "[profiles.x]\napi = \"soap\"\n",
                "c.toml:2: profile 'x': unknown api 'soap' (known: openai, openai-responses, gemini, anthropic, ollama, masterpiecex, bedrock, vertex, azure)"
            ),
            (
                "\n\n[profiles.x]\nbase_url = \"ftp://h\"\n",
                "c.toml:4: profile 'x': base_url must start with https://, http:// or unix:/// (a socket path) (got 'ftp://h')"
            ),
            ("defualt_profile = \"x\"\n", "c.toml:1: unknown key 'defualt_profile'; did you mean 'default_profile'?"),
            ("[profiles.x]\nimage_urls = \"download\"\n", "c.toml:2: profile 'x': image_urls must be \"pass\" or \"inline\" (got 'download')"),
        ]
        for (text, expected) in cases {
            // An error in a profile section belongs to that profile (reported when it is used); others stop the file.
            let found: VQError
            do {
                let config = try ConfigFile.parse(text, path: "c.toml")
                guard let problem = config.problem(with: "x") else {
                    XCTFail("no error for \(text)")
                    continue
                }
                found = problem
            } catch {
                found = error as! VQError
            }
            XCTAssertEqual(found.category, .config)
            XCTAssertTrue(found.message.hasPrefix(expected), "\(found.message) does not start with \(expected)")
        }
    }

    func testOneBadProfileDoesNotBlockTheOthers() throws {
        let text = "[profiles.good]\nbase_url = \"http://h\"\nmodel = \"m\"\n\n[profiles.bad]\nmodle = \"m\"\n"
        let config = try ConfigFile.parse(text, path: "c.toml")
        let resolver = ProfileResolver(config: config, environment: [:])
        XCTAssertEqual(try resolver.resolve(profileFlag: "good", modelFlag: nil).baseURL, "http://h")
        XCTAssertThrowsError(try resolver.resolve(profileFlag: "bad", modelFlag: nil)) {
            XCTAssertEqual(($0 as! VQError).message, "c.toml:6: profile 'bad': unknown key 'modle'; did you mean 'model'?")
        }
    }

    func testConfigProfileWithoutBaseURLIsAConfigError() throws {
        let config = try ConfigFile.parse("[profiles.new]\nmodel = \"m\"\n", path: "c.toml")
        XCTAssertThrowsError(try ProfileResolver(config: config, environment: [:]).resolve(profileFlag: "new", modelFlag: nil)) {
            XCTAssertEqual(($0 as! VQError).category, .config)
            XCTAssertTrue(($0 as! VQError).message.contains("has no base_url"))
        }
    }

    func testLocatorOrder() {
        XCTAssertEqual(ConfigLocator.locate(flag: "f.toml", environment: ["VQ_CONFIG": "e.toml"]).path, "f.toml")
        XCTAssertEqual(ConfigLocator.locate(flag: nil, environment: ["VQ_CONFIG": "e.toml", "XDG_CONFIG_HOME": "/x"]).path, "e.toml")
        XCTAssertEqual(ConfigLocator.locate(flag: nil, environment: ["XDG_CONFIG_HOME": "/x", "HOME": "/h"]).path, "/x/vq/config.toml")
        XCTAssertEqual(ConfigLocator.locate(flag: nil, environment: ["HOME": "/h"]).path, "/h/.config/vq/config.toml")
    }

    func testMissingExplicitConfigIsAnErrorButMissingDefaultIsNot() throws {
        XCTAssertThrowsError(try ConfigLocator.load(flag: "/nonexistent/vq.toml", environment: [:])) {
            XCTAssertEqual(($0 as! VQError).category, .config)
        }
        XCTAssertNil(try ConfigLocator.load(flag: nil, environment: ["HOME": "/nonexistent"]))
    }
}

/// Non-ASCII text outside strings and comments is reported, never handed to toml++ (which aborts on it).
final class TOMLPreflightTests: XCTestCase {
    func testStrayNonASCIIIsFoundWithItsLine() {
        XCTAssertEqual(TOMLPreflight.firstProblem(in: "a = 1\n[é]\n")?.line, 2)
        XCTAssertEqual(TOMLPreflight.firstProblem(in: "x = \"s\"\né = 1")?.line, 2)
        XCTAssertEqual(TOMLPreflight.firstProblem(in: "x = 1\n\n  [+profiles.s]\n")?.line, 3)
        XCTAssertEqual(TOMLPreflight.firstProblem(in: "[[ {a]]\n")?.line, 1)
        XCTAssertEqual(TOMLPreflight.firstProblem(in: "x = [\n # c\n }\n")?.message, "'}' closes a '[' opened earlier")
        XCTAssertThrowsError(try ConfigFile.parse("[profiles.x]\n[ü]\n", path: "c.toml")) {
            XCTAssertTrue(($0 as! VQError).message.hasPrefix("c.toml:2: a table header must start with a name"), "\($0)")
        }
    }

    func testNonASCIIInStringsAndCommentsIsFine() {
        let text = "# Grüße\n[profiles.\"café\"]\nmodel = \"é\\\"ü\" # ñ\nsystem = '''\nmulti ø\n'''\nx = \"\"\"\nø \\\"\"\" y\"\"\"\nlit = 'ö'\n"
        XCTAssertNil(TOMLPreflight.firstProblem(in: text))
        XCTAssertNil(TOMLPreflight.firstProblem(in: "[[profiles]]\nx = [\n  [ +1, 2 ],\n  [ {a = 1} ],\n]\n[ \"q\" ]\n[ ]\n"))
    }

    func testUnterminatedStringIsNamedAsSuch() {
        for (text, line) in [("a = 1\nmodel = \"pixtral\nb = 2\n", 2), ("model = 'x", 1), ("x = \"a\\\nb\"\n", 1)] {
            let problem = TOMLPreflight.firstProblem(in: text)
            XCTAssertEqual(problem?.line, line, text)
            XCTAssertTrue(problem?.message.hasPrefix("unterminated string") == true, "\(text): \(problem?.message ?? "nil")")
        }
        XCTAssertEqual(TOMLPreflight.firstProblem(in: "a = 1\nx = \"\"\"\nabc\n")?.line, 2)
        XCTAssertTrue(TOMLPreflight.firstProblem(in: "x = '''\nabc")?.message.hasPrefix("unterminated multi-line string") == true)
        XCTAssertNil(TOMLPreflight.firstProblem(in: "x = \"a\\\"b\" # \"\ny = \"c\\\\\"\nz = \"\"\"p \\\n q\"\"\"\n"))
        XCTAssertThrowsError(try ConfigFile.parse("[profiles.x]\nmodel = \"m\n", path: "c.toml")) {
            XCTAssertTrue(($0 as! VQError).message.hasPrefix("c.toml:2: unterminated string"), "\($0)")
        }
    }
}
