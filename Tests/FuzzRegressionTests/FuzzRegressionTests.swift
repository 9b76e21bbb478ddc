import Foundation
import FuzzHarness
import XCTest

/// Replays every fuzz seed and every saved finding (Tests/Fuzz/corpus, Tests/Fuzz/regressions) through the
/// same harness the fuzzers use, so a fixed crash stays fixed in the normal test run.
final class FuzzRegressionTests: XCTestCase {
    let fuzzRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fuzz")

    func testEverySavedInputPassesItsTarget() throws {
        var replayed = 0
        for (name, harness) in FuzzHarness.targets {
            for folder in ["corpus", "regressions"] {
                let directory = fuzzRoot.appendingPathComponent(folder).appendingPathComponent(name)
                let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
                for file in files.sorted() where !file.hasPrefix(".") {
                    harness(try Data(contentsOf: directory.appendingPathComponent(file)))
                    replayed += 1
                }
            }
        }
        XCTAssertGreaterThanOrEqual(replayed, FuzzHarness.targets.count, "every target has at least one seed")
    }

    func testHarnessesCheckWhatTheyClaim() {
        // The split-invariance check really splits: a CR|LF pair across chunks must still be one line end.
        FuzzHarness.sse(Data("\u{01}data: a\r\n\r\ndata: b\r\r".utf8))
        FuzzHarness.ndjson(Data("\u{05}{\"a\":1}\r\n{\"b\":2}".utf8))
        FuzzHarness.argv(Data("--modle\0x".utf8))
        FuzzHarness.framers(Data(repeating: UInt8(ascii: "x"), count: 100))  // 6,400 bytes without a line end
    }
}
