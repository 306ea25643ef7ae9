/// Text made safe for a terminal. Names, scopes and capital cells come from third-party
/// exports; an ESC, an OSC sequence or a C1 control in them would move the cursor, set
/// the window title or hide text. Every such character is shown as its escape, `\u{1B}`,
/// so that the reader sees it and the terminal does nothing.
public enum TerminalText {
    /// Whether a character must not reach a terminal raw: C0 controls (tab and line feed
    /// excepted, by the caller's choice), DEL, C1 controls, and the bidirectional
    /// overrides and isolates that reorder what is shown (U+202A–U+202E, U+2066–U+2069,
    /// U+200E, U+200F, U+061C) and the line and paragraph separators.
    @inline(__always)
    static func isUnsafe(_ scalar: Unicode.Scalar, keepingLineBreaks: Bool) -> Bool {
        switch scalar.value {
        case 0x09: false
        case 0x0A: !keepingLineBreaks
        case 0..<0x20, 0x7F...0x9F: true
        case 0x2028, 0x2029: true
        default: BidiControls.contains(scalar)
        }
    }

    /// The text with every unsafe character written as `\u{HEX}`.
    ///
    /// - Parameters:
    ///   - keepingLineBreaks: keep line feeds (whole outputs); without it a line feed is
    ///     escaped too (one table cell, one diagnostic line).
    ///   - allowingStyles: keep the colour and weight sequences chainmap itself writes
    ///     (SGR, `ESC [ … m`, and erase-line `ESC [ K`), for output already escaped cell
    ///     by cell on a colour terminal.
    public static func escape(_ text: String, keepingLineBreaks: Bool = false, allowingStyles: Bool = false) -> String {
        guard mayNeedEscape(text, keepingLineBreaks: keepingLineBreaks) else { return text }
        guard text.unicodeScalars.contains(where: { isUnsafe($0, keepingLineBreaks: keepingLineBreaks) }) else { return text }
        let scalars = Array(text.unicodeScalars)
        var result = String.UnicodeScalarView()
        var i = 0
        while i < scalars.count {
            let scalar = scalars[i]
            if allowingStyles && scalar == "\u{1B}", let end = styleSequenceEnd(scalars, from: i) {
                result.append(contentsOf: scalars[i...end])
                i = end + 1
                continue
            }
            if isUnsafe(scalar, keepingLineBreaks: keepingLineBreaks) {
                result.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
            } else {
                result.append(scalar)
            }
            i += 1
        }
        return String(result)
    }

    /// The index of the last character of an `ESC [ digits;… m` or `ESC [ K` sequence
    /// starting at `start`, if there is one.
    static func styleSequenceEnd(_ scalars: [Unicode.Scalar], from start: Int) -> Int? {
        guard start + 2 < scalars.count, scalars[start + 1] == "[" else { return nil }
        var i = start + 2
        while i < scalars.count, scalars[i] == ";" || ("0"..."9").contains(scalars[i]), i - start < 16 { i += 1 }
        guard i < scalars.count else { return nil }
        if scalars[i] == "m" { return i }
        if scalars[i] == "K" && i == start + 2 { return i }
        return nil
    }

    /// A byte scan that rules out most text at once: C0 bytes, DEL, and the lead bytes of
    /// the C1 controls (0xC2), of U+061C (0xD8) and of the U+2000 block (0xE2).
    static func mayNeedEscape(_ text: String, keepingLineBreaks: Bool = false) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            for byte in bytes {
                switch byte {
                case 0x0A where keepingLineBreaks: continue
                case 0..<0x20 where byte != 0x09, 0x7F, 0xC2, 0xD8, 0xE2: return true
                default: continue
                }
            }
            return false
        }
    }
}
