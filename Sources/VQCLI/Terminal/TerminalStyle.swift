import VisionQuery

/// The SGR escape sequences vq colours with; whether to use them is TerminalCapabilities' decision.
enum TerminalStyle {
    static let reset = "\u{1B}[0m"
    static let dim = "\u{1B}[2m"
    static let bold = "\u{1B}[1m"
    static let red = "\u{1B}[31m"
    static let yellow = "\u{1B}[33m"
    static let cyan = "\u{1B}[36m"

    /// `text` in `style` when `enabled`, else unchanged.
    static func paint(_ text: String, _ style: String, enabled: Bool) -> String {
        enabled ? style + text + reset : text
    }

    /// `text` as a terminal shows a run of that style (plain text unchanged).
    static func paint(_ text: String, style: StyledText.Style) -> String {
        switch style {
        case .plain: return text
        case .heading: return bold + cyan + text + reset
        case .label: return bold + text + reset
        }
    }
}
