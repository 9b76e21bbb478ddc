import TestSupport
import XCTest

/// `--schema` end to end through the binary: each api gets the schema in its own field (the stub refuses a request
/// without it and answers from the schema it received), the answer is checked before one JSON document is printed,
/// a breaking or non-JSON answer exits 79, a bad schema exits 64 with nothing sent, `schema_support = false` puts
/// the schema into the prompt, and `vq batch` puts the object in `output`.
final class SchemaEndToEndTests: EndToEndCase {
    static let concise = "caption, tags [string], people int: how many people, outdoor bool"
    static let apis = ["openai", "openai-responses", "gemini", "anthropic", "ollama"]

    override func setUpWithError() throws {
        try super.setUpWithError()
        try jpeg("a.jpg")
    }

    private func run(_ server: StructuredOutputStubServer, _ arguments: [String], extra: String = "") throws -> VQProcess.Result {
        try vq(arguments, baseURL: server.baseURL, extraConfig: "api = \"\(server.api)\"\n" + extra)
    }

    private func object(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return try XCTUnwrap(value as? [String: Any], text, file: file, line: line)
    }

    func testEveryAPIGetsTheSchemaInItsOwnFieldAndTheAnswerIsChecked() throws {
        for api in Self.apis {
            let server = try StructuredOutputStubServer(api: api)
            for streaming in [true, false] {
                let result = try run(server, ["--schema", Self.concise] + (streaming ? [] : ["--no-stream"]) + ["Describe", "a.jpg"])
                XCTAssertEqual(result.status, 0, "\(api): \(result.stderr)")
                XCTAssertEqual(result.stdout.filter { $0 == "\n" }.count, 1, "\(api): one line: \(result.stdout)")
                let answer = try object(result.stdout)
                XCTAssertEqual(answer["caption"] as? String, "text", "\(api): \(result.stdout)")
                XCTAssertEqual(answer["tags"] as? [String], ["text", "text"], "\(api): \(result.stdout)")
                XCTAssertEqual(answer["people"] as? Int, 3, "\(api): \(result.stdout)")
                XCTAssertEqual(answer["outdoor"] as? Bool, true, "\(api): \(result.stdout)")
                assertKeyNeverShown(result)
            }
            let body = try XCTUnwrap(server.requests.last?.json() as? [String: Any])
            let schema = try XCTUnwrap(StructuredOutputStubServer.wireSchema(api: api, body: body), "\(api): no schema field")
            let properties = try XCTUnwrap(schema["properties"] as? [String: Any], "\(api)")
            XCTAssertEqual(Set(properties.keys), ["caption", "tags", "people", "outdoor"], api)
            XCTAssertEqual(Set(schema["required"] as? [String] ?? []), ["caption", "tags", "people", "outdoor"], api)
            XCTAssertEqual((properties["people"] as? [String: Any])?["description"] as? String, "how many people", api)
        }
    }

