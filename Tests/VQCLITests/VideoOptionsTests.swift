import VisionQuery
import XCTest

@testable import VQCLI

/// `--frames`, `--fps`, `--start` and `--end`: parsed into `QueryOptions.video`, bad values refused naming the option.
final class VideoOptionsTests: XCTestCase {
    private func options(_ argv: [String]) throws -> QueryOptions {
        guard case .query(let options) = try Invocation.from(argv) else {
            XCTFail("not a query: \(argv)")
            return QueryOptions()
        }
        return options
    }

    func testAcceptedValues() throws {
        XCTAssertEqual(try options(["--frames", "8", "hi", "a.mp4"]).video, VideoClip(frames: 8))
        XCTAssertEqual(try options(["--fps", "0.5", "hi"]).video, VideoClip(fps: 0.5))
        XCTAssertEqual(try options(["--start", "1:20", "--end=2:05.5", "hi"]).video, VideoClip(start: 80, end: 125.5))
        XCTAssertEqual(try options(["--start", "1:00:00", "hi"]).video.start, 3600)
        XCTAssertTrue(try options(["hi"]).video.isWholeVideo)
        guard case .batch(let batch) = try Invocation.from(["batch", "--frames", "4", "hi", "dir"]) else { return XCTFail("not a batch") }
        XCTAssertEqual(batch.query.video.frames, 4)
    }

    func testRejectedValuesNameTheOption() {
        let cases: [([String], String)] = [
            (["--frames", "0", "hi"], "invalid value '0' for '--frames': expected a whole number from 1 to 1000"),
            (["--frames", "two", "hi"], "invalid value 'two' for '--frames'"),
            (["--fps", "0", "hi"], "invalid value '0' for '--fps': expected a number above 0 to 60"),
            (["--fps", "x", "hi"], "invalid value 'x' for '--fps': expected a number"),
            (["--start", "1:75", "hi"], "invalid value '1:75' for '--start': expected seconds, M:SS or H:MM:SS"),
            (["--end", "-3", "hi"], "invalid value '-3' for '--end'"),
            (["--start", "2:00", "--end", "1:00", "hi"], "'--end' (01:00.0) must be after '--start' (02:00.0)"),
            (["--frames", "4", "--fps", "1", "hi"], "'--frames' and '--fps' cannot be used together"),
        ]
        for (argv, message) in cases {
            XCTAssertThrowsError(try Invocation.from(argv), "\(argv)") { error in
                XCTAssertEqual((error as? VQError)?.category, .usage, "\(argv)")
                XCTAssertTrue((error as? VQError)?.message.hasPrefix(message) == true, "\(argv): \(error)")
            }
        }
    }
}
