import FoundationEssentials

/// Where the conversation log lives: `$VQ_LOG_DB`, else `$XDG_DATA_HOME/vq/logs.db`, else `~/.local/share/vq/logs.db`.
public enum LogLocator {
    public static func path(environment: [String: String]) -> String {
        if let path = environment["VQ_LOG_DB"], !path.isEmpty { return path }
        return XDGPaths(environment: environment).data("logs.db")
    }
}
