import Foundation
import Platform
import XCTest

/// JSONReader gives the values JSONSerialization gave, as plain Swift values: whole numbers as Int, others as
/// Double, JSON's null as JSONNull; it refuses what JSONSerialization refused.
final class JSONReaderTests: XCTestCase {
    func testValuesAndTypes() throws {
        let value = try XCTUnwrap(
            try JSONReader.value(Data(#"{"i": 3, "w": 3.0, "d": 1.5, "e": 1e2, "t": true, "n": null, "s": "x\u00e9\ud83d\ude42", "a": [1, "b"]}"#.utf8))
                as? [String: Any])
        XCTAssertEqual(value["i"] as? Int, 3)
        XCTAssertEqual(value["w"] as? Int, 3)
        XCTAssertEqual(value["d"] as? Double, 1.5)
        XCTAssertEqual(value["e"] as? Int, 100)
        XCTAssertEqual(value["t"] as? Bool, true)
        XCTAssertNil(value["t"] as? Int, "a boolean is not a number")
        XCTAssertTrue(value["n"] is JSONNull)
        XCTAssertEqual(value["s"] as? String, "xé🙂")
        XCTAssertEqual((value["a"] as? [Any])?.count, 2)
    }

    func testHugeIntegersBecomeDoubles() throws {
        let value = try XCTUnwrap(try JSONReader.value("[12345678901234567890, -1e300, 9007199254740993]") as? [Any])
        XCTAssertEqual(value[0] as? Double, 12_345_678_901_234_567_890)
        XCTAssertEqual(value[1] as? Double, -1e300)
        XCTAssertEqual(value[2] as? Int, 9_007_199_254_740_993)
    }

    /// (JSONSerialization also took a trailing comma, `[1,]`; JSONReader, like RFC 8259, does not.)
    func testRefusesWhatJSONSerializationRefuses() {
        XCTAssertThrowsError(try JSONReader.value("[1,]"))
        for text in ["", "{", "{\"a\" 1}", "tru", "01", "\"\u{1}\"", "[1] x", "\"\\ud800\"", "{'a': 1}", "NaN"] {
            XCTAssertThrowsError(try JSONReader.value(text), text.debugDescription)
            XCTAssertThrowsError(try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]), text.debugDescription)
        }
    }

    func testAgreesWithJSONSerializationOnRecordedShapes() throws {
        let documents = [
            #"{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1700000000,"model":"m","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]}"#,
            #"{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":12}}"#,
            #"{"candidates":[{"content":{"parts":[{"text":"a/b \"q\""}]}}],"usageMetadata":{"promptTokenCount":5,"totalTokenCount":9}}"#,
            #"{"error":{"message":"bad","code":null,"param":"x"}}"#,
        ]
        for text in documents {
            let ours = JSONWriter.data(try JSONReader.value(text))
            var theirs = try JSONSerialization.jsonObject(with: Data(text.utf8))
            theirs = try JSONSerialization.jsonObject(with: JSONSerialization.data(withJSONObject: theirs, options: [.sortedKeys]))
            let again = try JSONSerialization.jsonObject(with: ours)
            XCTAssertEqual(again as? NSDictionary, theirs as? NSDictionary, text)
        }
    }
}

/// ByteSearch finds what Foundation's Data.range(of:in:) found.
final class ByteSearchTests: XCTestCase {
    func testMatchesFoundation() {
        let haystack = Data("xxabcab-abcabd--abcabd".utf8)
        for needle in ["abcabd", "ab", "d", "-", "zz", "xxabcab-abcabd--abcabd", "xxabcab-abcabd--abcabdX"] {
            let wanted = Data(needle.utf8)
            for start in [0, 1, 5, 16] {
                let bounds = haystack.startIndex + start..<haystack.endIndex
                XCTAssertEqual(
                    ByteSearch.firstRange(of: wanted, in: haystack, bounds: bounds), haystack.range(of: wanted, in: bounds), "\(needle) from \(start)")
            }
        }
        let slice = haystack[4...]
        XCTAssertEqual(ByteSearch.firstRange(of: Data("abd".utf8), in: Data(slice)), Data(slice).range(of: Data("abd".utf8)))
    }
}
