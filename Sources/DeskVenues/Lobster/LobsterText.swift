import DeskCore

/// Byte-level reading and writing of LOBSTER's comma-separated integers. Both LOBSTER files
/// are plain ASCII integers (plus one decimal time), so the hot path works on the line's bytes
/// and never builds a `String`; text is only made for error messages.
enum LobsterText {
    static let comma = UInt8(ascii: ",")
    static let minus = UInt8(ascii: "-")
    static let dot = UInt8(ascii: ".")
    static let zero = UInt8(ascii: "0")

    /// Counts comma-separated fields, and finds the first byte that is not printable ASCII
    /// (binary garbage, a UTF-8 sequence, a control character).
    @inline(__always)
    static func scan(_ b: UnsafeBufferPointer<UInt8>) -> (fields: Int, badColumn: Int?) {
        var fields = 1
        var i = 0
        while i < b.count {
            let byte = b[i]
            if byte == comma {
                fields &+= 1
            } else if byte < 0x20 || byte > 0x7E {
                return (fields, i)
            }
            i &+= 1
        }
        return (fields, nil)
    }

    /// "expected ASCII text, found byte 0xC3 at column 12" for a line `scan` refused.
    static func notASCII(_ b: UnsafeBufferPointer<UInt8>, at column: Int) -> String {
        let hex = String(b[column], radix: 16, uppercase: true)
        return "expected ASCII text, found byte 0x\(hex.count == 1 ? "0" + hex : hex) at column \(column + 1)"
    }

    /// The end of the field that starts at `start`: the next comma or the end of the line.
    @inline(__always)
    static func fieldEnd(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var i = start
        while i < b.count, b[i] != comma { i &+= 1 }
        return i
    }

    /// A whole number with an optional leading minus: nil for anything else or on overflow.
    @inline(__always)
    static func integer(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int64? {
        var i = start
        let negative = i < end && b[i] == minus
        if negative { i &+= 1 }
        guard i < end else { return nil }
        var value: Int64 = 0
        while i < end {
            let digit = b[i] &- zero
            guard digit < 10 else { return nil }
            let (shifted, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = shifted.addingReportingOverflow(Int64(digit))
            if o1 || o2 { return nil }
            value = sum
            i &+= 1
        }
        return negative ? -value : value
    }

    /// Whether a field is digits with an optional minus, so an `integer` failure was overflow.
    static func isWholeNumberText(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        var i = start
        if i < end, b[i] == minus { i += 1 }
        guard i < end else { return false }
        while i < end {
            guard b[i] &- zero < 10 else { return false }
            i += 1
        }
        return true
    }

    /// Seconds after midnight with up to 9 decimals, as exact nanoseconds (no `Double`).
    @inline(__always)
    static func seconds(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Nanos? {
        var i = start
        var whole: Int64 = 0
        while i < end, b[i] != dot {
            let digit = b[i] &- zero
            guard digit < 10 else { return nil }
            let (shifted, o1) = whole.multipliedReportingOverflow(by: 10)
            let (sum, o2) = shifted.addingReportingOverflow(Int64(digit))
            if o1 || o2 { return nil }
            whole = sum
            i &+= 1
        }
        guard i > start else { return nil }
        var fraction: Int64 = 0
        var places = 0
        if i < end {
            i &+= 1  // the point
            guard i < end, end - i <= 9 else { return nil }
            while i < end {
                let digit = b[i] &- zero
                guard digit < 10 else { return nil }
                fraction = fraction &* 10 &+ Int64(digit)
                places &+= 1
                i &+= 1
            }
        }
        while places < 9 {
            fraction &*= 10
            places &+= 1
        }
        let (nanos, o1) = whole.multipliedReportingOverflow(by: Time.nanosPerSecond)
        let (sum, o2) = nanos.addingReportingOverflow(fraction)
        return o1 || o2 ? nil : sum
    }

    /// Nanoseconds as seconds with trailing zeros dropped, as LOBSTER writes them: "34200.1".
    static func formatSeconds(_ t: Nanos) -> String {
        let whole = t / Time.nanosPerSecond
        var fraction = t % Time.nanosPerSecond
        guard fraction != 0 else { return String(whole) }
        var places = 9
        while fraction % 10 == 0 {
            fraction /= 10
            places -= 1
        }
        let digits = String(fraction)
        return "\(whole)." + String(repeating: "0", count: places - digits.count) + digits
    }

    /// A field's text, for error messages only.
    static func text(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: b[start..<end]), as: UTF8.self)
    }

    /// Whether a line opens with a letter: a header row such as `Time,Type,OrderId,...`.
    static func startsWithLetter(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = b.first else { return false }
        return (first | 0x20) >= UInt8(ascii: "a") && (first | 0x20) <= UInt8(ascii: "z")
    }

    /// Appends `value` in decimal, as LOBSTER writes integers.
    @inline(__always)
    static func append(_ value: Int64, to out: inout [UInt8]) {
        if value < 0 { out.append(minus) }
        var magnitude = value.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[count] = zero &+ UInt8(magnitude % 10)
                magnitude /= 10
                count &+= 1
            } while magnitude > 0
            while count > 0 {
                count &-= 1
                out.append(buffer[count])
            }
        }
    }
}
