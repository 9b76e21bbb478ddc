/// Fits a progress line to the terminal: the first form that fits in one column less than the width (a line that
/// fills the last column wraps on some terminals), else the shortest form cut with `…`.
enum ProgressLine {
    static func fit(_ forms: [String], columns: Int) -> String {
        let room = max(columns - 1, 1)
        if let fitting = forms.first(where: { $0.count <= room }) { return fitting }
        let shortest = forms.min { $0.count < $1.count } ?? ""
        return room <= 1 ? String(shortest.prefix(room)) : String(shortest.prefix(room - 1)) + "…"
    }
}
