import Foundation
import VisionQuery
import XCTest

@testable import VQCLI

final class BatchTallyTests: XCTestCase {
    func testTheEstimateComesFromTheCompletionsNotTheStartUp() {
        let tally = BatchTally(total: 10)
        let start = Date()
        // A slow start (8 s before the first answer), then one answer a second.
        let first = tally.record(BatchResult(image: "a.png"), now: start.addingTimeInterval(8))
        XCTAssertEqual(first?.full, "batch: 1/10 done, 0 failed", "one completion gives no pace yet")
        let second = tally.record(BatchResult(image: "b.png"), now: start.addingTimeInterval(9))
        XCTAssertEqual(second?.full, "batch: 2/10 done, 0 failed, 1.0/s, ETA 8.0 s")
        XCTAssertEqual(second?.short, "2/10, 0 failed, ETA 8.0 s")
    }

    func testProgressLinesFitTheWidth() {
        let forms = ["vq: batch: 2/10 done, 0 failed, 1.0/s, ETA 8.0 s", "vq: 2/10, 0 failed, ETA 8.0 s"]
        XCTAssertEqual(ProgressLine.fit(forms, columns: 80), forms[0])
        XCTAssertEqual(ProgressLine.fit(forms, columns: 40), forms[1])
        XCTAssertEqual(ProgressLine.fit(forms, columns: 20), "vq: 2/10, 0 failed…")
        XCTAssertEqual(ProgressLine.fit(forms, columns: 20).count, 19)
    }
}
