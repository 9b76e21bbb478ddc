import Platform
import XCTest

/// The request-body JSON writer must produce what a JSON parser reads back, byte-stable and sorted.
final class JSONWriterTests: XCTestCase {
    func testScalarsAndEscapes() {
        let text = String(
            decoding: JSONWriter.data(["b": [1, 2.5, 1.0, true, false, JSONNull()] as [Any], "a": "q\"\\\n\r\t\u{1}/é"] as [String: Any]), as: UTF8.self)
        XCTAssertEqual(text, #"{"a":"q\"\\\n\r\t\u0001/é","b":[1,2.5,1,true,false,null]}"#)
    }

    func testWiderAndNarrowerNumberTypesAreWritten() {
        XCTAssertEqual(JSONWriter.text(["id": Int64(9_000_000_000), "n": Int32(-3), "f": Float(0.5)] as [String: Any]), #"{"f":0.5,"id":9000000000,"n":-3}"#)
    }

    func testRoundTripsThroughJSONSerialization() throws {
        let value: [String: Any] = [
            "model": "m", "messages": [["role": "user", "content": [["type": "text", "text": "Hi \u{7f} 🙂"]]]],
            "temperature": 0.7, "max_tokens": 2048, "stream": true, "stop": ["END", "\n\n"],
        ]
        let parsed = try JSONSerialization.jsonObject(with: JSONWriter.data(value)) as! NSDictionary
        XCTAssertEqual(parsed, value as NSDictionary)
    }

    /// `--json` output keeps the key order and layout Foundation's JSONSerialization gave (sorted keys, pretty
    /// printing), checked against it on keys that differ in case, digits and punctuation.
    func testOutputMatchesJSONSerialization() throws {
        let keys = ["a10", "a2", "B", "a", "image_url", "images", "_x", "Z", "a_b", "aB", "ab", "a-b", "a1", "x9y", "x10y", "f", "Ab", "aa"]
        let object: [String: Any] = Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($1, $0) })
        let nested: [String: Any] = ["list": [1, "two", ["k": "v/w"], [Any](), [String: Any]()] as [Any], "object": object, "none": JSONNull()]
        let expected = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        XCTAssertEqual(JSONWriter.text(object), String(decoding: expected, as: UTF8.self))
        var foundation = nested
        foundation["none"] = NSNull()
        let pretty = try JSONSerialization.data(withJSONObject: foundation, options: [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted])
        XCTAssertEqual(JSONWriter.text(nested, pretty: true), String(decoding: pretty, as: UTF8.self))
    }

    func testWritesEveryIntegerAndFloatingType() {
        let value: [Any] = [Int64(-3), UInt8(7), Int32(9), Float(0.5), 1e-7, UInt64.max]
        XCTAssertEqual(String(decoding: JSONWriter.data(value), as: UTF8.self), "[-3,7,9,0.5,1e-07,18446744073709551615]")
    }
}
