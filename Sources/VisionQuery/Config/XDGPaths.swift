import FoundationEssentials
import Platform

/// The XDG base directories vq keeps its files in, read from one environment in one place: `$XDG_CONFIG_HOME/vq`
/// (else `~/.config/vq`) for the config, keys and saved templates, `$XDG_DATA_HOME/vq` (else `~/.local/share/vq`) for the
/// log, `$XDG_STATE_HOME/vq` (else `~/.local/state/vq`) for the chat history.
/// An empty variable counts as unset, as the specification says.
public struct XDGPaths: Sendable {
    public let environment: [String: String]

    public init(environment: [String: String]) { self.environment = environment }

    /// `$HOME`, else the account's home directory.
    public var home: String { environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? SystemDirectories.home }

    /// `$XDG_CONFIG_HOME/vq/NAME`, else `~/.config/vq/NAME`.
    public func config(_ name: String) -> String { directory("XDG_CONFIG_HOME", fallback: ".config") + "/vq/" + name }

    /// `$XDG_DATA_HOME/vq/NAME`, else `~/.local/share/vq/NAME`.
    public func data(_ name: String) -> String { directory("XDG_DATA_HOME", fallback: ".local/share") + "/vq/" + name }

    /// `$XDG_STATE_HOME/vq/NAME`, else `~/.local/state/vq/NAME`: what is worth keeping but not worth a backup (the chat
    /// history).
    public func state(_ name: String) -> String { directory("XDG_STATE_HOME", fallback: ".local/state") + "/vq/" + name }

    private func directory(_ variable: String, fallback: String) -> String {
        if let value = environment[variable], !value.isEmpty { return value }
        return home + "/" + fallback
    }
}