    func testTheConciseFormIsAStrictObjectSchema() throws {
        let server = try StructuredOutputStubServer(api: "openai")
        let result = try run(server, ["--schema", Self.concise, "Describe", "a.jpg"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let body = try XCTUnwrap(server.requests.first?.json() as? [String: Any])
        let format = try XCTUnwrap((body["response_format"] as? [String: Any])?["json_schema"] as? [String: Any])
        XCTAssertEqual(format["strict"] as? Bool, true)
        XCTAssertEqual(format["name"] as? String, "answer")
        let schema = try XCTUnwrap(format["schema"] as? [String: Any])
        XCTAssertEqual(schema["type"] as? String, "object")
        XCTAssertEqual(schema["additionalProperties"] as? Bool, false)
        let properties = try XCTUnwrap(schema["properties"] as? [String: [String: Any]])
        XCTAssertEqual(properties["caption"]?["type"] as? String, "string")
        XCTAssertEqual(properties["tags"]?["type"] as? String, "array")
        XCTAssertEqual((properties["tags"]?["items"] as? [String: Any])?["type"] as? String, "string")
        XCTAssertEqual(properties["people"]?["type"] as? String, "integer")
        XCTAssertEqual(properties["outdoor"]?["type"] as? String, "boolean")
        try assertConformsToOpenAISchema(server.requests.map(\.body))
    }

    func testASchemaFileKeepsItsOrderAndIsSentNonStrictWhenItAllowsOptionalProperties() throws {
        let schema =
            #"{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","properties":{"zebra":{"type":"string","enum":["yes","no"]},"alpha":{"type":["integer","null"],"minimum":0}},"required":["zebra"]}"#
        try schema.write(to: directory.appendingPathComponent("answer.json"), atomically: true, encoding: .utf8)
        let server = try StructuredOutputStubServer(api: "openai")
        let result = try run(server, ["--schema", "answer.json", "Describe", "a.jpg"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, #"{"alpha":3,"zebra":"yes"}"# + "\n", "printed as the model wrote it")
        let body = try XCTUnwrap(server.requests.first?.json() as? [String: Any])
        let format = try XCTUnwrap((body["response_format"] as? [String: Any])?["json_schema"] as? [String: Any])
        XCTAssertEqual(format["strict"] as? Bool, false, "strict mode needs every property required")
        XCTAssertNil((format["schema"] as? [String: Any])?["$schema"], "annotations vq does not check are not sent")
    }

    func testABreakingAnswerExits79NamingTheViolation() throws {
        for api in Self.apis {
            let server = try StructuredOutputStubServer(api: api, answer: .breaking)
            let result = try run(server, ["--schema", Self.concise, "Describe", "a.jpg"])
            XCTAssertEqual(result.status, 79, "\(api): \(result.stderr)")
            XCTAssertEqual(result.stdout, "", "\(api): nothing on stdout")
            XCTAssertEqual(result.stderr, "vq: error: the answer breaks the schema: $.outdoor: expected boolean, got string \"many\"\n", api)
        }
    }

    func testJSONKeepsTheRawAnswerBesideTheError() throws {
        let server = try StructuredOutputStubServer(api: "openai", answer: .breaking)
        let result = try run(server, ["--json", "--schema", Self.concise, "Describe", "a.jpg"])
        XCTAssertEqual(result.status, 79, result.stderr)
        let failure = try object(result.stdout)
        let raw = try XCTUnwrap(failure["text"] as? String)
        XCTAssertTrue(raw.contains(#""outdoor":"many""#), raw)
        XCTAssertEqual(failure["error"] as? String, "the answer breaks the schema: $.outdoor: expected boolean, got string \"many\"")
        XCTAssertTrue(failure["output"] is NSNull)
        XCTAssertEqual(failure["exit_code"] as? Int, 79, "the object says the exit code vq returns")

        let good = try StructuredOutputStubServer(api: "anthropic")
        let ok = try run(good, ["--json", "--schema", Self.concise, "Describe", "a.jpg"])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        let done = try object(ok.stdout)
        XCTAssertEqual((done["output"] as? [String: Any])?["people"] as? Int, 3, ok.stdout)
        XCTAssertTrue(done["error"] is NSNull)
    }

    func testAnAnswerThatIsNotJSONExits79() throws {
        let server = try StructuredOutputStubServer(api: "ollama", answer: .prose)
        let result = try run(server, ["--schema", Self.concise, "Describe", "a.jpg"])
        XCTAssertEqual(result.status, 79, result.stderr)
        XCTAssertEqual(result.stdout, "")
        XCTAssertTrue(result.stderr.hasPrefix("vq: error: the answer is not JSON (unexpected character 'S' at byte 0): Sure!"), result.stderr)
    }

    func testABadSchemaExits64AndSendsNothing() throws {
        let server = try StructuredOutputStubServer(api: "openai")
        try "{\"type\": \"object\", ".write(to: directory.appendingPathComponent("broken.json"), atomically: true, encoding: .utf8)
        let cases: [(String, String)] = [
            ("broken.json", "vq: error: --schema broken.json: not valid JSON: unexpected end of text in an object at byte 19\n"),
            (
                #"{"type":"object","properties":{"n":{"type":"int"}}}"#,
                "vq: error: --schema: $.properties.n: unsupported type \"int\" (supported: object, array, string, integer, number, boolean, null)\n"
            ),
            (#"{"type":"object","properties":{"n":{"anyOf":[]}}}"#, "vq: error: --schema: $.properties.n: unsupported keyword 'anyOf'"),
            (#"{"type":"array","items":{"type":"string"}}"#, "vq: error: --schema: the top level must be an object schema"),
            ("caption, people integr", "vq: error: --schema: unknown type 'integr' for 'people' (known: string, int, number, bool, or [TYPE] for a list)\n"),
            ("caption, caption", "vq: error: --schema: property 'caption' is given twice\n"),
        ]
        for (schema, message) in cases {
            let result = try run(server, ["--schema", schema, "Describe", "a.jpg"])
            XCTAssertEqual(result.status, 64, "\(schema): \(result.stderr)")
            XCTAssertTrue(result.stderr.hasPrefix(message), "\(schema): \(result.stderr)")
            XCTAssertEqual(result.stdout, "")
        }
        let missing = try run(server, ["--schema", "nowhere/answer.json", "Describe", "a.jpg"])
        XCTAssertEqual(missing.status, 66, missing.stderr)
        XCTAssertEqual(missing.stderr, "vq: error: --schema: nowhere/answer.json: no such file\n")
        XCTAssertTrue(server.requests.isEmpty, "nothing is sent for a bad schema")
    }

    func testWithoutSchemaSupportTheSchemaGoesIntoThePromptAndIsStillChecked() throws {
        for api in ["openai", "anthropic", "gemini"] {
            let server = try StructuredOutputStubServer(api: api, schemaInPrompt: true)
            let result = try run(server, ["--schema", Self.concise, "Describe", "a.jpg"], extra: "schema_support = false")
            XCTAssertEqual(result.status, 0, "\(api): \(result.stderr)")
            XCTAssertEqual(result.stdout, #"{"caption":"text","outdoor":true,"people":3,"tags":["text","text"]}"# + "\n", "\(api): the code fence is removed")
            let breaking = try StructuredOutputStubServer(api: api, answer: .breaking, schemaInPrompt: true)
            let refused = try run(breaking, ["--schema", Self.concise, "Describe", "a.jpg"], extra: "schema_support = false")
            XCTAssertEqual(refused.status, 79, "\(api): \(refused.stderr)")
        }
    }

    func testBatchPutsTheObjectInOutput() throws {
        _ = try png("b.png", width: 5, height: 5)
        let server = try StructuredOutputStubServer(api: "gemini")
        let result = try run(server, ["batch", "--schema", Self.concise, "Describe", "a.jpg", "b.png"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = try result.stdout.split(separator: "\n").map { try object(String($0)) }
        XCTAssertEqual(lines.count, 2)
        for line in lines {
            let output = try XCTUnwrap(line["output"] as? [String: Any], "\(line)")
            XCTAssertEqual(output["people"] as? Int, 3)
            XCTAssertTrue(line["error"] is NSNull)
        }

        let breaking = try StructuredOutputStubServer(api: "gemini", answer: .breaking)
        let failed = try run(breaking, ["batch", "--schema", Self.concise, "Describe", "a.jpg"])
        XCTAssertEqual(failed.status, 1, failed.stderr)
        let line = try object(failed.stdout)
        XCTAssertEqual(line["error"] as? String, "the answer breaks the schema: $.outdoor: expected boolean, got string \"many\"")
        XCTAssertTrue((line["output"] as? String)?.contains(#""outdoor":"many""#) == true, "the raw answer is kept: \(line)")
    }
}
