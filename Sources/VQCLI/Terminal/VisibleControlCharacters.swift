/// Shows control characters the way `cat -v` does (ESC as `^[`, DEL as `^?`, a C1 control such as CSI as `M-^[`), so
/// text from a model or a server cannot drive the terminal: no title change, no OSC 52 clipboard write, no screen
/// clear. Line feeds and tabs stay as they are.
enum VisibleControlCharacters {
    /// `text` with every control character but LF and TAB made visible; unchanged (not copied) when it has none.
    static func visible(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            guard needsEscape(scalar) else {
                out.append(scalar)
                continue
            }
            let value = scalar.value
            if value >= 0x80 { out.append(contentsOf: "M-".unicodeScalars) }
            let low = value & 0x7F
            out.append("^")
            out.append(Unicode.Scalar(low == 0x7F ? 0x3F : low + 0x40)!)
        }
        return String(out)
    }

    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return (value < 0x20 && value != 0x0A && value != 0x09) || (0x7F...0x9F).contains(value)
    }
}
