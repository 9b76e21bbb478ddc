import VisionQuery
import XCTest

@testable import VQCLI

/// `vq gen`'s options: every value checked before anything is read or sent, shared names (`-n`, `--quality`,
/// `--format`) read with gen's meaning.
final class GenOptionsTests: XCTestCase {
    private func generation(_ argv: [String]) throws -> ImageGeneration {
        guard case .gen(let options, _) = try Invocation.from(["gen"] + argv) else { throw VQError(.usage, "not a gen invocation") }
        return try XCTUnwrap(options.generation)
    }

    private func usageError(_ argv: [String]) -> String? {
        do {
            _ = try Invocation.from(["gen"] + argv)
            return nil
        } catch {
            XCTAssertEqual(error.category, .usage, error.message)
            return error.message
        }
    }

    func testEveryOptionIsRead() throws {
        let generation = try generation([
            "-n", "3", "--size", "1536x1024", "--aspect", "3:2", "--quality", "HIGH", "--background", "transparent", "--format", "webp",
            "--compression", "70", "--moderation", "low", "--fidelity", "high", "--partial-images", "2", "--mask", "m.png", "--no-metadata",
            "a fox", "a.png",
        ])
        XCTAssertEqual(generation.count, 3)
        XCTAssertEqual(generation.size, PixelDimensions(width: 1536, height: 1024))
        XCTAssertEqual(generation.aspect, AspectRatio(width: 3, height: 2))
        XCTAssertEqual(generation.quality, "high")
        XCTAssertEqual(generation.background, "transparent")
        XCTAssertEqual(generation.format, "webp")
        XCTAssertEqual(generation.compression, 70)
        XCTAssertEqual(generation.moderation, "low")
        XCTAssertEqual(generation.inputFidelity, "high")
        XCTAssertEqual(generation.partialImages, 2)
        XCTAssertEqual(generation.mask, "m.png")
        XCTAssertFalse(generation.metadata)
        XCTAssertTrue(try self.generation(["--size", "auto", "x"]).automaticSize)
    }

    func testBadValuesAreUsageErrorsNamingTheOption() {
        let cases: [([String], String)] = [
            (["--size", "big", "x"], "'--size'"), (["--aspect", "16x9", "x"], "'--aspect'"), (["--quality", "85", "x"], "'--quality'"),
            (["-n", "0", "x"], "'--count'"), (["--compression", "101", "x"], "'--compression'"), (["--format", "gif", "x"], "'--format'"),
            (["--partial-images", "4", "x"], "'--partial-images'"), (["--background", "transparent", "--format", "jpeg", "x"], "JPEG"),
            (["--mask", "m.png", "x"], "'--mask' edits an image"), (["  "], "missing PROMPT"), (["--temperature", "1", "x"], "does not apply"),
        ]
        for (argv, expected) in cases {
            let message = usageError(argv)
            XCTAssertTrue(message?.contains(expected) == true, "\(argv): \(message ?? "no error")")
        }
    }

    /// A prompt list's line names each option as the command line does (`size` for `--size`, `n` for `-n`), so the
    /// two must not drift apart.
    func testEachFlagIsNamedAsAPromptLineNamesItsOption() {
        XCTAssertEqual(Set(GenOptions.flags.map(\.1)), Set(ImageGeneration.Option.allCases), "every image-maker option has its flag")
        for (flag, option) in GenOptions.flags {
            XCTAssertEqual(option.rawValue, option == .count ? "-n" : "--\(flag.rawValue)")
            XCTAssertEqual(ImageGeneration.name(of: option), option == .count ? "n" : flag.rawValue)
        }
        XCTAssertEqual(usageError(["--size", "huge", "x"]), "invalid value 'huge' for '--size': expected WIDTHxHEIGHT such as 1024x1024, or auto")
    }
}
