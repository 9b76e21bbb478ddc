import Foundation
import History
import VisionQuery
import XCTest

@testable import VQCLI

/// `vq logs --cost [--since AGE] [--by KEY]` become a typed action; `--since` and `--by` without `--cost` are refused.
final class LogsCostOptionsTests: XCTestCase {
    private func logs(_ argv: [String]) throws -> LogsOptions {
        guard case .logs(let options) = try Invocation.from(["logs"] + argv) else { throw VQError(.internal, "not logs") }
        return options
    }

    func testCostActionAndGrouping() throws {
        XCTAssertEqual(try logs(["--cost"]).action, .cost(since: nil, by: .model))
        XCTAssertEqual(try logs(["--cost", "--by", "day"]).action, .cost(since: nil, by: .day))
        guard case .cost(let since, .profile) = try logs(["--cost", "--since", "7d", "--by", "profile"]).action else {
            return XCTFail("not a cost action")
        }
        XCTAssertEqual(try XCTUnwrap(since).timeIntervalSinceNow, -7 * 86400, accuracy: 60)
    }

    func testSinceForms() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        XCTAssertEqual(try LogsOptions.moment("30m", now: now), now.addingTimeInterval(-1800))
        XCTAssertEqual(try LogsOptions.moment("12h", now: now), now.addingTimeInterval(-43200))
        XCTAssertEqual(try LogsOptions.moment("4w", now: now), now.addingTimeInterval(-4 * 604_800))
        XCTAssertEqual(HistoryTimestamp.text(try LogsOptions.moment("2026-12-01", now: now), milliseconds: false), "2026-12-01T00:00:00Z")
        XCTAssertThrowsError(try LogsOptions.moment("yesterday", now: now)) { error in
            XCTAssertTrue((error as? VQError)?.message.contains("invalid value 'yesterday' for '--since'") == true)
        }
    }

    func testSinceAndByNeedCost() {
        for argv in [["--since", "7d"], ["--by", "day"]] {
            XCTAssertThrowsError(try logs(argv)) { error in
                XCTAssertEqual((error as? VQError)?.category, .usage)
                XCTAssertTrue((error as? VQError)?.message.contains("goes with '--cost'") == true)
            }
        }
        XCTAssertThrowsError(try logs(["--cost", "--by", "week"]))
    }
}
