import FoundationEssentials
import Transport

/// Runs one tool by name: the one place a tool's name meets its code (a new tool adds a case here and a definition
/// in `MCPToolCatalog`).
struct MCPToolbox {
    let ask: MCPAskTool
    let images: MCPImageTools
    let detect: MCPDetectTool
    let listing: MCPListingTools

    init(config: ConfigFile?, environment: [String: String], client: HTTPClient) {
        let profiles = ProfileListing(config: config, environment: environment)
        let choice = MCPProfileChoice(settings: config?.mcp ?? MCPSettings(), listing: profiles)
        let exchange = MCPExchange(environment: environment, config: config, client: client)
        ask = MCPAskTool(exchange: exchange, profiles: choice)
        images = MCPImageTools(exchange: exchange, profiles: choice)
        detect = MCPDetectTool(environment: environment, config: config, client: client, profiles: choice)
        listing = MCPListingTools(environment: environment, config: config, client: client, listing: profiles, profiles: choice)
    }

    func run(_ tool: MCPToolName, arguments: [String: Any], call: MCPCall, access: @escaping () throws(VQError) -> MCPFileAccess) -> MCPToolResult {
        switch tool {
        case .ask: ask.call(arguments, call: call, access: access)
        case .generateImage: images.call(arguments, editing: false, call: call, access: access)
        case .editImage: images.call(arguments, editing: true, call: call, access: access)
        case .detect: detect.call(arguments, call: call, access: access)
        case .listProfiles: listing.listProfiles(arguments)
        case .listModels: listing.listModels(arguments, call: call)
        }
    }
}
