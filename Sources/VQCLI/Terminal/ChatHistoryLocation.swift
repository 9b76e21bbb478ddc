import FoundationEssentials
import Platform

/// Where `vq chat` keeps what was typed at its prompt: `$XDG_STATE_HOME/vq/chat_history`, else
/// `~/.local/state/vq/chat_history` (history is state, not data: losing it loses nothing of value).
enum ChatHistoryLocation {
    static func path(environment: [String: String]) -> String {
        if let xdg = environment["XDG_STATE_HOME"], !xdg.isEmpty { return xdg + "/vq/chat_history" }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? SystemDirectories.home
        return home + "/.local/state/vq/chat_history"
    }
}
