import FoundationEssentials
import VisionQuery

/// Where `vq chat` keeps what was typed at its prompt: `$XDG_STATE_HOME/vq/chat_history`, else
/// `~/.local/state/vq/chat_history` (history is state, not data: losing it loses nothing of value).
enum ChatHistoryLocation {
    static func path(environment: [String: String]) -> String { XDGPaths(environment: environment).state("chat_history") }
}
