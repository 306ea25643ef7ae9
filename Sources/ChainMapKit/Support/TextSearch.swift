#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte-level text search for the paths that run once per matched row of a million-row
/// export: searching the UTF-8 of strings directly is many times faster than
/// Foundation's locale-aware `contains`/`range(of:)`, and exact byte equality is what
/// the rules want.
enum TextSearch {
    /// The UTF-8 offset of the first occurrence of `needle` in `haystack`.
    static func find(_ needle: String, in haystack: String) -> Int? {
        guard !needle.isEmpty else { return 0 }
        var haystack = haystack
        var needle = needle
        return haystack.withUTF8 { h in needle.withUTF8 { n in find(n, in: h) } }
    }

    /// The offset of the first occurrence of the bytes `n` (not empty) in `h`.
    static func find(_ n: UnsafeBufferPointer<UInt8>, in h: UnsafeBufferPointer<UInt8>) -> Int? {
        guard h.count >= n.count, let hBase = h.baseAddress, let nBase = n.baseAddress else { return nil }
        let first = Int32(n[0])
        let last = h.count - n.count
        var i = 0
        // memchr to each candidate first byte, then compare the rest.
        while i <= last, let hit = memchr(hBase + i, first, last - i + 1) {
            let offset = UnsafeRawPointer(hBase).distance(to: UnsafeRawPointer(hit))
            if memcmp(hBase + offset, nBase, n.count) == 0 { return offset }
            i = offset + 1
        }
        return nil
    }

    /// Whether `haystack` contains `needle` (UTF-8 bytes).
    static func contains(_ haystack: String, _ needle: String) -> Bool {
        find(needle, in: haystack) != nil
    }

    /// Whether `text` contains any of the words: the text's bytes are reached once, not
    /// once per word.
    static func containsAny(_ text: String, _ words: [String]) -> Bool {
        var text = text
        return text.withUTF8 { containsAny($0, words) }
    }

    /// Whether UTF-8 bytes contain any of the words (a row's cell, read in place).
    static func containsAny(_ h: UnsafeBufferPointer<UInt8>, _ words: [String]) -> Bool {
        words.contains { word in
            guard !word.isEmpty else { return true }
            // A word's bytes in place (a short word is held inline), else through a copy.
            if let found = word.utf8.withContiguousStorageIfAvailable({ find($0, in: h) != nil }) { return found }
            var word = word
            return word.withUTF8 { find($0, in: h) != nil }
        }
    }

    /// Whether `text` starts with `prefix` (UTF-8 bytes).
    static func hasPrefix(_ text: Substring, _ prefix: String) -> Bool {
        text.utf8.starts(with: prefix.utf8)
    }
}
