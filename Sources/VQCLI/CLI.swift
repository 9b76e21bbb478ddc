import FoundationEssentials
import Glibc
import Interrupts
import Transport
import VisionQuery

/// vq's entry point: argv in, exit code out. Every error is printed and mapped to its exit code here, once.
public enum CLI {
    public static let version = "0.1.0"

    /// Runs vq with `argv` (including the program name).
    public static func run(
        _ argv: [String], environment: [String: String] = ProcessInfo.processInfo.environment,
        console: Console = Console(), client: HTTPClient = CurlHTTPClient()
    ) -> Int32 {
        signal(SIGPIPE, SIG_IGN)
        InterruptCleanup.install()
        do {
            let (invocation, colorMode) = try Invocation.parse(Array(argv.dropFirst()))
            console.colorMode = colorMode
            let capabilities = TerminalCapabilities(environment: environment, colorMode: colorMode)
            console.colorsStderr = capabilities.colorsStderr
            console.colorsStdout = capabilities.colorsStdout
            switch invocation {
            case .help(let command):
                console.out(HelpText.render(for: command, width: TerminalWidth.columns(environment: environment)))
                return ExitCode.success.rawValue
            case .version:
                console.out("vq \(version)\n")
                return ExitCode.success.rawValue
            case .prepareImage(let path, let maxSide, let maxPixels, let quality, let frames):
                return try PrepareImageCommand(path: path, maxSide: maxSide, maxPixels: maxPixels, quality: quality, frames: frames, console: console)
                    .run()
            case .checkAnswer(let schema, let path, let repeats):
                return try CheckAnswerCommand(schema: schema, path: path, repeats: repeats, console: console).run()
            case .manPage:
                console.out(ManPage.render())
                return ExitCode.success.rawValue
            case .completions(let shell):
                console.out(Completions.render(shell))
                return ExitCode.success.rawValue
            case .profiles(let configPath, let json):
                try ProfilesCommand(configFlag: configPath, json: json, environment: environment, console: console).run()
                return ExitCode.success.rawValue
            case .templates(let configPath, let json):
                try TemplatesCommand(configFlag: configPath, json: json, environment: environment, console: console).run()
                return ExitCode.success.rawValue
            case .prices(let model, let configPath, let json):
                return try PricesCommand(model: model, configFlag: configPath, json: json, environment: environment, console: console).run()
            case .keys(let action, let configPath):
                try KeysCommand(action: action, configFlag: configPath, environment: environment, console: console).run()
                return ExitCode.success.rawValue
            case .configPath(let configPath):
                console.out(ConfigLocator.locate(flag: configPath, environment: environment).path + "\n")
                return ExitCode.success.rawValue
            case .configCheck(let configPath):
                try ConfigCheckCommand(configFlag: configPath, environment: environment, console: console).run()
                return ExitCode.success.rawValue
            case .mcp(let configPath, let httpPort):
                return try MCPCommand(configFlag: configPath, httpPort: httpPort, environment: environment, console: console, client: client).run()
            case .models(let options):
                return try ModelsCommand(options: options, environment: environment, console: console, client: client).run()
            case .batch(let options):
                if let files = options.mergeFiles { return try BatchMergeCommand(files: files, console: console).run() }
                let config = try ConfigLocator.load(flag: options.query.configPath, environment: environment)
                return try BatchCommand(
                    options: try options.applyingTemplate(config: config, environment: environment), config: config,
                    environment: environment, console: console
                ).run()
            case .logs(let options):
                try LogsCommand(options: options, environment: environment, console: console).run()
                return ExitCode.success.rawValue
            case .chat(let options):
                let config = try ConfigLocator.load(flag: options.configPath, environment: environment)
                let (filled, opening) = try TemplateApplication.applyToChat(options, config: config, environment: environment)
                var command = ChatCommand(options: filled, config: config, environment: environment, console: console, client: client)
                command.openingPrompt = opening
                return try command.run()
            case .detect(let options, let detect):
                let config = try ConfigLocator.load(flag: options.configPath, environment: environment)
                return try DetectCommand(
                    options: options, detect: detect, config: config, environment: environment, console: console, client: client
                ).run()
            case .gen(let options, let batch):
                let config = try ConfigLocator.load(flag: options.configPath, environment: environment)
                var command = GenCommand(options: options, config: config, environment: environment, console: console, client: client)
                command.batch = batch
                return try command.run()
            case .compare(let options, let targets):
                let config = try ConfigLocator.load(flag: options.configPath, environment: environment)
                return try CompareCommand(
                    options: try TemplateApplication.apply(options, config: config, environment: environment), targets: targets, config: config,
                    environment: environment, console: console, client: client
                ).run()
            case .eval(let options):
                let config = try ConfigLocator.load(flag: options.query.configPath, environment: environment)
                return try EvalCommand(options: options, config: config, environment: environment, console: console, client: client).run()
            case .saveTemplate(let name, let options, let overwrite):
                console.quiet = options.quiet
                try SaveTemplateCommand(name: name, options: options, overwrite: overwrite, environment: environment, console: console).run()
                return ExitCode.success.rawValue
            case .query(let options):
                let config = try ConfigLocator.load(flag: options.configPath, environment: environment)
                let command = QueryCommand(
                    options: try TemplateApplication.apply(options, config: config, environment: environment), config: config,
                    environment: environment, console: console, client: client)
                return try command.run()
            }
        } catch {
            console.error(error.message)
            return ExitCode(error.category).rawValue
        }
    }
}
