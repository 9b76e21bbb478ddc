import FoundationEssentials
import Transport
import VisionQuery

/// `vq models [-p PROFILE] [--json]`: the models the service offers to this key, one per line (or a JSON array).
struct ModelsCommand {
    let options: QueryOptions
    let environment: [String: String]
    let console: Console
    let client: HTTPClient

    func run() throws(VQError) -> Int32 {
        console.quiet = options.quiet
        console.raw = options.raw
        console.verbose = options.verbose
        let config = try ConfigLocator.load(flag: options.configPath, environment: environment)
        let session = try QuerySession(options: options, config: config, environment: environment, stream: false, console: console)
        let models = try session.listModels(client: session.retrying(client) { [console] in console.debug($0) })
        console.out(options.json ? JSONText.render(models) + "\n" : models.map { $0 + "\n" }.joined())
        return ExitCode.success.rawValue
    }
}
