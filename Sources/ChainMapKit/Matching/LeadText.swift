#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte-level text helpers for the matching path, which runs once per matched row of
/// a million-row export: searching the UTF-8 of strings directly is many times faster
/// than Foundation's locale-aware `contains`/`range(of:)`, and exact byte equality is
/// what the rules want.
enum LeadText {
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

    /// `value` with exactly `decimals` decimals (0…6), rounded half away from zero:
    /// 12.345 → "12.35". Foundation's `String(format:)` is slow on Linux.
    static func fixed(_ value: Double, _ decimals: Int) -> String {
        guard value.isFinite else { return "0" }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9e15 else { return String(value) }
        let units = Int(scaled)
        let power = Int(scale)
        var text = String(units / power)
        if decimals > 0 {
            let fraction = String(units % power)
            text += "." + String(repeating: "0", count: decimals - fraction.count) + fraction
        }
        return value < 0 && units != 0 ? "-" + text : text
    }

    /// `value` with at most `decimals` decimals, trailing zeros dropped: 12.50 → "12.5".
    static func trimmed(_ value: Double, _ decimals: Int) -> String {
        var text = fixed(value, decimals)
        if text.utf8.contains(UInt8(ascii: ".")) {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text == "-0" ? "0" : text
    }
}
