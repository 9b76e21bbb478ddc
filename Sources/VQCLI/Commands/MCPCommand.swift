import FoundationEssentials
import Transport
import VisionQuery

/// `vq mcp [--http PORT]`: VisionQuery's MCP server on stdin/stdout, or its streamable HTTP transport on
/// 127.0.0.1:PORT; the config read once; failed calls logged on stderr.
struct MCPCommand {
    let configFlag: String?
    let httpPort: Int?
    let environment: [String: String]
    let console: Console
    let client: HTTPClient

    func run() throws(VQError) -> Int32 {
        let config = try ConfigLocator.load(flag: configFlag, environment: environment)
        let log: @Sendable (String) -> Void = { [console] line in console.notice("mcp: \(line)") }
        if let httpPort {
            let server = MCPHTTPServer(config: config, environment: environment, client: client, version: CLI.version, log: log)
            let port = try server.listen(port: httpPort)
            console.notice("mcp: listening on http://127.0.0.1:\(port)\(MCPHTTPServer.endpoint)")
            server.serve()
            return ExitCode.success.rawValue
        }
        MCPServer(config: config, environment: environment, client: client, version: CLI.version, log: log).serve()
        return ExitCode.success.rawValue
    }
}
