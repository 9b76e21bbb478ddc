import FoundationEssentials
import Platform
import Transport

/// `list_profiles` and `list_models`: what an agent needs to choose a profile and a model, limited to the profiles
/// `[mcp] profiles` permits; keys are never shown, only whether one is at hand.
struct MCPListingTools {
    let environment: [String: String]
    let config: ConfigFile?
    let client: HTTPClient
    let listing: ProfileListing
    let profiles: MCPProfileChoice

    func listProfiles(_ values: [String: Any]) -> MCPToolResult {
        do throws(VQError) {
            try MCPArguments(tool: "list_profiles", values: values).rejectUnknown([])
        } catch {
            return .failure(error.message)
        }
        var objects = listing.objects(listing.profiles.filter { profiles.permits($0.name) })
        for index in objects.indices { objects[index]["default"] = objects[index]["name"] as? String == profiles.defaultName }
        let structured: [String: Any] = ["profiles": objects, "default": profiles.defaultName]
        return MCPToolResult(content: [MCPToolResult.text(JSONWriter.text(structured))], structured: structured)
    }

    func listModels(_ values: [String: Any], call: MCPCall) -> MCPToolResult {
        do throws(VQError) {
            let arguments = MCPArguments(tool: "list_models", values: values)
            try arguments.rejectUnknown(["profile"])
            var options = QueryOptions()
            options.profile = try profiles.choose(arguments.string("profile"))
            var warnings: [String] = []
            var session = try QuerySession(
                options: options, config: config, environment: environment, stream: false, warn: { warnings.append($0) }, debug: nil)
            session.transfer.cancellation = call.cancellation
            call.progress("asking \(session.profile.name) for its models")
            let models = try session.listModels(client: session.retrying(client) { [call] in call.progress($0) })
            let structured: [String: Any] = ["profile": session.profile.name, "models": models, "warnings": warnings]
            return MCPToolResult(content: [MCPToolResult.text(models.joined(separator: "\n"))], structured: structured)
        } catch {
            return .failure(error.message)
        }
    }
}
