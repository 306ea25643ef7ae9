/// The bidirectional formatting characters: the embeddings and overrides (U+202A–U+202E),
/// the isolates (U+2066–U+2069) and the marks (U+200E, U+200F, U+061C). A browser, Word,
/// Graphviz's text layout and a terminal all obey them, reordering what follows: a lead
/// named `甲公司\u{202E}…` would show the rest of its sentence, or of the map's label,
/// backwards, and could make one name read as another. No enterprise name needs one
/// (Arabic or Hebrew text is ordered by its own letters), so every writer of text for
/// people shows them instead of obeying them: U+FFFD (�) in HTML, SVG and Markdown (so
/// Word), `\u{202E}` on a terminal (``TerminalText``). CSV, XLSX and JSON keep them: they
/// are data, and a spreadsheet confines one to its cell.
public enum BidiControls {
    /// Whether the character is one of them.
    @inline(__always)
    public static func contains(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    /// Whether the UTF-8 bytes hold one at `i`: `D8 9C`, `E2 80 8E`, `E2 80 8F`,
    /// `E2 80 AA`–`AE`, `E2 81 A6`–`A9`.
    @inline(__always)
    static func starts(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        let lead = bytes[i]
        if lead == 0xD8 { return i + 1 < bytes.count && bytes[i + 1] == 0x9C }
        guard lead == 0xE2, i + 2 < bytes.count else { return false }
        let (second, third) = (bytes[i + 1], bytes[i + 2])
        if second == 0x80 { return third == 0x8E || third == 0x8F || (0xAA...0xAE).contains(third) }
        return second == 0x81 && (0xA6...0xA9).contains(third)
    }

    /// Whether the text holds one (a byte scan).
    static func isIn(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            for i in bytes.indices where bytes[i] == 0xE2 || bytes[i] == 0xD8 {
                if starts(bytes, at: i) { return true }
            }
            return false
        }
    }

    /// The text with each one replaced by U+FFFD; the text itself when it has none.
    static func replaced(in text: String) -> String {
        guard isIn(text) else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars { result.append(contains(scalar) ? "\u{FFFD}" : scalar) }
        return String(result)
    }
}
