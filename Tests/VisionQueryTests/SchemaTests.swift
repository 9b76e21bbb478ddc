import Platform
import XCTest

@testable import VisionQuery

/// The order-keeping JSON parser, the schema subset, the concise form, and the validator's first violation.
final class SchemaTests: XCTestCase {
    func testParserKeepsKeyOrderAndNumberText() throws {
        let value = try OrderedJSON.parse(#" {"z": 1.50, "a": [true, null, "x\u00e9\n"], "m": {"k": -2e3}} "#)
        XCTAssertEqual(value.text, #"{"z":1.50,"a":[true,null,"xé\n"],"m":{"k":-2e3}}"#)
        XCTAssertEqual(value["z"]?.typeName, "number")
        XCTAssertEqual(value["m"]?["k"]?.typeName, "integer", "-2e3 is a whole number")
        XCTAssertEqual(try OrderedJSON.parse(#""\ud83d\ude00""#), .string("😀"))
    }

    func testParserRefusesWhatIsNotJSON() {
        let cases: [(String, String)] = [
            ("", "unexpected end of text"), ("{", "unexpected end of text in an object"), ("[1,]", "unexpected character ']'"),
            ("01", "invalid number (leading zero)"), ("1.", "invalid number (no digits after '.')"), ("tru", "invalid literal (expected true)"),
            (#"{"a" 1}"#, "expected ':' after key \"a\""), (#"{"a":1} x"#, "unexpected text after the JSON value"),
            ("\"a\u{1}\"", "control character in a string"), (#"{'a':1}"#, "expected a quoted key"),
        ]
        for (text, message) in cases {
            XCTAssertThrowsError(try OrderedJSON.parse(text), text) { error in
                XCTAssertEqual((error as? OrderedJSON.ParseError)?.message, message, text)
            }
        }
    }

    func testConciseFormBuildsARequiredClosedObject() throws {
        let root = try ConciseSchema.parse("caption, tags [string], people int: how many, outdoor bool, score float, grid [[int]]")
        XCTAssertEqual(root.properties.map(\.name), ["caption", "tags", "people", "outdoor", "score", "grid"])
        XCTAssertEqual(root.required, root.properties.map(\.name))
        XCTAssertFalse(root.additionalProperties)
        XCTAssertTrue(root.isStrictCompatible)
        XCTAssertEqual(root.properties[1].node.types, [.array])
        XCTAssertEqual(root.properties[1].node.items.first?.types, [.string])
        XCTAssertEqual(root.properties[2].node.description, "how many")
        XCTAssertEqual(root.properties[5].node.items.first?.items.first?.types, [.integer])
        let lines = try ConciseSchema.parse("caption: a caption, short\npeople int")
        XCTAssertEqual(lines.properties.map(\.name), ["caption", "people"], "with line breaks, commas belong to descriptions")
        XCTAssertEqual(lines.properties[0].node.description, "a caption, short")
        XCTAssertThrowsError(try ConciseSchema.parse("9lives int"))
        XCTAssertThrowsError(try ConciseSchema.parse("a int extra"))
        XCTAssertThrowsError(try ConciseSchema.parse(" , "))
    }

    func testValidatorNamesTheFirstViolation() throws {
        let schema = try AnswerSchema.load(
            #"""
            {"type":"object","properties":{
              "mood":{"enum":["happy","sad"]},
              "count":{"type":"integer","minimum":0,"maximum":10},
              "ratio":{"type":"number"},
              "tags":{"type":"array","items":{"type":"string","minLength":2},"maxItems":3},
              "note":{"type":["string","null"],"maxLength":5},
              "inner":{"type":"object","properties":{"ok":{"type":"boolean"}},"required":["ok"],"additionalProperties":false}},
             "required":["mood","count"],"additionalProperties":false}
            """#, origin: "test")
        let cases: [(String, String?)] = [
            (#"{"mood":"happy","count":3}"#, nil),
            (#"{"mood":"happy","count":3,"ratio":2,"note":null,"tags":["ab"],"inner":{"ok":true}}"#, nil),
            (#"{"mood":"happy","count":3.0}"#, nil),
            (#"{"count":3}"#, "$: missing required property 'mood'"),
            (#"{"mood":"angry","count":3}"#, #"$.mood: "angry" is not one of "happy", "sad""#),
            (#"{"mood":"sad","count":3.5}"#, "$.count: expected integer, got number 3.5"),
            (#"{"mood":"sad","count":11}"#, "$.count: 11 is above the maximum 10"),
            (#"{"mood":"sad","count":-1}"#, "$.count: -1 is below the minimum 0"),
            (#"{"mood":"sad","count":1,"tags":["ab","c"]}"#, "$.tags[1]: 1 character(s), at least 2 required"),
            (#"{"mood":"sad","count":1,"tags":["ab","ab","ab","ab"]}"#, "$.tags: 4 item(s), at most 3 allowed"),
            (#"{"mood":"sad","count":1,"note":"too long"}"#, "$.note: 8 character(s), at most 5 allowed"),
            (#"{"mood":"sad","count":1,"inner":{}}"#, "$.inner: missing required property 'ok'"),
            (#"{"mood":"sad","count":1,"inner":{"ok":1}}"#, "$.inner.ok: expected boolean, got integer 1"),
            (#"{"mood":"sad","count":1,"extra":1}"#, "$: unexpected property 'extra'"),
            (#"["mood"]"#, #"$: expected object, got array ["mood"]"#),
        ]
        for (answer, violation) in cases {
            XCTAssertEqual(SchemaValidator.firstViolation(try OrderedJSON.parse(answer), against: schema.root), violation, answer)
        }
        XCTAssertFalse(schema.root.isStrictCompatible, "not every property is required")
    }

    func testAFencedAnswerIsUnwrapped() throws {
        let schema = try AnswerSchema.load("n int", origin: "test")
        XCTAssertEqual(try StructuredAnswer.check("```json\n{\"n\": 2}\n```\n", against: schema).text, #"{"n":2}"#)
        XCTAssertThrowsError(try StructuredAnswer.check("The answer is {\"n\": 2}", against: schema)) { error in
            XCTAssertEqual((error as? VQError)?.category, .nonConforming)
        }
    }

    func testSchemaSubsetIsCheckedBeforeSending() {
        let cases: [(String, String)] = [
            (#"{"type":"object","properties":{"a":{"type":"string","pattern":"x"}}}"#, "test: $.properties.a: unsupported keyword 'pattern'"),
            (#"{"type":"object","properties":{},"required":["a"]}"#, "test: $: required names 'a', which is not in properties"),
            (#"{"type":"object","additionalProperties":{"type":"string"}}"#, "test: $: additionalProperties must be true or false"),
            (#"{"type":"string"}"#, "test: the top level must be an object schema"),
            (#"{"type":"object","properties":{"a":{"type":"string","items":{}}}}"#, "test: $.properties.a: items is given but the type is not array"),
        ]
        for (text, message) in cases {
            XCTAssertThrowsError(try AnswerSchema.load(text, origin: "test"), text) { error in
                XCTAssertEqual((error as? VQError)?.category, .usage, text)
                XCTAssertTrue((error as? VQError)?.message.hasPrefix(message) == true, "\(text): \(error)")
            }
        }
    }

    func testGeminiGetsItsOwnSchemaForm() throws {
        let schema = try AnswerSchema.load(
            #"{"type":"object","properties":{"b":{"type":["integer","null"]},"a":{"type":"array","items":{"type":"string","enum":["x"]}}},"required":["a"],"additionalProperties":false}"#,
            origin: "test")
        let object = GeminiSchema.object(for: schema.root)
        XCTAssertEqual(object["type"] as? String, "OBJECT")
        XCTAssertEqual(object["propertyOrdering"] as? [String], ["b", "a"])
        XCTAssertNil(object["additionalProperties"], "Gemini's Schema has no additionalProperties")
        let properties = try XCTUnwrap(object["properties"] as? [String: [String: Any]])
        XCTAssertEqual(properties["b"]?["type"] as? String, "INTEGER")
        XCTAssertEqual(properties["b"]?["nullable"] as? Bool, true)
        XCTAssertEqual((properties["a"]?["items"] as? [String: Any])?["enum"] as? [String], ["x"])
    }
}
