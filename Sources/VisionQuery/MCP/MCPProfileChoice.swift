import FoundationEssentials

/// Which profile an MCP call uses: the one it names, else the default; with `[mcp] profiles` only those listed,
/// and the first of them when the default is not among them.
struct MCPProfileChoice {
    let allowed: [String]
    /// The profile used when a call names none.
    let defaultName: String

    /// The profile for a call asking for `requested` (nil: the default).
    func choose(_ requested: String?) throws(VQError) -> String {
        guard let requested, !requested.isEmpty else { return defaultName }
        guard permits(requested) else {
            throw VQError(.usage, "profile '\(requested)' is not one vq mcp may use ([mcp] profiles = \(allowed.joined(separator: ", ")))")
        }
        return requested
    }

    func permits(_ name: String) -> Bool { allowed.isEmpty || allowed.contains(name) }

    init(settings: MCPSettings, listing: ProfileListing) {
        allowed = settings.profiles
        defaultName = allowed.isEmpty || allowed.contains(listing.selected) ? listing.selected : allowed[0]
    }
}
