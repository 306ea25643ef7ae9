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
        return haystack.withUTF8 { h -> Int? in
            needle.withUTF8 { n -> Int? in
                guard h.count >= n.count else { return nil }
                let first = Int32(n[0])
                let last = h.count - n.count
                var i = 0
                // memchr to each candidate first byte, then compare the rest.
                while i <= last, let hit = memchr(h.baseAddress! + i, first, last - i + 1) {
                    let offset = UnsafeRawPointer(h.baseAddress!).distance(to: UnsafeRawPointer(hit))
                    if memcmp(h.baseAddress! + offset, n.baseAddress!, n.count) == 0 { return offset }
                    i = offset + 1
                }
                return nil
            }
        }
    }

    /// Whether `haystack` contains `needle` (UTF-8 bytes).
    static func contains(_ haystack: String, _ needle: String) -> Bool {
        find(needle, in: haystack) != nil
    }

    /// Whether `text` contains any of the words.
    static func containsAny(_ text: String, _ words: [String]) -> Bool {
        words.contains { contains(text, $0) }
    }

    /// Whether `text` starts with `prefix` (UTF-8 bytes).
    static func hasPrefix(_ text: Substring, _ prefix: String) -> Bool {
        text.utf8.starts(with: prefix.utf8)
    }
}
