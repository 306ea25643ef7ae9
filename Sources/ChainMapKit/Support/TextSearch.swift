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
        return haystack.withUTF8Bytes { h in needle.withUTF8Bytes { n in find(n, in: h) } }
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

    /// The offset of the first `byte` in `base[from..<end]`, or `end` when there is none
    /// (`memchr`, which finds it many bytes at a time).
    @inline(__always)
    static func offset(of byte: UInt8, in base: UnsafePointer<UInt8>, from: Int, to end: Int) -> Int {
        guard from < end, let hit = memchr(base + from, Int32(byte), end - from) else { return end }
        return UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit))
    }

    /// Whether `haystack` contains `needle` (UTF-8 bytes).
    static func contains(_ haystack: String, _ needle: String) -> Bool {
        find(needle, in: haystack) != nil
    }

    /// Words searched for together in many texts (the registration statuses that mean an
    /// enterprise has closed, in the registration cell of every matching row): their bytes
    /// made once, and a text's bytes walked once, each byte tried only against the words
    /// that start with it. Searching the cell once per word, each search a `memchr` and a
    /// `memcmp`, took 600 instructions for a cell of two characters.
    struct Words: Sendable {
        /// The words' UTF-8, each not empty.
        private let words: [[UInt8]]
        /// Whether some word starts with each byte value.
        private let starts: [Bool]
        /// Whether a word is empty (every text contains it).
        private let hasEmpty: Bool

        init(_ words: [String]) {
            hasEmpty = words.contains(where: \.isEmpty)
            self.words = words.filter { !$0.isEmpty }.map { Array($0.utf8) }
            var starts = [Bool](repeating: false, count: 256)
            for word in self.words { starts[Int(word[0])] = true }
            self.starts = starts
        }

        /// Whether the bytes contain any of the words.
        func found(in h: UnsafeBufferPointer<UInt8>) -> Bool {
            if hasEmpty { return true }
            return starts.withUnsafeBufferPointer { starts in
                for i in h.indices where starts[Int(h[i])] {
                    for word in words where word[0] == h[i] && word.count <= h.count - i {
                        let same = word.withUnsafeBufferPointer { w in memcmp(h.baseAddress! + i, w.baseAddress!, w.count) == 0 }
                        if same { return true }
                    }
                }
                return false
            }
        }

        /// Whether the text contains any of the words.
        func found(in text: String) -> Bool {
            text.withUTF8Bytes { found(in: $0) }
        }
    }

    /// Whether `text` starts with `prefix` (UTF-8 bytes).
    static func hasPrefix(_ text: Substring, _ prefix: String) -> Bool {
        text.utf8.starts(with: prefix.utf8)
    }
}

extension String {
    /// Calls `body` with the string's UTF-8 where it is stored, when it is stored as one
    /// block (a native string), else with a copy made contiguous. `withUTF8` is mutating:
    /// calling it on a copy of a string (`var text = text`) retained and released the
    /// string on every call, on the paths that run for every matching row.
    @inline(__always)
    func withUTF8Bytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        if let result = try utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = self
        return try copy.withUTF8(body)
    }
}
