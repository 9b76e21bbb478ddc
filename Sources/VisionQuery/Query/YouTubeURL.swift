import FoundationEssentials

/// A YouTube video's address (`youtube.com/watch?v=…`, `youtu.be/…`, `youtube.com/shorts/…`): Gemini reads these
/// itself (`file_data` with the URL); no other service can, and vq does not download them.
public enum YouTubeURL {
    /// Whether `argument` is a YouTube video URL.
    public static func matches(_ argument: String) -> Bool {
        guard InputLoader.isURL(argument), let components = URLComponents(string: argument), var host = components.host?.lowercased() else {
            return false
        }
        for prefix in ["www.", "m.", "music."] where host.hasPrefix(prefix) { host.removeFirst(prefix.count) }
        let path = components.path
        switch host {
        case "youtu.be":
            return path.count > 1
        case "youtube.com":
            if path == "/watch" { return components.queryItems?.contains { $0.name == "v" && !($0.value ?? "").isEmpty } == true }
            return path.hasPrefix("/shorts/") && path.count > "/shorts/".count
        default:
            return false
        }
    }
}
