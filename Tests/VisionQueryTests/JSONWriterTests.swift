import XCTest

@testable import VisionQuery

/// The request-body JSON writer must produce what a JSON parser reads back, byte-stable and sorted.
final class JSONWriterTests: XCTestCase {
    func testScalarsAndEscapes() {
        let text = String(
            decoding: JSONWriter.data(["b": [1, 2.5, 1.0, true, false, NSNull()] as [Any], "a": "q\"\\\n\r\t\u{1}/é"] as [String: Any]), as: UTF8.self)
        XCTAssertEqual(text, #"{"a":"q\"\\\n\r\t\u0001/é","b":[1,2.5,1,true,false,null]}"#)
    }

    func testRoundTripsThroughJSONSerialization() throws {
        let value: [String: Any] = [
            "model": "m", "messages": [["role": "user", "content": [["type": "text", "text": "Hi \u{7f} 🙂"]]]],
            "temperature": 0.7, "max_tokens": 2048, "stream": true, "stop": ["END", "\n\n"],
        ]
        let parsed = try JSONSerialization.jsonObject(with: JSONWriter.data(value)) as! NSDictionary
        XCTAssertEqual(parsed, value as NSDictionary)
    }
}
