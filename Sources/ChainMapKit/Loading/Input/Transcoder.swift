import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A text encoding of a lead export, by its iconv name.
public struct LeadFileEncoding: Hashable, Sendable, CustomStringConvertible {
    /// The iconv name (UTF-8, GB18030, BIG5, UTF-16LE, UTF-16BE).
    public var name: String
    /// Whether the file started with a byte order mark.
    public var bom: Bool

    /// UTF-8 without a BOM.
    public static let utf8 = LeadFileEncoding(name: "UTF-8", bom: false)
    /// GB18030, which reads GBK and GB2312 too.
    public static let gb18030 = LeadFileEncoding(name: "GB18030", bom: false)

    public init(name: String, bom: Bool = false) {
        self.name = name
        self.bom = bom
    }

    /// Reads an `--encoding` value: utf-8, gbk, gb2312, gb18030, big5, utf-16, utf-16le,
    /// utf-16be (case-insensitive). GBK and GB2312 are read as GB18030, their superset.
    public init?(option: String) {
        switch option.lowercased().replacingOccurrences(of: "_", with: "-") {
        case "utf-8", "utf8": self = .utf8
        case "gbk", "gb2312", "gb18030", "cp936": self = .gb18030
        case "big5", "big-5", "cp950": self = LeadFileEncoding(name: "BIG5")
        case "utf-16", "utf16", "utf-16le", "utf16le": self = LeadFileEncoding(name: "UTF-16LE")
        case "utf-16be", "utf16be": self = LeadFileEncoding(name: "UTF-16BE")
        default: return nil
        }
    }

    var isUTF8: Bool { name == "UTF-8" }
    var isUTF16: Bool { name.hasPrefix("UTF-16") }

    /// The encoding as the summary names it: UTF-8 (BOM), GB18030/GBK ….
    public var description: String {
        switch name {
        case "UTF-8": bom ? "UTF-8 (BOM)" : "UTF-8"
        case "GB18030": "GB18030/GBK"
        default: bom ? "\(name) (BOM)" : name
        }
    }
}

/// Converts text in another encoding to UTF-8 with iconv, marking each byte that cannot
/// be converted instead of stopping.
final class Transcoder {
    private let cd: iconv_t
    /// What an unconvertible byte becomes: a byte that is never valid UTF-8, so that the
    /// UTF-8 check of the rows finds it and reports its row with line and column.
    static let invalidMarker: UInt8 = 0xFF

    init?(from encoding: String) {
        guard let cd = iconv_open("UTF-8", encoding), cd != iconv_t(bitPattern: -1) else { return nil }
        self.cd = cd
    }

    deinit { iconv_close(cd) }

    /// Appends the UTF-8 of `input[0..<count]` to `output`. Bytes that cannot be converted
    /// become ``invalidMarker``, and their offsets in `output` are appended to `bad` with
    /// the original byte; after `maxBad` of them it stops (for a test of the encoding, which
    /// needs only the first). When `final` is false, an incomplete character at the end is
    /// not converted. Returns the number of bytes consumed.
    ///
    /// Linear in the input however many bytes are bad: the room for the output is made
    /// once, not again after each bad byte (which was quadratic: testing a 0.9 MB UTF-8
    /// file with one stray byte as GB18030 took 0.5 s, minutes in a debug build).
    @discardableResult
    func convert(
        _ input: UnsafePointer<UInt8>, count: Int, final: Bool, into output: inout [UInt8],
        bad: inout [(offset: Int, byte: UInt8)], maxBad: Int = .max
    ) -> Int {
        var consumed = 0
        var written = output.count
        defer { output.removeLast(output.count - written) }
        while consumed < count {
            // Room for the worst case of what is left (a two-byte character becomes three
            // bytes); written bytes stay, the rest is trimmed at the end.
            let needed = (count - consumed) * 2 + 16
            if output.count - written < needed {
                output.append(contentsOf: repeatElement(0, count: needed - (output.count - written)))
            }
            var result = 0
            var error: Int32 = 0
            var inLeft = count - consumed
            var produced = 0
            output.withUnsafeMutableBufferPointer { buffer in
                var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(mutating: input + consumed)
                    .assumingMemoryBound(to: CChar.self)
                var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(buffer.baseAddress! + written)
                    .assumingMemoryBound(to: CChar.self)
                let room = buffer.count - written
                var outLeft = room
                result = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                error = errno
                produced = room - outLeft
            }
            written += produced
            consumed = count - inLeft
            if result != -1 { break }
            switch error {
            case E2BIG:
                continue
            case EINVAL where !final:
                return consumed
            default:
                // EILSEQ, or a character cut off at the end of the final input.
                bad.append((written, input[consumed]))
                output[written] = Self.invalidMarker
                written += 1
                consumed += 1
                _ = iconv(cd, nil, nil, nil, nil)
                if bad.count >= maxBad { return consumed }
            }
        }
        return consumed
    }
}
