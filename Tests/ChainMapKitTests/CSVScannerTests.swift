@testable import ChainMapKit
import CTextScan
import Testing

@Suite("CSV scanner")
struct CSVScannerTests {
    /// The records of a text, each as its cells.
    static func records(_ text: String, delimiter: UInt8 = 0x2C, maxRecordBytes: Int = 1 << 20) throws -> [[String]] {
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBufferPointer { b -> [[String]] in
            guard let base = b.baseAddress else { return [] }
            var ends: [Int] = []
            let cut = CSVScanner.recordEnds(
                base, from: 0, count: b.count, delimiter: delimiter, atEnd: true, maxRecordBytes: maxRecordBytes, into: &ends)
            #expect(cut == b.count)
            var result: [[String]] = []
            var start = 0
            var fields: [CSVScanner.Field] = []
            for end in ends {
                var to = end
                if to > start && base[to - 1] == CSVScanner.cr { to -= 1 }
                try CSVScanner.split(base, start: start, end: to, delimiter: delimiter, into: &fields)
                result.append(fields.map { CSVScanner.string(base, $0) })
                start = end + 1
            }
            return result
        }
    }

    @Test("quoted fields hold delimiters, line breaks and doubled quotes")
    func quoting() throws {
        let records = try Self.records("a,\"b,c\",\"d\ne\",\"say \"\"hi\"\"\"\r\nx,,z\r\n")
        #expect(records == [["a", "b,c", "d\ne", "say \"hi\""], ["x", "", "z"]])
    }

    @Test("a quote inside an unquoted field is text")
    func strayQuote() throws {
        #expect(try Self.records("专精特新\"小巨人\",b\n") == [["专精特新\"小巨人\"", "b"]])
    }

    @Test("the last line needs no line end; a trailing delimiter gives an empty last cell")
    func ends() throws {
        #expect(try Self.records("a,b\nc,") == [["a", "b"], ["c", ""]])
    }

    @Test("tabs delimit TSV")
    func tabs() throws {
        #expect(try Self.records("a\tb,c\n", delimiter: 0x09) == [["a", "b,c"]])
    }

    @Test("a quote that never closes is cut at the end of its line; the next lines stay records")
    func unterminated() throws {
        let text = "\"a,b\nc,d\ne,f\n"
        let bytes = Array(text.utf8)
        bytes.withUnsafeBufferPointer { b in
            var ends: [Int] = []
            _ = CSVScanner.recordEnds(b.baseAddress!, from: 0, count: b.count, delimiter: 0x2C, atEnd: true, maxRecordBytes: 1 << 20, into: &ends)
            #expect(ends == [4, 8, 12])
        }
        #expect(throws: CSVScanner.SplitFailure.self) { try Self.records("\"a,b\n") }
    }

    @Test("with more data to come, an open quote waits for it, up to the record limit")
    func waits() {
        let bytes = Array("a,b\n\"c\nd".utf8)
        bytes.withUnsafeBufferPointer { b in
            var ends: [Int] = []
            let cut = CSVScanner.recordEnds(b.baseAddress!, from: 0, count: b.count, delimiter: 0x2C, atEnd: false, maxRecordBytes: 100, into: &ends)
            #expect(ends == [3])
            #expect(cut == 4)
            ends = []
            let forced = CSVScanner.recordEnds(b.baseAddress!, from: 0, count: b.count, delimiter: 0x2C, atEnd: false, maxRecordBytes: 2, into: &ends)
            #expect(ends == [3, 6])
            #expect(forced == 7)
        }
    }

    @Test("a line without a line end is held while it may still be one long row, and cut once it outgrows any line")
    func endlessLine() {
        let bytes = [UInt8](repeating: UInt8(ascii: "a"), count: 50)
        bytes.withUnsafeBufferPointer { b in
            var ends: [Int] = []
            let held = CSVScanner.recordEnds(
                b.baseAddress!, from: 0, count: b.count, delimiter: 0x2C, atEnd: false, maxRecordBytes: 10, maxLineBytes: 100, into: &ends)
            #expect(ends == [])
            #expect(held == 0)
            let cut = CSVScanner.recordEnds(
                b.baseAddress!, from: 0, count: b.count, delimiter: 0x2C, atEnd: false, maxRecordBytes: 10, maxLineBytes: 40, into: &ends)
            #expect(ends == [50])
            #expect(cut == 50)
        }
    }

