import VisionQuery
import XCTest

@testable import VQCLI

/// Table tests for the hand-written argv parser and the typed Invocation built from it.
final class ArgumentParserTests: XCTestCase {
    func testAcceptedForms() throws {
        let cases: [(argv: [String], check: (QueryOptions) -> Bool, name: String)] = [
            (["-p", "scaleway", "hi", "a.png"], { $0.profile == "scaleway" && $0.positionals == ["hi", "a.png"] }, "short with value"),
            (["--profile=scaleway", "hi"], { $0.profile == "scaleway" }, "--k=v"),
            (["--model", "m1", "hi"], { $0.model == "m1" }, "--k v"),
            (["-mm2", "hi"], { $0.model == "m2" }, "attached short value"),
            (["-vp", "x", "hi"], { $0.verbose && $0.profile == "x" }, "cluster ending in a value option"),
            (["-t", "0.5", "--top-p", "1", "hi"], { $0.temperature == 0.5 && $0.topP == 1 }, "numbers"),
            (["--stop", "a", "--stop=b", "hi"], { $0.stop == ["a", "b"] }, "repeatable"),
            (["--no-stream", "--json", "hi"], { !$0.stream && $0.json }, "flags"),
            (["-H", "X-A: 1", "--header=X-B:2", "hi"], { $0.headers == [.init(name: "X-A", value: "1"), .init(name: "X-B", value: "2")] }, "headers"),
            (["--", "-not-an-option", "img"], { $0.positionals == ["-not-an-option", "img"] }, "-- ends options"),
            (["hi", "-", "--detail", "low"], { $0.positionals == ["hi", "-"] && $0.detail == .low }, "options after positionals, '-' positional"),
            (["--", "profiles"], { $0.positionals == ["profiles"] }, "-- makes a command word a prompt"),
            (["--max-tokens", "100", "--timeout", "2.5", "hi"], { $0.maxTokens == 100 && $0.timeout == 2.5 }, "integers and durations"),
            (["-s", "-be brief", "hi"], { $0.system == "-be brief" }, "value that starts with a dash"),
        ]
        for (argv, check, name) in cases {
            guard case .query(let options) = try Invocation.from(argv) else { return XCTFail("\(name): not a query") }
            XCTAssertTrue(check(options), "\(name): \(argv) gave \(options)")
        }
    }

    func testRejectedForms() {
        let cases: [(argv: [String], message: String)] = [
            (["--modle", "x", "hi"], "unknown option '--modle'; did you mean '--model'?"),
            (["-x", "hi"], "unknown option '-x'"),
            (["-model", "x"], "unknown option '-model'; did you mean '--model'?"),
            (["-vx", "hi"], "unknown option '-x' in '-vx'"),
            (["--model"], "option '--model' needs a value (NAME)"),
            (["--json=yes", "hi"], "option '--json' takes no value"),
            (["-t", "hot", "hi"], "invalid value 'hot' for '--temperature': expected a number; -t is the temperature here; for a template use -T NAME"),
            (["-t", "0.x", "hi"], "invalid value '0.x' for '--temperature': expected a number"),
            (["-a", "photo.jpg", "Describe"], "unknown option '-a': images are plain arguments here: vq PROMPT IMAGE..."),
            (["--attachment", "photo.jpg", "Describe"], "unknown option '--attachment': images are plain arguments here: vq PROMPT IMAGE..."),
            (["--cid", "01j", "More"], "unknown option '--cid': continue a conversation with --conversation ID (or -c for the latest)"),
            (["-t", "3", "hi"], "invalid value '3' for '--temperature': expected a number from 0 to 2"),
            (["--max-tokens", "0", "hi"], "invalid value '0' for '--max-tokens': expected a positive whole number"),
            (["mcp", "--http", "70000"], "invalid value '70000' for '--http': expected a whole number from 0 to 65535"),
            (["--detail", "max", "hi"], "invalid value 'max' for '--detail'; expected one of: low, high, auto"),
            (["-H", "NoColon", "hi"], "invalid header 'NoColon' for '--header': expected 'Name: value'"),
            (["-m", "a", "-m", "b", "hi"], "option '--model' given more than once (only 'vq compare' and 'vq eval' ask several)"),
            (["-v", "-q", "hi"], "'--verbose' and '--quiet' cannot be used together"),
            (
                ["profiles", "-m", "x"],
                "option '--model' does not apply to 'vq profiles'; it is an option of a query (vq PROMPT IMAGE...), 'vq batch', 'vq chat', 'vq gen', 'vq detect', 'vq compare', 'vq eval', 'vq logs'"
            ),
            (["config"], "'vq config' needs an action: path or check"),
            (["completions", "tcsh"], "'vq completions' needs one shell: bash, zsh or fish"),
        ]
        for (argv, message) in cases {
            XCTAssertThrowsError(try Invocation.from(argv), "\(argv)") { error in
                let error = error as! VQError
                XCTAssertEqual(error.category, .usage, "\(argv)")
                XCTAssertEqual(error.message, message, "\(argv)")
            }
        }
    }

