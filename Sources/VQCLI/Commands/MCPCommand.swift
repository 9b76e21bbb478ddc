import FoundationEssentials
import Transport
import VisionQuery

/// `vq mcp`: VisionQuery's MCP server on stdin/stdout, the config read once; failed calls logged on stderr.
struct MCPCommand {
    let configFlag: String?
    let environment: [String: String]
    let console: Console
    let client: HTTPClient

    func run() throws(VQError) -> Int32 {
        let config = try ConfigLocator.load(flag: configFlag, environment: environment)
        let server = MCPServer(config: config, environment: environment, client: client, version: CLI.version) { [console] line in
            console.notice("mcp: \(line)")
        }
        server.serve()
        return ExitCode.success.rawValue
    }
}
