import FoundationEssentials
import Glibc
import TextFormatting
import Transport
import VisionQuery

/// `vq compare -p A -p B PROMPT [INPUT ...]`: the same question to several profiles at once through VisionQuery's
/// `CompareRun`; answers side by side on a wide terminal, stacked otherwise, `--json` one object keyed by profile.
struct CompareCommand {
    let options: QueryOptions
    let targets: [CompareTarget]
    let config: ConfigFile?
    let environment: [String: String]
    let console: Console
    let client: HTTPClient

    func run() throws(VQError) -> Int32 {
        console.apply(OutputPolicy(options: options, showsProgress: false))
        let stdin = StandardInput()
        let (prompt, inputs) = try PromptSource.split(options.positionals, stdinIsTerminal: Console.isTerminal(STDIN_FILENO), readStdin: stdin.read)
        let log = QueryLog(environment: environment, writes: options.log && config?.log != false) { [console] in console.warning($0) }
        let client = self.client
        var compare = CompareRun(options: options, config: config, environment: environment, targets: targets, log: log) { client }
        compare.readStandardInput = stdin.read
        let answers = compare.run(prompt: prompt, inputs: inputs, sessions: try compare.sessions())
        for answer in answers {
            for warning in answer.warnings { console.warning("\(answer.target.label): \(warning)") }
            if let error = answer.error { console.warning("\(answer.target.label): \(error.message)") }
        }
        if options.json {
            let object = Dictionary(answers.map { ($0.target.label, $0.jsonObject) }, uniquingKeysWith: { first, _ in first })
            console.out(JSONText.render(object, pretty: true) + "\n")
        } else {
            let width = Console.isTerminal(STDOUT_FILENO) ? TerminalWidth.columns(environment: environment) : nil
            console.out(CompareLayout.render(answers.map(panel), width: width))
        }
        let failed = answers.filter { $0.error != nil }
        if failed.count == answers.count, let first = failed.first?.error { return ExitCode(first.category).rawValue }
        return failed.isEmpty ? ExitCode.success.rawValue : ExitCode.partialFailure.rawValue
    }

    /// "gemini (gemini-2.5-flash)", the answer or the error, "1.20 s · 300 in / 12 out tokens · $0.00012".
    private func panel(_ answer: CompareAnswer) -> CompareLayout.Panel {
        let outcome = answer.result?.outcome
        let model = outcome?.model ?? answer.target.model
        var footer = ["\(DecimalText.fixed(answer.latency, places: 2)) s"]
        if let usage = outcome?.usage {
            footer.append("\(usage.promptTokens.map(String.init) ?? "?") in / \(usage.completionTokens.map(String.init) ?? "?") out tokens")
        }
        footer.append(outcome?.cost?.text ?? "cost unknown")
        return CompareLayout.Panel(
            label: answer.target.label + (model.map { " (\($0))" } ?? ""),
            text: answer.error.map { "error: \($0.message)" } ?? answer.result?.text ?? "", footer: footer.joined(separator: " · "))
    }
}
