import Foundation
import TestSupport
import XCTest

/// `vq compare` and `vq eval` through the binary against the OpenAI stub, which answers "Saw N image(s): png WxH."
/// and reports 10 + N prompt and 7 completion tokens. Two profiles reach it with different models.
final class CompareEvalEndToEndTests: EndToEndCase {
    private var server: OpenAIStubServer!

    override func setUpWithError() throws {
        try super.setUpWithError()
        server = try OpenAIStubServer()
        _ = try png("meter.png", width: 8, height: 6)
    }

    override func tearDownWithError() throws {
        server.stop()
        try super.tearDownWithError()
    }

    /// A second profile on the stub, and prices for the first profile's model only.
    private var extra: String {
        "\n[profiles.other]\nbase_url = \"\(server.baseURL)\"\nmodel = \"stub-vision-2\"\nkey_env = \"STUB_KEY\"\n"
            + "[prices.\"stub-vision-1\"]\ninput = 1000\noutput = 2000\n"
    }

    private var environment: [String: String] {
        get throws {
            [
                "VQ_CONFIG": try writeConfig(baseURL: server.baseURL, extra: extra), "STUB_KEY": Self.key,
                "VQ_LOG_DB": directory.appendingPathComponent("l.db").path,
            ]
        }
    }

    func testCompareJSONIsKeyedByProfile() throws {
        let result = try VQProcess.run(
            ["compare", "-p", "stub", "-p", "other", "--json", "Read the meter", "meter.png"], environment: try environment, directory: directory)
        XCTAssertEqual(result.status, 0, result.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: [String: Any]], result.stdout)
        XCTAssertEqual(Set(object.keys), ["stub", "other"])
        XCTAssertEqual(object["stub"]?["text"] as? String, "Saw 1 image(s): png 8x6.")
        XCTAssertEqual(object["other"]?["model"] as? String, "stub-vision-2")
        XCTAssertEqual((object["stub"]?["cost"] as? [String: Any])?["usd"] as? Double, 0.025)
        XCTAssertEqual((object["other"]?["cost"] as? [String: Any])?["usd"] as? String, "unknown")
        XCTAssertNotNil(object["stub"]?["latency_s"] as? Double)
        XCTAssertEqual(server.seen.count, 2)
    }

    func testCompareLayoutsOnAPipeAndOnTerminalsWideAndNarrow() throws {
        let arguments = ["compare", "-p", "stub", "-p", "other", "Read the meter", "meter.png"]
        let piped = try VQProcess.run(arguments, environment: try environment, directory: directory)
        XCTAssertEqual(piped.status, 0, piped.stderr)
        XCTAssertTrue(piped.stdout.hasPrefix("=== stub (stub-vision-1) ===\nSaw 1 image(s): png 8x6.\n["), piped.stdout)
        XCTAssertTrue(piped.stdout.contains("\n\n=== other (stub-vision-2) ===\n"), piped.stdout)
        XCTAssertTrue(piped.stdout.contains("11 in / 7 out tokens · $0.025]"), piped.stdout)

        var wide = try environment
        wide["COLUMNS"] = "120"
        let side = try VQProcess.runOnTerminal(arguments, environment: wide, directory: directory)
        XCTAssertEqual(side.status, 0, side.stdout)
        let rows = side.stdout.replacingOccurrences(of: "\r", with: "").split(separator: "\n")
        XCTAssertTrue(rows.contains { $0.hasPrefix("stub (stub-vision-1)") && $0.contains(" │ other (stub-vision-2)") }, side.stdout)
        XCTAssertTrue(rows.contains { $0.contains("Saw 1 image(s): png 8x6.") && $0.contains("│ Saw 1 image(s)") }, side.stdout)

        var narrow = try environment
        narrow["COLUMNS"] = "50"
        let stacked = try VQProcess.runOnTerminal(arguments, environment: narrow, directory: directory)
        XCTAssertTrue(stacked.stdout.contains("=== stub (stub-vision-1) ==="), stacked.stdout)
        XCTAssertFalse(stacked.stdout.contains("│"), stacked.stdout)
    }

    func testCompareNeedsTwoTargetsAndOtherCommandsOneProfile() throws {
        let one = try VQProcess.run(["compare", "-p", "stub", "q", "meter.png"], environment: try environment, directory: directory)
        XCTAssertEqual(one.status, 64)
        XCTAssertTrue(one.stderr.contains("needs two or more profiles"), one.stderr)
        let query = try VQProcess.run(["-p", "stub", "-p", "other", "q", "meter.png"], environment: try environment, directory: directory)
        XCTAssertEqual(query.status, 64)
        XCTAssertTrue(query.stderr.contains("only 'vq compare' and 'vq eval'"), query.stderr)
        XCTAssertEqual(server.seen.count, 0)
    }

    private func writeCases(_ lines: [String]) throws -> String {
        let path = directory.appendingPathComponent("cases.jsonl").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func testEvalScoresEveryKindAndGatesOnMinScore() throws {
        let cases = try writeCases([
            #"{"id":"exact","images":["meter.png"],"prompt":"q","expect":{"exact":"Saw 1 image(s): png 8x6."}}"#,
            #"{"id":"contains","images":["meter.png"],"prompt":"q","expect":{"contains":["png","8X6"]}}"#,
            #"{"id":"regex","images":["meter.png"],"prompt":"q","expect":{"regex":"\\d+x\\d+"}}"#,
            #"{"id":"numeric","images":["meter.png"],"prompt":"q","expect":{"numeric":1.2,"tolerance":0.25}}"#,
            #"{"id":"fields","images":["meter.png"],"prompt":"q","expect":{"fields":{"reading":1}}}"#,
        ])
        let out = directory.appendingPathComponent("results.jsonl").path
        let result = try VQProcess.run(
            ["eval", cases, "-p", "stub", "-p", "other", "--out", out, "--min-score", "0.9"], environment: try environment, directory: directory)
        XCTAssertEqual(result.status, 1, "4 of 5 is under 90%:\n\(result.stderr)")
        XCTAssertTrue(result.stdout.contains("stub     4/5     80.0%"), result.stdout)
        XCTAssertTrue(result.stdout.contains("$0.125"), result.stdout)
        XCTAssertTrue(result.stdout.contains("other    4/5     80.0%") && result.stdout.contains("unknown"), result.stdout)
        XCTAssertTrue(result.stderr.contains("under --min-score 90.0%"), result.stderr)
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").map {
            try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        XCTAssertEqual(lines.count, 10)
        let fields = try XCTUnwrap(lines.first { $0["case"] as? String == "fields" })
        XCTAssertEqual(fields["passed"] as? Bool, false)
        XCTAssertEqual(fields["reason"] as? String, "the answer is not a JSON object")

        let passing = try VQProcess.run(["eval", cases, "-p", "stub", "--min-score", "80%"], environment: try environment, directory: directory)
        XCTAssertEqual(passing.status, 0, passing.stderr)
    }

    func testEvalResumesOnlyWhatIsMissing() throws {
        let cases = try writeCases((1...4).map { #"{"id":"c\#($0)","images":["meter.png"],"prompt":"q","expect":{"contains":"Saw"}}"# })
        let out = directory.appendingPathComponent("results.jsonl").path
        // As a kill leaves it: two scored lines, one failed, one torn.
        var earlier = ""
        for id in ["c1", "c2"] {
            earlier +=
                #"{"case":"\#(id)","profile":"stub","model":"stub-vision-1","kind":"contains","passed":true,"reason":null,"answer":"Saw","latency_s":0.1,"usage":null,"cost":null,"error":null}"#
                + "\n"
        }
        earlier +=
            #"{"case":"c3","profile":"stub","model":null,"kind":"contains","passed":null,"reason":null,"answer":null,"latency_s":0,"usage":null,"cost":null,"error":"HTTP 500"}"#
            + "\n"
        earlier += #"{"case":"c4","prof"#
        try earlier.write(toFile: out, atomically: true, encoding: .utf8)

        let refused = try VQProcess.run(["eval", cases, "-p", "stub", "--out", out], environment: try environment, directory: directory)
        XCTAssertEqual(refused.status, 73, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("already holds results: add --resume"), refused.stderr)

        let resumed = try VQProcess.run(["eval", cases, "-p", "stub", "--out", out, "--resume"], environment: try environment, directory: directory)
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertEqual(server.seen.count, 2, "only c3 and c4 are asked again")
        XCTAssertTrue(resumed.stdout.contains("stub     4/4     100.0%"), resumed.stdout)
        let ids = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").map {
            (try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]))["case"] as? String
        }
        XCTAssertEqual(ids.compactMap { $0 }.sorted(), ["c1", "c2", "c3", "c4"])
    }

    func testAJudgeIsAskedWithTheImagesAndAnUnclearRulingIsAnError() throws {
        let cases = try writeCases([#"{"id":"open","images":["meter.png"],"prompt":"Describe","expect":{"judge":"mentions an image"}}"#])
        let out = directory.appendingPathComponent("judged.jsonl").path
        let result = try VQProcess.run(["eval", cases, "-p", "stub", "--judge", "other", "--out", out], environment: try environment, directory: directory)
        XCTAssertEqual(result.status, 1, "the stub judge answers neither PASS nor FAIL:\n\(result.stderr)")
        XCTAssertEqual(server.seen.count, 2)
        let judged = try XCTUnwrap(server.seen.last)
        XCTAssertEqual(judged.body["model"] as? String, "stub-vision-2")
        XCTAssertEqual(judged.images.count, 1, "the judge sees the case's image")
        XCTAssertTrue(String(decoding: judged.rawBody, as: UTF8.self).contains("Criteria for a passing answer: mentions an image"))
        XCTAssertTrue(result.stderr.contains("the judge (other) answered neither PASS nor FAIL"), result.stderr)
        XCTAssertTrue(try String(contentsOfFile: out, encoding: .utf8).contains(#""error":"the judge (other) answered neither PASS nor FAIL""#))
    }

    func testJudgeCasesNeedAJudge() throws {
        let cases = try writeCases([#"{"images":["meter.png"],"prompt":"q","expect":{"judge":"mentions an image"}}"#])
        let result = try VQProcess.run(["eval", cases, "-p", "stub"], environment: try environment, directory: directory)
        XCTAssertEqual(result.status, 64, result.stderr)
        XCTAssertTrue(result.stderr.contains("--judge PROFILE"), result.stderr)
        XCTAssertEqual(server.seen.count, 0)
    }
}

/// `vq batch --profiles a,b`: one line per image and profile in one file, each profile resuming its own lines.
final class BatchProfilesEndToEndTests: EndToEndCase {
    func testOneLinePerImageAndProfileResumable() throws {
        let server = try OpenAIStubServer()
        defer { server.stop() }
        for name in ["a.png", "b.png"] { _ = try png(name) }
        let extra = "\n[profiles.other]\nbase_url = \"\(server.baseURL)\"\nmodel = \"stub-vision-2\"\nkey_env = \"STUB_KEY\"\n"
        let out = directory.appendingPathComponent("out.jsonl").path
        let arguments = ["batch", "--profiles", "stub,other", "--out", out, "Describe", "a.png", "b.png"]
        let first = try vq(arguments, server: server, extraConfig: extra)
        XCTAssertEqual(first.status, 0, first.stderr)
        func lines() throws -> [[String: Any]] {
            try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").map {
                try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
            }
        }
        let written = try lines()
        XCTAssertEqual(written.count, 4)
        XCTAssertEqual(Set(written.map { "\($0["profile"]!) \($0["image"]!)" }), ["stub a.png", "stub b.png", "other a.png", "other b.png"])
        XCTAssertEqual(Set(written.compactMap { $0["model"] as? String }), ["stub-vision-1", "stub-vision-2"])

        // Drop one of other's lines, as if it had failed: only it is asked again.
        let text = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        let kept = text.filter { !($0.contains("\"other\"") && $0.contains("b.png")) }
        try (kept.joined(separator: "\n") + "\n").write(toFile: out, atomically: true, encoding: .utf8)
        let resumed = try vq(arguments + ["--resume"], server: server, extraConfig: extra)
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertEqual(server.seen.count, 5)
        XCTAssertEqual(try lines().count, 4)
        XCTAssertEqual(server.seen.last?.body["model"] as? String, "stub-vision-2")
    }

    func testProfilesRefusesCombinationsItCannotKeepApart() throws {
        _ = try png("a.png")
        for (extra, message) in [
            (["-p", "stub"], "'--profiles' and '-p' cannot be used together"),
            (["--format", "csv"], "leave out '--format csv'"),
        ] {
            let result = try vq(["batch", "--profiles", "stub,openai"] + extra + ["Describe", "a.png"], baseURL: "http://127.0.0.1:9/v1")
            XCTAssertEqual(result.status, 64, result.stderr)
            XCTAssertTrue(result.stderr.contains(message), result.stderr)
        }
    }
}
