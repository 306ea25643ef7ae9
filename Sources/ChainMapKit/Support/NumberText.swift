/// Numbers as every output writes them: the one formatter for priorities, scores,
/// amounts, shares and counts, in reasons, tables, JSON, CSV, Markdown and the map.
///
/// Rounding is half away from zero on the decimal value (41.25 → 41.3), the way a
/// planner rounds by hand; Foundation's `String(format:)` rounds the binary value
/// (41.25 → 41.2) and is slow on Linux.
public enum NumberText {
    /// `value` with exactly `decimals` decimals (0…6): 12.345 → "12.35", 60 → "60.0".
    public static func fixed(_ value: Double, _ decimals: Int) -> String {
        text { appendFixed(value, decimals, to: &$0) }
    }

    /// Appends ``fixed(_:_:)``'s text as UTF-8, without making a string: what the reasons
    /// of tens of thousands of leads write several times each.
    public static func appendFixed(_ value: Double, _ decimals: Int, to bytes: inout [UInt8]) {
        guard value.isFinite else { bytes.append(UInt8(ascii: "0")); return }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9e15 else { bytes.append(contentsOf: String(value).utf8); return }
        let units = Int(scaled)
        let power = Int(scale)
        appendNumber(negative: value < 0 && units != 0, whole: units / power, fraction: units % power, places: decimals, to: &bytes)
    }

    /// `value` with at most `decimals` decimals, trailing zeros dropped: 12.50 → "12.5",
    /// 300 → "300". Amounts in 亿元, and every number in JSON.
    public static func trimmed(_ value: Double, _ decimals: Int) -> String {
        text { appendTrimmed(value, decimals, to: &$0) }
    }

    /// Appends ``trimmed(_:_:)``'s text as UTF-8, without making a string: what a JSON list
    /// of tens of thousands of leads writes several times per lead.
    public static func appendTrimmed(_ value: Double, _ decimals: Int, to bytes: inout [UInt8]) {
        guard value.isFinite else { bytes.append(UInt8(ascii: "0")); return }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9e15 else {
            // Beyond exact integers: Swift's shortest form, its needless zeros dropped.
            var text = String(value)
            if text.utf8.contains(UInt8(ascii: ".")) {
                while text.hasSuffix("0") { text.removeLast() }
                if text.hasSuffix(".") { text.removeLast() }
            }
            bytes.append(contentsOf: text.utf8)
            return
        }
        let units = Int(scaled)
        let power = Int(scale)
        var fraction = units % power
        var places = decimals
        while places > 0 && fraction % 10 == 0 {
            fraction /= 10
            places -= 1
        }
        appendNumber(negative: value < 0 && units != 0, whole: units / power, fraction: fraction, places: places, to: &bytes)
    }

    /// Appends `-` when `negative`, the digits of `whole` (not negative), and when
    /// `places` > 0 a point and `fraction` zero-padded to `places` digits: composed on the
    /// stack and appended in one copy (appended in three or four parts, a JSON list's
    /// numbers cost over 300 instructions each). A lone digit is appended alone.
    private static func appendNumber(negative: Bool, whole: Int, fraction: Int, places: Int, to bytes: inout [UInt8]) {
        if !negative && places == 0 && whole < 10 {
            bytes.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: whole))
            return
        }
        // 40 bytes: room for a sign, any Int's 19 digits, a point and the 18 places of the
        // largest power of ten an Int holds.
        var digits: (UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { raw in
            let buffer = raw.bindMemory(to: UInt8.self)
            var at = buffer.count
            if places > 0 {
                var rest = fraction
                for _ in 0..<places {
                    at -= 1
                    buffer[at] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10)
                    rest /= 10
                }
                at -= 1
                buffer[at] = UInt8(ascii: ".")
            }
            var rest = whole
            repeat {
                at -= 1
                buffer[at] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
            } while rest > 0
            if negative {
                at -= 1
                buffer[at] = UInt8(ascii: "-")
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[at...]))
        }
    }

    /// Appends a whole number's decimal digits (`String(value)`) as UTF-8.
    public static func appendInteger(_ value: Int, to bytes: inout [UInt8]) {
        guard value != .min else { bytes.append(contentsOf: String(value).utf8); return }
        appendNumber(negative: value < 0, whole: abs(value), fraction: 0, places: 0, to: &bytes)
    }

    /// A priority, score or index with one decimal: 72.34 → "72.3", 60 → "60.0".
    public static func tenths(_ value: Double) -> String { fixed(value, 1) }

    /// A share (0…1) as a percentage with one decimal: 0.6667 → "66.7%".
    public static func percent(_ share: Double) -> String { fixed(share * 100, 1) + "%" }

    /// A share (0…1) as a whole percentage, without the sign: 0.254 → "25".
    public static func wholePercent(_ share: Double) -> String { fixed(share * 100, 0) }

    /// An amount in 亿元 as planners write it: at most two decimals, none needless
    /// (320 → "320", 9.5 → "9.5", 0.125 → "0.13").
    public static func amount(_ value: Double) -> String { trimmed(value, 2) }

    /// An amount as the lead score's reasons write it: whole above 100, one decimal
    /// above 1, two significant digits below (0.36, 0.05, 0.0012).
    public static func significant(_ value: Double) -> String {
        text { appendSignificant(value, to: &$0) }
    }

    /// Appends ``significant(_:)``'s text as UTF-8.
    public static func appendSignificant(_ value: Double, to bytes: inout [UInt8]) {
        if value >= 100 { return appendFixed(value, 0, to: &bytes) }
        if value >= 1 { return appendTrimmed(value, 1, to: &bytes) }
        var decimals = 2
        var probe = value
        while probe > 0 && probe < 0.1 && decimals < 6 {
            probe *= 10
            decimals += 1
        }
        appendTrimmed(value, decimals, to: &bytes)
    }

    /// Points with their sign and one decimal: +9.8, -2.0.
    public static func signed(_ value: Double) -> String {
        text { appendSigned(value, to: &$0) }
    }

    /// The string that `write` appends as UTF-8.
    private static func text(_ write: (inout [UInt8]) -> Void) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        write(&bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends ``signed(_:)``'s text as UTF-8.
    public static func appendSigned(_ value: Double, to bytes: inout [UInt8]) {
        if !(value < 0) { bytes.append(UInt8(ascii: "+")) }
        appendFixed(value, 1, to: &bytes)
    }

    /// A count with thousands separators: 1234567 → "1,234,567".
    public static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = value < 0 ? "-" : ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
    }
}