    @Test("a record without quotes splits at every delimiter, over any number of cells, and marks no quote")
    func unquotedSplit() throws {
        var generator = SeededGenerator(seed: 7)
        let pieces: [[UInt8]] = [Array("锂".utf8), Array("ab".utf8), [0x2C], [0x2C], Array("电解液".utf8), [0x20]]
        for length in [0, 1, 7, 8, 9, 31, 64, 200, 700] {
            for _ in 0..<20 {
                var bytes: [UInt8] = []
                for _ in 0..<length { bytes += pieces[Int(generator.next() % UInt64(pieces.count))] }
                let expected = bytes.split(separator: 0x2C, omittingEmptySubsequences: false).map { Array($0) }
                var fields: [CSVScanner.Field] = []
                try bytes.withUnsafeBufferPointer { b in
                    let base = b.baseAddress ?? UnsafePointer(bitPattern: 1)!
                    try CSVScanner.split(base, start: 0, end: b.count, delimiter: 0x2C, quoted: false, into: &fields)
                    #expect(fields.allSatisfy { !$0.quoted && !$0.malformed })
                }
                #expect(fields.map { Array(bytes[$0.start..<$0.end]) } == expected, "\(bytes.count) bytes")
                // The record-end search says which lines hold no quote.
                let text = bytes + [0x0A] + Array("\"a\nb\",c\n".utf8) + bytes + [0x0A]
                var ends: [Int] = []
                var quoted: [Bool] = []
                _ = text.withUnsafeBufferPointer { b in
                    CSVScanner.recordEnds(
                        b.baseAddress!, from: 0, count: b.count, delimiter: 0x2C, atEnd: true, maxRecordBytes: 1 << 20,
                        into: &ends, quoted: &quoted)
                }
                #expect(quoted == [false, true, false])
            }
        }
        // Runs of delimiters longer than the batch of offsets the scan gathers at a time,
        // starting at every offset within a block of 32 bytes (AVX2's; SSE2's is 16).
        for length in [15, 16, 17, 31, 32, 33, 47, 48, 63, 64, 65, 100, 1000] {
            for lead in 0..<33 {
                let bytes = [UInt8](repeating: 0x61, count: lead) + [UInt8](repeating: 0x2C, count: length) + [0x62]
                var fields: [CSVScanner.Field] = []
                try bytes.withUnsafeBufferPointer { b in
                    try CSVScanner.split(b.baseAddress!, start: 0, end: b.count, delimiter: 0x2C, quoted: false, into: &fields)
                }
                let expected = bytes.split(separator: 0x2C, omittingEmptySubsequences: false).map { Array($0) }
                #expect(fields.map { Array(bytes[$0.start..<$0.end]) } == expected, "\(lead) + \(length) delimiters")
            }
        }
    }

    @Test("both forms of the delimiter search (AVX2 where the processor has it, SSE2) find every delimiter a byte-by-byte walk finds, whatever the buffer of offsets holds")
    func delimiterSearchForms() {
        var generator = SeededGenerator(seed: 31)
        typealias Search = (UnsafePointer<UInt8>?, Int, Int, UInt8, UnsafeMutablePointer<Int>?, Int, UnsafeMutablePointer<Int>?) -> Int
        let forms: [(String, Search)] = [("chosen", chainmap_find_bytes), ("narrow", chainmap_find_bytes_narrow)]
        var compared = 0
        for density in [0, 2, 8, 50] {
            for _ in 0..<60 {
                let length = Int(generator.next() % 300)
                let bytes = (0..<length).map { _ in
                    Int(generator.next() % 100) < density ? UInt8(0x2C) : UInt8(0x61 + generator.next() % 20)
                }
                let from = length == 0 ? 0 : Int(generator.next() % UInt64(length / 2 + 1))
                let end = from + Int(generator.next() % UInt64(length - from + 1))
                let expected = (from..<end).filter { bytes[$0] == 0x2C }
                for capacity in [1, 2, 15, 16, 17, 31, 32, 33, 64] {
                    for (name, search) in forms {
                        var found: [Int] = []
                        bytes.withUnsafeBufferPointer { b in
                            let base = b.baseAddress ?? UnsafePointer(bitPattern: 1)!
                            var offsets = [Int](repeating: -1, count: capacity)
                            var at = from
                            while true {
                                var next = 0
                                let count = search(base, at, end, 0x2C, &offsets, capacity, &next)
                                found += offsets[..<count]
                                if next >= end { break }
                                // A full buffer: the scan resumes past where it started.
                                if next <= at { Issue.record("\(name): no progress from \(at)"); break }
                                at = next
                            }
                        }
                        if found != expected { Issue.record("\(name), capacity \(capacity), \(from)..<\(end) of \(length): \(found) against \(expected)") }
                        compared += 1
                    }
                }
            }
        }
        #expect(compared == 4 * 60 * 9 * 2)
    }

