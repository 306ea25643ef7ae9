/// A bit for each character of three UTF-8 bytes (U+0800–U+FFFF, the Chinese ones among
/// them), indexed by its 16 bits: ``words`` words, 8 KB, that a look-up per character
/// reads from the processor's nearest cache. The keyword scan's starting and single
/// characters (``KeywordAutomaton``'s skip tables) and the characters a name's key
/// changes (``LeadValues/changingCharacters``) are such sets.
enum CharacterBits {
    /// The words of a set: 65,536 bits.
    static let words = 1 << 10

    /// The 16 bits of the three-byte character at `base[i]`, if a whole, well-formed one
    /// is there (the caller makes sure its three bytes are).
    @inline(__always)
    static func character(_ base: UnsafePointer<UInt8>, at i: Int) -> Int? {
        let b0 = base[i], b1 = base[i &+ 1], b2 = base[i &+ 2]
        guard b0 & 0xF0 == 0xE0, (b1 ^ 0x80) | (b2 ^ 0x80) < 0x40 else { return nil }
        return Int(b0 & 0x0F) << 12 | Int(b1 & 0x3F) << 6 | Int(b2 & 0x3F)
    }

    /// Sets `character`'s bit in `bits`.
    static func insert(_ character: Int, into bits: UnsafeMutablePointer<UInt64>) {
        bits[character >> 6] |= 1 << UInt64(character & 63)
    }

    /// Whether `character`'s bit is set in `bits`.
    @inline(__always)
    static func contains(_ bits: UnsafePointer<UInt64>, _ character: Int) -> Bool {
        bits[character >> 6] & (1 << UInt64(character & 63)) != 0
    }
}