    func testCommandsHelpAndVersion() throws {
        XCTAssertEqual(try Invocation.from(["profiles", "--json"]), .profiles(configPath: nil, json: true))
        XCTAssertEqual(try Invocation.from(["--config", "c.toml", "config", "check"]), .configCheck(configPath: "c.toml"))
        XCTAssertEqual(try Invocation.from(["config", "path"]), .configPath(configPath: nil))
        XCTAssertEqual(try Invocation.from(["completions", "zsh"]), .completions(.zsh))
        XCTAssertEqual(try Invocation.from(["--help"]), .help(.query))
        XCTAssertEqual(try Invocation.from(["profiles", "-h"]), .help(.profiles))
        XCTAssertEqual(try Invocation.from(["--version", "whatever"]), .version)
    }

    func testHelpAndVersionAreCommandsNotPrompts() throws {
        XCTAssertEqual(try Invocation.from(["help"]), .help(.query))
        XCTAssertEqual(try Invocation.from(["help", "batch"]), .help(.batch))
        XCTAssertEqual(try Invocation.from(["version"]), .version)
        guard case .query(let options) = try Invocation.from(["--", "help"]) else { return XCTFail("'--' makes 'help' a prompt") }
        XCTAssertEqual(options.positionals, ["help"])
        XCTAssertThrowsError(try Invocation.from(["help", "bach"])) { error in
            XCTAssertEqual((error as! VQError).category, .usage)
            XCTAssertTrue((error as! VQError).message.contains("did you mean 'batch'?"), (error as! VQError).message)
        }
        XCTAssertThrowsError(try Invocation.from(["version", "x"]))
        XCTAssertThrowsError(try Invocation.from(["version", "--json"])) { error in
            XCTAssertEqual(
                (error as! VQError).message,
                "option '--json' does not apply to 'vq version'; it is an option of a query (vq PROMPT IMAGE...), 'vq gen', 'vq compare', 'vq eval', 'vq logs', 'vq models', 'vq profiles', 'vq templates', 'vq prices'"
            )
        }
    }

    func testEveryOptionNameHasOneEntryInTheTable() {
        XCTAssertEqual(OptionTable.options.map(\.name), OptionName.allCases, "the names and the table must list the same options, in order")
    }

    func testEveryOptionIsReachableByItsNames() throws {
        for option in OptionTable.options where option.long != "help" && option.long != "version" {
            let samples = ["header": "A: b", "modalities": "text,image", "shard": "0/2", "size": "1024x1024", "aspect": "16:9", "since": "7d"]
            let value = option.choices?.first ?? samples[option.long] ?? "1"
            var argv = ["--\(option.long)"] + (option.takesValue ? [value] : [])
            if option.commands.contains(.query) {
                argv += (option.long == "overwrite" ? ["--save", "name"] : []) + ["prompt"]
            } else if option.commands.contains(.batch) {
                let needs = [
                    "resume": ["--out", "f.jsonl"], "overwrite": ["--sidecar", "txt"], "provider-batch": ["--out", "f.jsonl"],
                    "detach": ["--provider-batch", "--out", "f.jsonl"], "keep-files": ["--provider-batch", "--out", "f.jsonl"],
                    "retry-failed": ["--provider-batch", "--resume", "--out", "f.jsonl"], "classes": ["--format", "yolo", "--out", "labels"],
                ]
                let detect = ["points", "classes", "annotate"].contains(option.long) ? ["detect"] : []  // vq batch detect's own
                argv = ["batch"] + argv + (needs[option.long] ?? []) + detect + ["prompt"] + (option.long == "inputs-from" ? [] : ["a.png"])
            } else if option.long == "prompts" {
                argv = ["gen"] + argv
            } else if option.commands.contains(.gen) {
                argv = ["gen"] + argv + ["prompt", "a.png"]
            } else if option.commands.contains(.eval) {
                argv = ["eval"] + argv + ["cases.jsonl"]
            } else if option.commands.contains(.logs) {
                argv.insert("logs", at: 0)
                if ["since", "by"].contains(option.long) { argv.append("--cost") }
            } else if option.commands.contains(.detect) {
                argv = ["detect"] + argv + ["target", "a.png"]
            } else if option.commands == [.mcp] {
                argv.insert("mcp", at: 0)
            } else {
                argv.insert("profiles", at: 0)
            }
            if option.long == "quiet" || option.long == "verbose" { argv = ["--\(option.long)", "prompt"] }
            XCTAssertNoThrow(try Invocation.from(argv), "\(argv)")
            if let short = option.short {
                let shortArgv = argv.map { $0 == "--\(option.long)" ? "-\(short)" : $0 }
                XCTAssertNoThrow(try Invocation.from(shortArgv), "\(shortArgv)")
            }
        }
    }

