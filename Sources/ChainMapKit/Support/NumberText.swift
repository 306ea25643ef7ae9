/// Numbers as every output writes them: the one formatter for priorities, scores,
/// amounts, shares and counts, in reasons, tables, JSON, CSV, Markdown and the map.
///
/// Rounding is half away from zero on the decimal value (41.25 → 41.3), the way a
/// planner rounds by hand; Foundation's `String(format:)` rounds the binary value
/// (41.25 → 41.2) and is slow on Linux.
public enum NumberText {
    /// `value` with exactly `decimals` decimals (0…6): 12.345 → "12.35", 60 → "60.0".
    public static func fixed(_ value: Double, _ decimals: Int) -> String {
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

    /// `value` with at most `decimals` decimals, trailing zeros dropped: 12.50 → "12.5",
    /// 300 → "300". Amounts in 亿元, and every number in JSON.
    public static func trimmed(_ value: Double, _ decimals: Int) -> String {
        var text = fixed(value, decimals)
        if text.utf8.contains(UInt8(ascii: ".")) {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text == "-0" ? "0" : text
    }

    /// Appends ``trimmed(_:_:)``'s text as UTF-8, without making a string: what a JSON list
    /// of tens of thousands of leads writes several times per lead.
    public static func appendTrimmed(_ value: Double, _ decimals: Int, to bytes: inout [UInt8]) {
        guard value.isFinite else { bytes.append(UInt8(ascii: "0")); return }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9e15 else { bytes.append(contentsOf: trimmed(value, decimals).utf8); return }
        let units = Int(scaled)
        let power = Int(scale)
        var fraction = units % power
        var places = decimals
        while places > 0 && fraction % 10 == 0 {
            fraction /= 10
            places -= 1
        }
        if value < 0 && units != 0 { bytes.append(UInt8(ascii: "-")) }
        appendDigits(units / power, minimum: 1, to: &bytes)
        if places > 0 {
            bytes.append(UInt8(ascii: "."))
            appendDigits(fraction, minimum: places, to: &bytes)
        }
    }

    /// The decimal digits of a non-negative number, zero-padded to `minimum` digits.
    private static func appendDigits(_ value: Int, minimum: Int, to bytes: inout [UInt8]) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)   // 24 bytes: room for any Int
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[23 - count] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
                count += 1
            } while rest > 0 || count < minimum
            bytes.append(contentsOf: buffer[(24 - count)...])
        }
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
        if value >= 100 { return fixed(value, 0) }
        if value >= 1 { return trimmed(value, 1) }
        var decimals = 2
        var probe = value
        while probe > 0 && probe < 0.1 && decimals < 6 {
            probe *= 10
            decimals += 1
        }
        return trimmed(value, decimals)
    }

    /// Points with their sign and one decimal: +9.8, -2.0.
    public static func signed(_ value: Double) -> String { (value < 0 ? "" : "+") + fixed(value, 1) }

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
