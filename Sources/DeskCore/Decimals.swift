/// Fixed-point decimal text in both directions, without going through `Double`, so a price
/// printed or parsed is exactly the integer the engine holds.
public enum Decimals {
    /// Formats `value` x 10^-decimals with `places` digits after the point, rounding half away
    /// from zero when `places < decimals`.
    ///
    ///     Decimals.format(5853100, decimals: 4, places: 2)  // "585.31"
    public static func format(_ value: Int64, decimals: Int, places: Int) -> String {
        var magnitude = value.magnitude
        let negative = value < 0
        var shownDecimals = decimals
        if places < decimals {
            var divisor: UInt64 = 1
            for _ in 0..<(decimals - places) { divisor *= 10 }
            magnitude = (magnitude + divisor / 2) / divisor
            shownDecimals = places
        }
        var digits = String(magnitude)
        if shownDecimals > 0 {
            if digits.count <= shownDecimals {
                digits = String(repeating: "0", count: shownDecimals - digits.count + 1) + digits
            }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -shownDecimals))
        }
        if places > shownDecimals {
            if shownDecimals == 0 { digits += "." }
            digits += String(repeating: "0", count: places - shownDecimals)
        }
        return negative && magnitude != 0 ? "-" + digits : digits
    }

    /// Parses decimal text such as "61234.50" or "-0.001" into an integer count of
    /// 10^-decimals. More fractional digits than `decimals` are accepted only when they are
    /// zeros. Returns nil for anything else, including overflow.
    ///
    ///     Decimals.parse("61234.5", decimals: 1)  // 612345
    ///     Decimals.parse("0.0015", decimals: 3)   // nil: not a whole number of lots
    @inlinable
    public static func parse<S: Collection>(_ text: S, decimals: Int) -> Int64? where S.Element == UInt8 {
        var value: Int64 = 0
        var negative = false
        var seenDigit = false
        var fraction = -1
        var index = text.startIndex
        if index != text.endIndex, text[index] == UInt8(ascii: "-") || text[index] == UInt8(ascii: "+") {
            negative = text[index] == UInt8(ascii: "-")
            index = text.index(after: index)
        }
        while index != text.endIndex {
            let byte = text[index]
            index = text.index(after: index)
            if byte == UInt8(ascii: ".") {
                if fraction >= 0 { return nil }
                fraction = 0
                continue
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            seenDigit = true
            let digit = Int64(byte &- UInt8(ascii: "0"))
            if fraction >= 0 {
                fraction += 1
                if fraction > decimals {
                    if digit != 0 { return nil }
                    continue
                }
            }
            let (shifted, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = shifted.addingReportingOverflow(digit)
            if o1 || o2 { return nil }
            value = sum
        }
        guard seenDigit else { return nil }
        for _ in min(max(fraction, 0), decimals)..<decimals {
            let (shifted, overflow) = value.multipliedReportingOverflow(by: 10)
            if overflow { return nil }
            value = shifted
        }
        return negative ? -value : value
    }

    /// `parse` over a `String`, for configuration and operator input.
    public static func parse(_ text: String, decimals: Int) -> Int64? {
        parse(Array(text.utf8), decimals: decimals)
    }
}