    func testShortAndLongNamesAreUnique() {
        let longs = OptionTable.options.map(\.long)
        XCTAssertEqual(Set(longs).count, longs.count)
        let shorts = OptionTable.options.compactMap(\.short)
        XCTAssertEqual(Set(shorts).count, shorts.count)
    }
}

/// `vq batch` options become typed values, and their combinations are checked.
final class BatchOptionsTests: XCTestCase {
    func testBatchOptionsAreTyped() throws {
        guard
            case .batch(let options) = try Invocation.from([
                "batch", "-j", "8", "-0", "--rate", "2/s", "--out", "o.jsonl", "--resume",
                "--shard", "1/4", "--per-request", "3", "-m", "x", "Describe", "-",
            ])
        else {
            return XCTFail("not a batch invocation")
        }
        XCTAssertEqual(options.jobs, 8)
        XCTAssertTrue(options.nulSeparated)
        XCTAssertEqual(options.ratePerMinute, 120)
        XCTAssertEqual(options.outFile, "o.jsonl")
        XCTAssertTrue(options.resume)
        XCTAssertEqual(options.shard, Shard(index: 1, count: 4))
        XCTAssertEqual(options.perRequest, 3)
        XCTAssertEqual(options.query.model, "x")
        XCTAssertEqual(options.query.positionals, ["Describe", "-"])
    }

    func testRateUnits() throws {
        XCTAssertEqual(try BatchOptions.rate("30/min"), 30)
        XCTAssertEqual(try BatchOptions.rate("45"), 45)
        XCTAssertEqual(try BatchOptions.rate("1/s"), 60)
        XCTAssertEqual(try BatchOptions.rate("120/h"), 2)
        for bad in ["0/min", "-1", "x/min", "3/day", "1/2/3"] {
            XCTAssertThrowsError(try BatchOptions.rate(bad), bad)
        }
    }

    func testShardFromEnvNamesAVariable() throws {
        guard case .batch(let options) = try Invocation.from(["batch", "--shard-count", "4", "--shard-from-env", "SLURM_PROCID", "Describe", "a.png"]) else {
            return XCTFail("not a batch invocation")
        }
        XCTAssertEqual(options.shardCount, 4)
        XCTAssertEqual(options.shardIndexVariable, "SLURM_PROCID")
        for bad in ["", "$RANK", "A=1"] {
            XCTAssertThrowsError(try Invocation.from(["batch", "--shard-count", "4", "--shard-from-env", bad, "Describe", "a.png"])) { error in
                XCTAssertTrue((error as? VQError)?.message.contains("for '--shard-from-env'") == true, "\(error)")
            }
        }
    }

    func testQueryOnlyOptionsAreRefusedForBatch() {
        XCTAssertThrowsError(try Invocation.from(["batch", "--json", "Describe", "a.png"])) { error in
            XCTAssertEqual(
                (error as? VQError)?.message,
                "option '--json' does not apply to 'vq batch'; it is an option of a query (vq PROMPT IMAGE...), 'vq gen', 'vq compare', 'vq eval', 'vq logs', 'vq models', 'vq profiles', 'vq templates', 'vq prices'"
            )
        }
        XCTAssertThrowsError(try Invocation.from(["--jobs", "3", "x", "a.jpg"])) { error in
            // Names commands that exist: there is no 'vq query'.
            XCTAssertEqual(
                (error as? VQError)?.message,
                "option '--jobs' does not apply to a query (vq PROMPT IMAGE...); it is an option of 'vq batch', 'vq gen', 'vq eval'")
        }
        XCTAssertThrowsError(try Invocation.from(["batch", "--overwrite", "Describe", "a.png"]))
    }

    func testBatchMergeTakesTheShardFilesAndNoKey() throws {
        guard case .batch(let options) = try Invocation.from(["batch", "merge", "c-0.jsonl", "c-1.jsonl"]) else { return XCTFail("not a batch") }
        XCTAssertEqual(options.mergeFiles, ["c-0.jsonl", "c-1.jsonl"])
        guard case .batch(let plain) = try Invocation.from(["batch", "Describe", "a.png"]) else { return XCTFail("not a batch") }
        XCTAssertNil(plain.mergeFiles)
    }
}
