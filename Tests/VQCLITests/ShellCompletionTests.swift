import Foundation
import TestSupport
import XCTest

@testable import VQCLI

/// The generated completion scripts loaded in the real bash, zsh and fish, asked for the candidates of a few lines.
/// `make deps` installs the shells; a missing one fails the test rather than skipping it.
final class ShellCompletionTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("vq-completion-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("pics"), withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: directory.appendingPathComponent("photo.jpg").path, contents: Data())
        try "[profiles.mine]\nbase_url = \"http://127.0.0.1:9/v1\"\nmodel = \"m\"\n\n[templates.alt]\nprompt = \"Write alt text\"\n"
            .write(to: directory.appendingPathComponent("cfg.toml"), atomically: true, encoding: .utf8)
        for shell in Invocation.Shell.allCases {
            try Completions.render(shell).write(to: directory.appendingPathComponent(scriptName(shell)), atomically: true, encoding: .utf8)
        }
        try Self.bashHarness.write(to: directory.appendingPathComponent("harness.bash"), atomically: true, encoding: .utf8)
        try Self.zshHarness.write(to: directory.appendingPathComponent("harness.zsh"), atomically: true, encoding: .utf8)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    func scriptName(_ shell: Invocation.Shell) -> String {
        switch shell {
        case .bash: return "vq.bash"
        case .zsh: return "_vq"
        case .fish: return "vq.fish"
        }
    }

    // MARK: the cases

    func testOptionPrefixCompletesToTheOneOption() throws {
        try expect("vq --pro", exactly: ["--profile"])
    }

    func testEveryCommandOffersExactlyTheOptionsItAccepts() throws {
        for command in CommandName.allCases {
            let accepted = Set(OptionTable.options.filter { $0.commands.contains(command) }.map { "--\($0.long)" })
            try expect(command == .query ? "vq --" : "vq \(command.rawValue) --", exactly: accepted)
        }
    }

    func testBatchDoesNotOfferQueryOnlyOptionsNorQueryBatchOnlyOnes() throws {
        try expect("vq batch --", includes: ["--jobs", "--out", "--resume"], excludes: ["--json", "--messages", "--no-stream", "--output"])
        try expect("vq --", includes: ["--json", "--messages"], excludes: ["--jobs", "--out", "--resume"])
    }

    func testProfileValueInAllItsSpellings() throws {
        let builtins = Set(["scaleway", "segmind", "openrouter"])
        try expect("vq --profile ", includes: builtins, excludes: ["mine"])
        try expect("vq -vp ", includes: builtins)
        try expect("vq -p sca", exactly: ["scaleway"])
        // `--profile=` completes the value (fish offers the whole word, bash and zsh the part after '=').
        try expect("vq --profile=sca", exactly: ["scaleway"], fishExactly: ["--profile=scaleway"])
    }

    func testProfileNamesComeFromTheConfigGivenOnTheLine() throws {
        try expect("vq --config cfg.toml -p ", includes: ["mine", "scaleway"])
        try expect("vq --config=cfg.toml batch -p mi", exactly: ["mine"])
    }

    func testCommandArgumentsAndChoices() throws {
        try expect("vq config ", exactly: Set(ConfigAction.allCases.map(\.rawValue)))
        try expect("vq completions ", exactly: Set(Invocation.Shell.allCases.map(\.rawValue)))
        try expect("vq help ", exactly: Set(CommandName.words))
        try expect("vq --detail ", exactly: ["low", "high", "auto"])
        try expect("vq profiles ", includes: [], excludes: ["photo.jpg", "pics", "batch"])
    }

    func testFirstArgumentIsACommandOrAFileLaterOnlyFiles() throws {
        try expect("vq ", includes: Set(CommandName.words).union(["photo.jpg"]))
        try expect("vq Describe ", includes: ["photo.jpg"], excludes: ["batch"])
        try expect("vq batch -j 2 Describe ", includes: ["photo.jpg"], excludes: ["batch"])
    }

    func testEveryCommandsActionWordsAndArguments() throws {
        for command in CommandName.allCases {
            guard case .actions(_, let actions, _) = command.arguments else { continue }
            try expect("vq \(command.rawValue) ", includes: Set(actions.map(\.word)))
        }
        try expect("vq logs ", exactly: ["show", "path"])
        try expect("vq keys ", exactly: ["set", "list", "remove"])
        try expect("vq keys set ", includes: ["scaleway", "openai"], excludes: ["photo.jpg"])
        try expect("vq keys list ", exactly: [])
        try expect("vq chat ", includes: ["photo.jpg", "pics"], excludes: ["batch"])
        try expect("vq chat -p scaleway ", includes: ["photo.jpg"], excludes: ["batch"])
        try expect("vq batch ", includes: ["status", "cancel", "photo.jpg"])
    }

    func testAnActionWordNarrowsTheOptions() throws {
        try expect("vq batch status --", exactly: ["--out", "--config"])
        try expect("vq batch cancel --o", exactly: ["--out"])
        try expect("vq batch Describe --jo", exactly: ["--jobs"])
    }

    func testTemplateNamesComeFromTheConfig() throws {
        try expect("vq --config cfg.toml -T ", exactly: ["alt"])
        try expect("vq --config cfg.toml batch --template=a", exactly: ["alt"], fishExactly: ["--template=alt"])
    }

    func testSavedTemplatesCompleteToo() throws {
        let saved = directory.appendingPathComponent(".config/vq/templates.d")
        try FileManager.default.createDirectory(at: saved, withIntermediateDirectories: true)
        try "prompt = \"Tag it\"\n".write(to: saved.appendingPathComponent("tags.toml"), atomically: true, encoding: .utf8)
        try expect("vq --config cfg.toml -T ", exactly: ["alt", "tags"])
    }

    func testAfterAnOptionTheFirstArgumentIsNoLongerACommand() throws {
        try expect("vq -T alt ", includes: ["photo.jpg"], excludes: ["batch", "chat"])
    }

    func testFishDescribesEachProfileByItsModel() throws {
        let script = directory.appendingPathComponent(scriptName(.fish)).path
        let output = try run("fish", ["--no-config", "-c", "source $argv[1]; complete -C $argv[2]", script, "vq --config cfg.toml -p mi"])
        XCTAssertEqual(output, "mine\tm\n")
    }

    func testRepeatableOptionIsOfferedAgain() throws {
        try expect("vq -H x --hea", exactly: ["--header"])
    }

    // MARK: running the shells

    /// Asserts, in each shell, that the candidates for `line` (the last word is being completed) are `exactly` these.
    func expect(
        _ line: String, exactly: Set<String>, fishExactly: Set<String>? = nil,
        file: StaticString = #filePath, lineNumber: UInt = #line
    ) throws {
        for shell in Invocation.Shell.allCases {
            let want = shell == .fish ? fishExactly ?? exactly : exactly
            XCTAssertEqual(try candidates(shell, line), want, "\(shell): '\(line)'", file: file, line: lineNumber)
        }
    }

    /// Asserts, in each shell, that the candidates for `line` include `includes` and none of `excludes`.
    func expect(
        _ line: String, includes: Set<String>, excludes: Set<String> = [],
        file: StaticString = #filePath, lineNumber: UInt = #line
    ) throws {
        for shell in Invocation.Shell.allCases {
            let got = try candidates(shell, line)
            XCTAssertTrue(
                includes.isSubset(of: got), "\(shell): '\(line)' lacks \(includes.subtracting(got).sorted()); got \(got.sorted())",
                file: file, line: lineNumber)
            XCTAssertTrue(
                excludes.isDisjoint(with: got), "\(shell): '\(line)' offers \(excludes.intersection(got).sorted())",
                file: file, line: lineNumber)
        }
    }

    func candidates(_ shell: Invocation.Shell, _ line: String) throws -> Set<String> {
        let script = directory.appendingPathComponent(scriptName(shell)).path
        let output: String
        switch shell {
        case .bash:
            output = try run(
                "bash",
                ["--norc", "--noprofile", directory.appendingPathComponent("harness.bash").path, script]
                    + Self.readlineWords(line))
        case .zsh:
            let out = directory.appendingPathComponent("zsh-candidates")
            _ = FileManager.default.createFile(atPath: out.path, contents: Data())
            _ = try run("zsh", ["-f", directory.appendingPathComponent("harness.zsh").path, directory.path, out.path, line])
            output = try String(contentsOf: out, encoding: .utf8)
        case .fish:
            output = try run("fish", ["--no-config", "-c", "source $argv[1]; complete -C $argv[2]", script, line])
        }
        // fish prints "candidate<TAB>description"; the others one candidate per line. Directories may end in '/'.
        return Set(
            output.split(separator: "\n").map { String($0.split(separator: "\t").first ?? "") }
                .map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }.filter { !$0.isEmpty })
    }

    /// The words bash puts in COMP_WORDS for `line`: split at blanks, with each '=' a word of its own.
    static func readlineWords(_ line: String) -> [String] {
        var words: [String] = []
        for blank in line.split(separator: " ", omittingEmptySubsequences: false) {
            var rest = Substring(blank)
            while let equals = rest.firstIndex(of: "=") {
                if equals > rest.startIndex { words.append(String(rest[..<equals])) }
                words.append("=")
                rest = rest[rest.index(after: equals)...]
            }
            if !rest.isEmpty || words.last != "=" { words.append(String(rest)) }
        }
        return words
    }

    /// Runs a shell in the test directory with only vq's directory and the system's on PATH, and a HOME of its own.
    func run(_ shell: String, _ arguments: [String]) throws -> String {
        let path = ["/usr/bin", "/bin", "/usr/local/bin"].map { "\($0)/\(shell)" }.first(where: FileManager.default.isExecutableFile)
        guard let path else {
            XCTFail("\(shell) is not installed; run 'make deps'")
            return ""
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = [
            "HOME": directory.path, "TERM": "xterm", "LANG": "C.UTF-8",
            "PATH": VQProcess.executable.deletingLastPathComponent().path + ":/usr/bin:/bin",
        ]
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        try process.run()
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        // A guard against a hung shell, not a wait for a result: the output above is read to its end first.
        if finished.wait(timeout: .now() + 60) == .timedOut {
            process.terminate()
            XCTFail("\(shell) \(arguments.last ?? "") did not finish")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Sources the completion script, fills COMP_WORDS with the words given and prints what `_vq` completes.
    /// bash-completion is loaded first when installed, as on a user's machine.
    static let bashHarness = """
        [[ -r /usr/share/bash-completion/bash_completion ]] && source /usr/share/bash-completion/bash_completion
        source "$1"; shift
        COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
        _vq
        printf '%s\\n' "${COMPREPLY[@]}"

        """

    /// Starts an interactive zsh on a pseudo-terminal (zpty) with compinit and the script on fpath, types the line and
    /// TAB, and records every match the completion system adds (by wrapping compadd) in the file $2. It waits for a
    /// marker that the completion's post-function prints, so it reads the result only once completion has finished.
    static let zshHarness = """
        zmodload zsh/zpty || exit 3
        dir=$1 out=$2 line=$3
        zpty vqz zsh -f -i
        zpty -w vqz "PS1=''; PS2=''; RPS1=''; fpath=(${(q)dir} \\$fpath); autoload -Uz compinit; compinit -u -D; bindkey '^I' complete-word; __vq_out=${(q)out}"
        zpty -w vqz 'compadd() { if (( ${@[(I)-[OAD]*]} )); then builtin compadd "$@"; return; fi; local -a __vq_hits; builtin compadd -O __vq_hits "$@"; (( $#__vq_hits )) && print -rl -- $__vq_hits >> $__vq_out; builtin compadd "$@"; }'
        zpty -w vqz '__vq_done() { print -n "VQ_${:-DONE}_MARK"; }; comppostfuncs=(__vq_done); print "VQ_${:-READY}_MARK"'
        zpty -r vqz ready '*VQ_READY_MARK*' || exit 4
        zpty -w -n vqz "$line"$'\\t'
        zpty -r vqz done '*VQ_DONE_MARK*' || exit 5
        zpty -d vqz

        """
}
