import FoundationEssentials

/// Decides which config file applies: `--config`, else `$VQ_CONFIG`, else `$XDG_CONFIG_HOME/vq/config.toml`, else `~/.config/vq/config.toml`.
public enum ConfigLocator {
    /// The path and whether the user named it explicitly (an explicit path must exist).
    public static func locate(flag: String?, environment: [String: String]) -> (path: String, explicit: Bool) {
        if let flag, !flag.isEmpty { return (flag, true) }
        if let path = environment["VQ_CONFIG"], !path.isEmpty { return (path, true) }
        return (XDGPaths(environment: environment).config("config.toml"), false)
    }

    /// Loads the config if there is one. A missing implicit file is no config; a missing explicit one is an error.
    public static func load(flag: String?, environment: [String: String]) throws(VQError) -> ConfigFile? {
        let (path, explicit) = locate(flag: flag, environment: environment)
        var isDirectory = false
        if !FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            if explicit { throw VQError(.config, "\(path): config file not found") }
            return nil
        }
        if isDirectory { throw VQError(.config, "\(path): is a directory, not a config file") }
        return try ConfigFile.load(path: path)
    }
}
