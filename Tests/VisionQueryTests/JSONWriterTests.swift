import XCTest

@testable import VisionQuery

/// The request-body JSON writer must produce what a JSON parser reads back, byte-stable and sorted.
final class JSONWriterTests: XCTestCase {
    func testScalarsAndEscapes() {
        let text = String(
            decoding: JSONWriter.data(["b": [1, 2.5, 1.0, true, false, NSNull()] as [Any], "a": "q\"\\\n\r\t\u{1}/é"] as [String: Any]), as: UTF8.self)
        XCTAssertEqual(text, #"{"a":"q\"\\\n\r\t\u0001/é","b":[1,2.5,1,true,false,null]}"#)
    }

    func testFoundationNumbersKeepTheirKindAndWiderIntegersAreWritten() throws {
        // JSONSerialization's true and 1 both cast to Bool; the writer must tell them apart.
        let parsed = try JSONSerialization.jsonObject(with: Data("[1, true, 0, false, 2.5, 12345678901234]".utf8))
        XCTAssertEqual(String(decoding: JSONWriter.data(parsed), as: UTF8.self), "[1,true,0,false,2.5,12345678901234]")
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
}
