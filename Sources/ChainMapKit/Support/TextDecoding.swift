import CTextScan
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turning the bytes of a user's file into text, with located errors.
public enum TextDecoding {
    /// The UTF-8 byte order mark, which Windows editors put at the start of files.
    public static let utf8BOM: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// Decodes a file that must be UTF-8 text: strips a BOM, rejects UTF-16, NUL bytes and
    /// invalid UTF-8 with the place of the first bad byte, and says when the bytes look
    /// like GBK/GB18030 (what Excel and Notepad save on Chinese Windows).
    public static func utf8Text(_ bytes: [UInt8], file: String) throws(DiagnosticError) -> String {
        var body = bytes[...]
        if body.starts(with: utf8BOM) { body = body.dropFirst(3) }
        if body.starts(with: [0xFF, 0xFE]) || body.starts(with: [0xFE, 0xFF]) {
            throw DiagnosticError(.error(
                .input, "file is UTF-16 text; save it as UTF-8", at: .init(file: file, line: 1, column: 1)))
        }
        // A file of a few pages, a chain say, goes through the plain validator: loading
        // simdjson's library for it would cost the run more than the validator saves.
        let plainlyValid = body.count <= plainValidatorLimit
            && body.withUnsafeBufferPointer { chainmap_utf8_valid_plain($0.baseAddress, $0.count) != 0 }
        if !plainlyValid, let bad = firstInvalidUTF8(body) {
            let (line, column) = position(of: bad, in: body)
            var message = String(
                format: "file is not UTF-8 text: byte 0x%02X cannot be read as UTF-8", body[bad])
            if transcode(Array(body), from: "GB18030") != nil {
                message += "; it looks like GBK/GB18030 — save the file as UTF-8"
            }
            throw DiagnosticError(.error(.input, message, at: .init(file: file, line: line, column: column)))
        }
        if let nul = body.firstIndex(of: 0) {
            let (line, column) = position(of: nul, in: body)
            throw DiagnosticError(.error(
                .input, "file contains a NUL byte; it is not a text file",
                at: .init(file: file, line: line, column: column)))
        }
        return String(decoding: body, as: UTF8.self)
    }

    /// The longest file ``utf8Text(_:file:)`` checks with the plain validator, not
    /// simdjson's (whose library is loaded when first asked for): 64 KiB.
    static let plainValidatorLimit = 64 << 10

    /// The shortest text that ``firstInvalidUTF8(_:from:to:)`` hands to simdjson's validator.
    static let validatorMinimum = 32

    /// The character whose UTF-8 starts at `base[i]` (valid UTF-8), and its length.
    @inline(__always)
    static func scalar(_ base: UnsafePointer<UInt8>, at i: Int) -> (scalar: Unicode.Scalar, length: Int) {
        let b = UInt32(base[i])
        let (value, length): (UInt32, Int) = switch b {
        case 0..<0x80: (b, 1)
        case 0..<0xE0: ((b & 0x1F) << 6 | UInt32(base[i + 1] & 0x3F), 2)
        case 0..<0xF0: ((b & 0x0F) << 12 | UInt32(base[i + 1] & 0x3F) << 6 | UInt32(base[i + 2] & 0x3F), 3)
        default: ((b & 0x07) << 18 | UInt32(base[i + 1] & 0x3F) << 12 | UInt32(base[i + 2] & 0x3F) << 6 | UInt32(base[i + 3] & 0x3F), 4)
        }
        return (Unicode.Scalar(value) ?? "\u{FFFD}", length)
    }

    /// Whether `base[from..<to]` is valid UTF-8 throughout (simdjson's validator, many
    /// bytes per step): for a block of rows at once.
    static func isValidUTF8(_ base: UnsafePointer<UInt8>, from: Int, to end: Int) -> Bool {
        end <= from || chainmap_utf8_valid(base + from, end - from) != 0
    }