    @Test("the end of a record with quotes is where a plain byte-by-byte walk finds it")
    func quotedRecordEnds() {
        var generator = SeededGenerator(seed: 23)
        let pieces: [[UInt8]] = [[0x22], [0x22, 0x22], [0x0A], [0x2C], Array("ab".utf8), Array("锂电池".utf8), [0x20], Array("0123456789abcdef".utf8)]
        for _ in 0..<3000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int(generator.next() % 60) { bytes += pieces[Int(generator.next() % UInt64(pieces.count))] }
            for start in Set([0, bytes.count / 3, bytes.count / 2]) where start <= bytes.count {
                let found = bytes.withUnsafeBufferPointer { b in
                    CSVScanner.quotedRecordEnd(b.baseAddress ?? UnsafePointer(bitPattern: 1)!, start: start, count: b.count, delimiter: 0x2C)
                }
                #expect(found == Self.quotedRecordEnd(bytes, start: start), "\(bytes) from \(start)")
            }
        }
    }

    /// The end of the record at `start`, one byte at a time: a quote opens a quoted field
    /// only at a field's start, `""` inside one is a quote, and the first LF outside one
    /// ends the record; nil when a quoted field is still open at the end.
    static func quotedRecordEnd(_ bytes: [UInt8], start: Int) -> Int? {
        var i = start
        var fieldStart = true
        while i < bytes.count {
            let b = bytes[i]
            if fieldStart && b == 0x22 {
                i += 1
                while true {
                    guard let q = bytes[i...].firstIndex(of: 0x22) else { return nil }
                    i = q + 1
                    if i < bytes.count && bytes[i] == 0x22 { i += 1; continue }
                    if i == bytes.count { return bytes.count }
                    break
                }
                fieldStart = false
                continue
            }
            if b == 0x0A { return i }
            fieldStart = b == 0x2C
            i += 1
        }
        return bytes.count
    }

    @Test("UTF-8 checking finds the first bad byte and accepts all valid text")
    func utf8() {
        func check(_ bytes: [UInt8]) -> Int? {
            bytes.withUnsafeBufferPointer { TextDecoding.firstInvalidUTF8($0.baseAddress!, from: 0, to: $0.count) }
        }
        #expect(check(Array("企业名称 ASCII текст 😀 \u{10FFFF}".utf8)) == nil)
        #expect(check(Array("电解液".utf8) + [0xC8, 0xCB] + Array("ab".utf8)) == 9)
        #expect(check([0xED, 0xA0, 0x80]) == 0)  // a surrogate
        #expect(check([0xE0, 0x80, 0x80]) == 0)  // overlong
        #expect(check(Array("锂".utf8).dropLast()) == 0)  // cut off
        // The two-at-a-time path, with a bad byte at every position of a long CJK run.
        let run = Array(String(repeating: "隔膜", count: 20).utf8)
        for position in stride(from: 0, to: run.count, by: 5) {
            var bytes = run
            bytes[position] = 0xFF
            #expect(check(bytes) == position - position % 3 || check(bytes) == position)
        }
        // Against a plain reference, on mixed text with every kind of damage at random places.
        var generator = SeededGenerator(seed: 11)
        let pieces: [[UInt8]] = [
            Array("隔膜".utf8), Array("锂电池正极材料".utf8), Array("；".utf8), Array("a1".utf8), Array("é".utf8),
            Array("😀".utf8), [0xE0, 0xA0, 0x80], [0xED, 0x9F, 0xBF], Array("\u{FFFD}".utf8),
        ]
        let damage: [[UInt8]] = [[0xFF], [0x80], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xE4, 0xB8], [0xC0, 0x80], [0xF4, 0x90, 0x80, 0x80]]
        for _ in 0..<3000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int(generator.next() % 40) { bytes += pieces[Int(generator.next() % UInt64(pieces.count))] }
            if generator.next() % 3 != 0 {
                let at = Int(generator.next() % UInt64(bytes.count + 1))
                bytes.insert(contentsOf: damage[Int(generator.next() % UInt64(damage.count))], at: at)
            }
            if generator.next() % 5 == 0, !bytes.isEmpty { bytes.removeLast() }
            #expect(bytes.isEmpty || check(bytes) == Self.firstInvalid(bytes), "\(bytes)")
        }
    }

    @Test("the validator that stands in without libsimdjson answers as simdjson's does")
    func plainValidatorAgreesWithSimdjson() {
        #if os(Linux)
        // Else the comparison below would be the plain validator against itself.
        #expect(chainmap_utf8_validator_is_simdjson() == 1, "libsimdjson (libsimdjson-dev) was not loaded")
        #endif
        func both(_ bytes: [UInt8]) -> (simdjson: Int32, plain: Int32) {
            bytes.withUnsafeBufferPointer { ($0.count == 0 ? 1 : chainmap_utf8_valid($0.baseAddress!, $0.count), chainmap_utf8_valid_plain($0.baseAddress, $0.count)) }
        }
        // Every one- and two-byte sequence, and every three- and four-byte lead with the
        // continuation bytes at the edges of each range.
        var cases: [[UInt8]] = (0...255).map { [UInt8($0)] }
        for a in 0...255 { for b in 0...255 { cases.append([UInt8(a), UInt8(b)]) } }
        let edges: [UInt8] = [0x00, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF]
        for lead in 0xE0...0xFF { for b in edges { for c in edges {
            cases.append([UInt8(lead), b, c])
            for d in edges { cases.append([UInt8(lead), b, c, d]) }
        } } }
        var disagreements = 0
        for bytes in cases {
            let answers = both(bytes)
            if answers.simdjson != answers.plain || (answers.plain != 0) != (Self.firstInvalid(bytes) == nil) { disagreements += 1 }
        }
        #expect(disagreements == 0)
        #expect(cases.count > 65_536)
        // Long mixed text, where simdjson takes its wide path.
        var generator = SeededGenerator(seed: 12)
        let pieces: [[UInt8]] = [Array("锂电池正极材料".utf8), Array("a1 ".utf8), Array("😀".utf8), [0xF4, 0x8F, 0xBF, 0xBF]]
        let damage: [[UInt8]] = [[0xFF], [0x80], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80]]
        for _ in 0..<500 {
            var bytes: [UInt8] = []
            for _ in 0..<Int(40 + generator.next() % 200) { bytes += pieces[Int(generator.next() % UInt64(pieces.count))] }
            if generator.next() % 2 == 0 {
                bytes.insert(contentsOf: damage[Int(generator.next() % UInt64(damage.count))], at: Int(generator.next() % UInt64(bytes.count + 1)))
            }
            let answers = both(bytes)
            #expect(answers.simdjson == answers.plain && (answers.plain != 0) == (Self.firstInvalid(bytes) == nil))
        }
    }

    /// The first byte that is not part of valid UTF-8, one sequence at a time (RFC 3629).
    static func firstInvalid(_ bytes: [UInt8]) -> Int? {
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            let (length, low, high): (Int, UInt8, UInt8) = switch b {
            case 0x00...0x7F: (1, 0, 0)
            case 0xC2...0xDF: (2, 0x80, 0xBF)
            case 0xE0: (3, 0xA0, 0xBF)
            case 0xE1...0xEC, 0xEE...0xEF: (3, 0x80, 0xBF)
            case 0xED: (3, 0x80, 0x9F)
            case 0xF0: (4, 0x90, 0xBF)
            case 0xF1...0xF3: (4, 0x80, 0xBF)
            case 0xF4: (4, 0x80, 0x8F)
            default: (0, 0, 0)
            }
            if length == 0 || i + length > bytes.count { return i }
            if length > 1 {
                if bytes[i + 1] < low || bytes[i + 1] > high { return i }
                for k in 2..<length where bytes[i + k] & 0xC0 != 0x80 { return i }
            }
            i += length
        }
        return nil
    }
}
