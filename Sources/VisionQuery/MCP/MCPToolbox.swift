import FoundationEssentials
import Transport

/// Runs one tool by name: the one place a tool's name meets its code (issue 21's generate_image/edit_image and a
/// later detect add a case here and a definition in `MCPToolCatalog`).
struct MCPToolbox {
    let ask: MCPAskTool
    let listing: MCPListingTools

    init(config: ConfigFile?, environment: [String: String], client: HTTPClient) {
        let profiles = ProfileListing(config: config, environment: environment)
        let choice = MCPProfileChoice(settings: config?.mcp ?? MCPSettings(), listing: profiles)
        ask = MCPAskTool(environment: environment, config: config, client: client, profiles: choice)
        listing = MCPListingTools(environment: environment, config: config, client: client, listing: profiles, profiles: choice)
    }

    func run(_ tool: MCPToolName, arguments: [String: Any], call: MCPCall, access: () throws(VQError) -> MCPFileAccess) -> MCPToolResult {
        switch tool {
        case .ask: ask.call(arguments, call: call, access: access)
        case .listProfiles: listing.listProfiles(arguments)
        case .listModels: listing.listModels(arguments, call: call)
        }
    }
}