    /// The index of the first byte that is not part of valid UTF-8, or nil.
    public static func firstInvalidUTF8(_ bytes: ArraySlice<UInt8>) -> Int? {
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return nil }
            return firstInvalidUTF8(base, from: 0, to: buffer.count).map { bytes.startIndex + $0 }
        }
    }

    /// The offset of the first byte in `base[from..<to]` that is not part of valid UTF-8,
    /// or nil. A sequence cut off by `to` counts as invalid.
    public static func firstInvalidUTF8(_ base: UnsafePointer<UInt8>, from: Int, to end: Int) -> Int? {
        // Valid text (nearly every cell) is told by simdjson's validator, many bytes per
        // step; the loop below finds where invalid text goes wrong, and checks the short
        // texts, for which the call costs more than it saves.
        if end - from >= Self.validatorMinimum, chainmap_utf8_valid(base + from, end - from) != 0 { return nil }
        var i = from
        while i < end {
            let b = base[i]
            if b < 0x80 {
                i += 1
                // An ASCII run, eight bytes at a time.
                while i + 8 <= end, UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                    i += 8
                }
                continue
            }
            // The common case in Chinese text: three-byte sequences with leads E1–EC or
            // EE–EF. Four at a time while they last (two eight-byte loads, six bytes of each),
            // then two with one eight-byte load, or one with a four-byte load.
            let runStart = i
            while i + 14 <= end {
                let w0 = UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
                let w1 = UInt64(littleEndian: UnsafeRawPointer(base + i + 6).loadUnaligned(as: UInt64.self))
                guard w0 & 0x0000_C0C0_F0C0_C0F0 == 0x0000_8080_E080_80E0,
                      w1 & 0x0000_C0C0_F0C0_C0F0 == 0x0000_8080_E080_80E0 else { break }
                // The four leads' low nibbles, one per byte (0, 1, 3, 4); the other bytes
                // set to 1. A nibble 0 (E0) or D (ED) needs the exact check below.
                let nibbles = (w0 & 0x0F00_000F) | ((w1 & 0x0F00_000F) << 8)
                let filler: UInt64 = 0x0101_0100_0001_0000
                let e0 = zeroBytes(nibbles | filler)
                let ed = zeroBytes((nibbles ^ 0x0000_000D_0D00_0D0D) | filler)
                guard e0 | ed == 0 else { break }
                i += 12
            }
            if i != runStart { continue }
            if i + 8 <= end {
                let word = UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
                if word & 0x0000_C0C0_F0C0_C0F0 == 0x0000_8080_E080_80E0 {
                    let lead0 = UInt8(truncatingIfNeeded: word), lead1 = UInt8(truncatingIfNeeded: word >> 24)
                    if lead0 != 0xE0 && lead0 != 0xED && lead1 != 0xE0 && lead1 != 0xED {
                        i += 6
                        continue
                    }
                }
            }
            if i + 4 <= end {
                let word = UInt32(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt32.self))
                if word & 0x00C0_C0F0 == 0x0080_80E0 && b != 0xE0 && b != 0xED {
                    i += 3
                    continue
                }
            }
            let length: Int
            var low: UInt8 = 0x80, high: UInt8 = 0xBF
            switch b {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F
            default: return i
            }
            guard i + length <= end else { return i }
            let second = base[i + 1]
            guard second >= low && second <= high else { return i }
            if length > 2 {
                for k in 2..<length where base[i + k] & 0xC0 != 0x80 { return i }
            }
            i += length
        }
        return nil
    }

    /// 0x80 in each byte of `x` that is zero, 0 in every other byte (exact, unlike the
    /// borrow test of ``CSVScanner/hasZeroByte(_:)``, which can mark a byte after a zero one).
    @inline(__always)
    static func zeroBytes(_ x: UInt64) -> UInt64 {
        let low: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        return ~(((x & low) &+ low) | x | low)
    }

    /// 1-based line and column (in Unicode scalars of the valid prefix) of a byte offset.
    static func position(of offset: Int, in bytes: ArraySlice<UInt8>) -> (Int, Int) {
        var line = 1
        var lineStart = bytes.startIndex
        for i in bytes.startIndex..<offset where bytes[i] == 0x0A {
            line += 1
            lineStart = i + 1
        }
        // Count scalars: every byte that is not a UTF-8 continuation byte starts one.
        let column = bytes[lineStart..<offset].reduce(1) { $1 & 0xC0 == 0x80 ? $0 : $0 + 1 }
        return (line, column)
    }

    /// Converts bytes in another encoding (an iconv name, such as "GB18030") to a String,
    /// or nil when they are not valid in it.
    public static func transcode(_ bytes: [UInt8], from encoding: String) -> String? {
        let cd = iconv_open("UTF-8", encoding)
        guard cd != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(cd) }
        if bytes.isEmpty { return "" }
        var input = bytes
        var output = [UInt8](repeating: 0, count: bytes.count * 2 + 16)
        let produced: Int? = input.withUnsafeMutableBytes { inRaw in
            output.withUnsafeMutableBytes { outRaw in
                var inPtr: UnsafeMutablePointer<CChar>? = inRaw.baseAddress!.assumingMemoryBound(to: CChar.self)
                var inLeft = inRaw.count
                var outPtr: UnsafeMutablePointer<CChar>? = outRaw.baseAddress!.assumingMemoryBound(to: CChar.self)
                var outLeft = outRaw.count
                guard iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft) != -1, inLeft == 0 else { return nil }
                return outRaw.count - outLeft
            }
        }
        guard let produced else { return nil }
        return String(decoding: output[..<produced], as: UTF8.self)
    }
}
