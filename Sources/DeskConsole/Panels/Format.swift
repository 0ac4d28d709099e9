import DeskCore
import Foundation

/// Short, fixed-width text for numbers on the panels.
enum Format {
    /// A quantity in at most `width` characters: 12345, then 12.3k, 1.23M.
    static func qty(_ lots: Int64, _ instrument: Instrument, width: Int) -> String {
        var plain = instrument.format(Qty(lots))
        if plain.contains(".") {
            while plain.hasSuffix("0") { plain.removeLast() } // 0.00100000 is 0.001
            if plain.hasSuffix(".") { plain.removeLast() }
        }
        if plain.count <= width { return plain }
        let value = Double(lots) / pow(10, Double(instrument.qtyDecimals))
        return fit(value, width)
    }

    /// Money with a sign and two decimals: +12.34, -0.50.
    static func money(_ m: Money) -> String {
        let s = m.formatted()
        return m.units > 0 ? "+" + s : s
    }

    /// A model price (a Double in price units) with the instrument's decimals and one more.
    static func modelPrice(_ units: Double, _ instrument: Instrument) -> String {
        guard units.isFinite else { return "-" }
        return String(format: "%.\(instrument.priceDecimals + 1)f", units / Double(instrument.priceScale))
    }

    /// A distance in price units as ticks: 2.5t.
    static func ticks(_ units: Double, _ instrument: Instrument) -> String {
        guard units.isFinite else { return "-" }
        let ticks = (units / Double(instrument.tickSize) * 100).rounded() / 100
        return String(format: "%.2ft", ticks == 0 ? 0 : ticks) // no "-0.00"
    }

    /// A number with up to `digits` significant decimals, for readings and parameters.
    static func number(_ x: Double) -> String {
        guard x.isFinite else { return x.isNaN ? "-" : (x > 0 ? "inf" : "-inf") }
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return String(format: abs(x) >= 100 ? "%.1f" : abs(x) >= 1 ? "%.3f" : "%.4f", x)
    }

    /// `number(x)` when it fits in `width`, else shortened on purpose (fewer decimals, 12.3k,
    /// 4.56M, 7.8G, 1.2e+15); a row of `#` only when not even that fits.
    static func fit(_ x: Double, _ width: Int) -> String {
        let plain = number(x)
        if plain.count <= width || !x.isFinite { return plain }
        if abs(x) < 1_000 {
            // Fewer decimals, rounded: 0.12345678 in four is 0.12.
            for decimals in stride(from: 4, through: 0, by: -1) {
                let s = String(format: "%.\(decimals)f", x)
                if s.count <= width { return s }
            }
        }
        for (scale, suffix) in [(1e3, "k"), (1e6, "M"), (1e9, "G"), (1e12, "T")] where abs(x) >= scale {
            for decimals in [2, 1, 0] {
                let s = String(format: "%.\(decimals)f", x / scale) + suffix
                if s.count <= width, abs(x / scale) < 1_000 { return s }
            }
        }
        let e = String(format: "%.1e", x)
        return e.count <= width ? e : String(repeating: "#", count: width)
    }

    /// `text` (how `value` is normally written) right-aligned in `width`; when it does not
    /// fit, `value` shortened on purpose by `fit`.
    static func right(_ text: String, value: Double, _ width: Int) -> String {
        right(text.count <= width ? text : fit(value, width), width)
    }

    /// Nanoseconds as µs with one decimal.
    static func micros(_ ns: UInt64, unicode: Bool) -> String {
        String(format: "%.1f", Double(ns) / 1_000) + (unicode ? "µs" : "us")
    }

    /// An age in seconds: 0.4s, 12s, 3m05s.
    static func age(_ ns: Nanos) -> String {
        let s = Double(ns) / 1e9
        if s < 0 { return "-" }
        if s < 10 { return String(format: "%.1fs", s) }
        if s < 60 { return "\(Int(s))s" }
        return String(format: "%dm%02ds", Int(s) / 60, Int(s) % 60)
    }

    /// Wall-clock time of day, HH:MM:SS, local time.
    static func clock(_ date: Date) -> String {
        var t = time_t(date.timeIntervalSince1970)
        var parts = tm()
        localtime_r(&t, &parts)
        return String(format: "%02d:%02d:%02d", parts.tm_hour, parts.tm_min, parts.tm_sec)
    }

    /// A recorded market's time, in UTC as the data stamps it: "2024-08-08 00:12:03".
    static func recordedTime(_ nanos: Nanos) -> String {
        var t = time_t(nanos / Time.nanosPerSecond)
        var parts = tm()
        gmtime_r(&t, &parts)
        return String(format: "%04d-%02d-%02d %02d:%02d:%02d", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
                      parts.tm_hour, parts.tm_min, parts.tm_sec)
    }

    /// `text` padded to exactly `width`, aligned right.
    /// A number that does not fit is all `#`, never cut: 12345.67 cut to 2345.67 reads as
    /// another price.
    static func right(_ text: String, _ width: Int) -> String {
        text.count > width ? String(repeating: "#", count: width) : String(repeating: " ", count: width - text.count) + text
    }

    /// `text` padded or cut to exactly `width`, aligned left.
    static func left(_ text: String, _ width: Int) -> String {
        text.count >= width ? String(text.prefix(width)) : text + String(repeating: " ", count: width - text.count)
    }

    /// `text` cut into pieces of at most `width`, at spaces where possible.
    static func wrap(_ text: String, width: Int) -> [String] {
        var pieces: [String] = []
        var rest = Substring(text)
        while rest.count > width {
            var cut = rest.prefix(width)
            if let space = cut.lastIndex(of: " "), space > cut.startIndex { cut = rest[rest.startIndex..<space] }
            pieces.append(String(cut))
            rest = rest[cut.endIndex...].drop { $0 == " " }
        }
        pieces.append(String(rest))
        return pieces
    }
}
