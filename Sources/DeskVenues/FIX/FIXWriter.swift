import DeskCore

/// Builds FIX 4.4 messages in a buffer of its own, with no allocation per message: fields are
/// written as bytes after room left for the header, then BeginString and BodyLength are put in
/// front of the body once its length is known, and the CheckSum after it.
///
///     writer.begin("D", header)          // 35=D, 49=, 56=, 34=, 52=
///     writer.field(11, clientOrderID)
///     let bytes = writer.finish()        // 8=FIX.4.4|9=..|...|10=ddd|
public struct FIXWriter: ~Copyable {
    /// Room kept before the body for `8=FIX.4.4|9=NNNNNN|`.
    private static let headroom = 24
    private let buffer: UnsafeMutablePointer<UInt8>
    private let capacity: Int
    private var end = FIXWriter.headroom
    private var start = FIXWriter.headroom

    public init(capacity: Int = 8_192) {
        self.capacity = capacity
        buffer = .allocate(capacity: capacity)
    }

    deinit { buffer.deallocate() }

    /// The session fields every message carries, in the order FIX puts them.
    public struct Header {
        public var sender: [UInt8]
        public var target: [UInt8]
        public var sequence: UInt64
        public var sendingTime: Nanos
        /// PossDupFlag, for a message sent again.
        public var possibleDuplicate = false

        public init(sender: [UInt8], target: [UInt8], sequence: UInt64, sendingTime: Nanos) {
            self.sender = sender
            self.target = target
            self.sequence = sequence
            self.sendingTime = sendingTime
        }
    }

    /// Starts a message of type `msgType` ("D", "0", "AE"...).
    public mutating func begin(_ msgType: StaticString, _ header: Header) {
        end = FIXWriter.headroom
        raw(tag: 35, msgType)
        field(49, header.sender)
        field(56, header.target)
        field(34, Int64(header.sequence))
        if header.possibleDuplicate { field(43, byte: UInt8(ascii: "Y")) }
        field(52, utc: header.sendingTime)
    }

