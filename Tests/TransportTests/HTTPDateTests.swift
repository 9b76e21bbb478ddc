import Foundation
import XCTest

@testable import Transport

/// Retry-After's HTTP dates are read as Foundation's DateFormatter read them, and anything else is refused.
final class HTTPDateTests: XCTestCase {
    func testMatchesDateFormatter() {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        for text in ["Sun, 06 Nov 1994 08:49:37 GMT", "Wed, 21 Oct 2015 07:28:00 GMT", "Fri, 29 Feb 2028 23:59:59 GMT", "Thu, 01 Jan 1970 00:00:00 GMT"] {
            XCTAssertEqual(HTTPDate.parse(text), formatter.date(from: text), text)
        }
    }

    func testRefusesOtherText() {
        for text in ["", "120", "Sun, 06 Nov 1994", "Sun, 06 Nov 1994 25:00:00 GMT", "Sun, 06 Foo 1994 08:49:37 GMT", "Sun 06 Nov 1994 08:49:37 GMT"] {
            XCTAssertNil(HTTPDate.parse(text), text)
        }
    }
}