    /// Ends the message and lends its bytes, valid until the next `begin`.
    public mutating func finish() -> UnsafeBufferPointer<UInt8> {
        // BodyLength counts from after its own SOH to the SOH before CheckSum.
        let length = end - FIXWriter.headroom
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0)
        var n = 0
        var v = length
        repeat {
            withUnsafeMutableBytes(of: &digits) { $0[n] = UInt8(ascii: "0") &+ UInt8(v % 10) }
            v /= 10
            n += 1
        } while v > 0
        var p = FIXWriter.headroom
        p -= 1; buffer[p] = 1
        withUnsafeBytes(of: &digits) { d in for i in 0..<n { p -= 1; buffer[p] = d[i] } }
        for byte in "8=FIX.4.4\u{1}9=".utf8.reversed() { p -= 1; buffer[p] = byte }
        start = p
        var sum: UInt32 = 0
        for i in start..<end { sum &+= UInt32(buffer[i]) }
        let check = UInt8(truncatingIfNeeded: sum % 256)
        append(UInt8(ascii: "1")); append(UInt8(ascii: "0")); append(UInt8(ascii: "="))
        append(UInt8(ascii: "0") &+ check / 100)
        append(UInt8(ascii: "0") &+ check / 10 % 10)
        append(UInt8(ascii: "0") &+ check % 10)
        append(1)
        return UnsafeBufferPointer(start: buffer + start, count: end - start)
    }

    // MARK: Fields

    public mutating func field(_ tag: Int, _ value: Int64) {
        self.tag(tag)
        integer(value)
        append(1)
    }

    public mutating func field(_ tag: Int, byte: UInt8) {
        self.tag(tag)
        append(byte)
        append(1)
    }

    public mutating func field(_ tag: Int, _ bytes: [UInt8]) {
        self.tag(tag)
        bytes.withUnsafeBufferPointer { for b in $0 { append(b) } }
        append(1)
    }

    public mutating func field(_ tag: Int, _ text: StaticString) { raw(tag: tag, text) }

    /// A decimal of `decimals` places: 612345 with 1 decimal is "61234.5" (trailing zeros kept
    /// to the scale, which FIX allows).
    public mutating func field(_ tag: Int, decimal value: Int64, decimals: Int) {
        self.tag(tag)
        if value < 0 { append(UInt8(ascii: "-")) }
        let magnitude = value.magnitude
        var scale: UInt64 = 1
        for _ in 0..<decimals { scale &*= 10 }
        integer(Int64(magnitude / scale))
        if decimals > 0 {
            append(UInt8(ascii: "."))
            var fraction = magnitude % scale
            var divisor = scale / 10
            for _ in 0..<decimals {
                append(UInt8(ascii: "0") &+ UInt8(fraction / divisor))
                fraction %= divisor
                divisor /= 10
            }
        }
        append(1)
    }

    /// A ClOrdID "<order>-<version>": the engine's order id, and which request of that order
    /// this is (new, each replace, the cancel), since FIX wants a fresh id per request.
    public mutating func field(_ tag: Int, orderID: UInt64, version: UInt32) {
        self.tag(tag)
        integer(Int64(orderID))
        append(UInt8(ascii: "-"))
        integer(Int64(version))
        append(1)
    }

    /// UTCTimestamp with milliseconds: "20240808-23:54:19.500".
    public mutating func field(_ tag: Int, utc nanos: Nanos) {
        self.tag(tag)
        let c = CivilTime(unixNanos: nanos)
        digits(c.year, 4); digits(c.month, 2); digits(c.day, 2)
        append(UInt8(ascii: "-"))
        digits(c.hour, 2); append(UInt8(ascii: ":")); digits(c.minute, 2); append(UInt8(ascii: ":")); digits(c.second, 2)
        append(UInt8(ascii: ".")); digits(c.millisecond, 3)
        append(1)
    }

    // MARK: Bytes

    private mutating func raw(tag: Int, _ text: StaticString) {
        self.tag(tag)
        text.withUTF8Buffer { for b in $0 { append(b) } }
        append(1)
    }

    private mutating func tag(_ tag: Int) {
        integer(Int64(tag))
        append(UInt8(ascii: "="))
    }

    private mutating func integer(_ value: Int64) {
        if value < 0 { append(UInt8(ascii: "-")) }
        var v = value.magnitude
        var width = 1
        var scale: UInt64 = 1
        while v / scale >= 10 { scale &*= 10; width += 1 }
        while width > 0 {
            append(UInt8(ascii: "0") &+ UInt8(v / scale))
            v %= scale
            scale /= 10
            width -= 1
        }
    }

    private mutating func digits(_ value: Int, _ width: Int) {
        var scale = 1
        for _ in 1..<width { scale *= 10 }
        var v = value
        while scale > 0 {
            append(UInt8(ascii: "0") &+ UInt8(v / scale))
            v %= scale
            scale /= 10
        }
    }

    @inline(__always)
    private mutating func append(_ byte: UInt8) {
        // A message never nears the buffer; one that would is cut rather than overrun.
        guard end < capacity else { return }
        buffer[end] = byte
        end &+= 1
    }
}

/// A Unix time as its UTC calendar date and time of day (Howard Hinnant's civil-from-days).
struct CivilTime {
    var year, month, day, hour, minute, second, millisecond: Int

    init(unixNanos: Nanos) {
        let millis = unixNanos / 1_000_000
        let seconds = millis / 1_000
        millisecond = Int(millis % 1_000)
        var days = Int(seconds / 86_400)
        let inDay = Int(seconds % 86_400)
        hour = inDay / 3_600
        minute = inDay / 60 % 60
        second = inDay % 60
        days += 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let doe = days - era * 146_097
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        day = doy - (153 * mp + 2) / 5 + 1
        month = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    }
}
