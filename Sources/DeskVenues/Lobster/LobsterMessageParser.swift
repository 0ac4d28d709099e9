import DeskCore

/// Parses LOBSTER message lines, `time,type,orderID,size,price,direction`, straight from the
/// line's bytes. It is stateful only to refuse a time that goes back, which would put events
/// out of order without any other sign.
///
/// A good line takes one pass: six numbers, each byte checked as it is read. Only a line
/// that fails it is looked at again, to say what is wrong: text that is not ASCII, then the
/// field count, then the first field that is not a number, then the first value out of range.
///
///     var parser = LobsterMessageParser(file: path)
///     let message = try parser.parse(line.bytes, line: line.number)  // nil for a header row
public struct LobsterMessageParser {
    public let file: String
    /// The time of the last good message; `Int64.min` before the first.
    public private(set) var lastTime: Nanos = .min

    public init(file: String) {
        self.file = file
    }

    /// One line as a message, or nil for the optional header row (line 1 opening with a
    /// letter, as in `Time,Type,OrderId,Size,Price,Direction`). A malformed line throws an
    /// error naming the file, the line and what was expected there.
    public mutating func parse(_ b: UnsafeBufferPointer<UInt8>, line: Int) throws(ReplayError) -> LobsterMessage? {
        guard let fields = Self.numbers(b) else { return try diagnose(b, line) }
        return try checked(fields, line)
    }

    /// The six fields as numbers, or nil if the line is anything else.
    @inline(__always)
    private static func numbers(_ b: UnsafeBufferPointer<UInt8>) -> Fields? {
        var end = LobsterText.fieldEnd(b, from: 0)
        guard end < b.count, let time = LobsterText.seconds(b, 0, end) else { return nil }
        var values: (Int64, Int64, Int64, Int64, Int64) = (0, 0, 0, 0, 0)
        for i in 0..<5 {
            let start = end + 1
            end = LobsterText.fieldEnd(b, from: start)
            guard (i == 4) == (end == b.count), let value = LobsterText.integer(b, start, end) else { return nil }
            switch i {
            case 0: values.0 = value
            case 1: values.1 = value
            case 2: values.2 = value
            case 3: values.3 = value
            default: values.4 = value
            }
        }
        return Fields(time: time, type: values.0, orderID: values.1, size: values.2, price: values.3, direction: values.4)
    }

    private struct Fields {
        var time: Nanos
        var type: Int64
        var orderID: Int64
        var size: Int64
        var price: Int64
        var direction: Int64
    }

    /// The message, once each value is in range (checked in column order).
    @inline(__always)
    private mutating func checked(_ f: Fields, _ line: Int) throws(ReplayError) -> LobsterMessage {
        if f.time < lastTime {
            throw fail(line, "time \(LobsterText.formatSeconds(f.time)) goes back from \(LobsterText.formatSeconds(lastTime))")
        }
        guard f.type >= 1, f.type <= 7, let type = LobsterEventType(rawValue: UInt8(f.type)) else {
            throw fail(line, "type \(f.type): expected 1 to 7")
        }
        if f.orderID < 0 { throw fail(line, "order id \(f.orderID): expected a whole number, not negative") }
        if f.size < 0 { throw fail(line, "size \(f.size): expected a whole number of shares, not negative") }
        if type == .halt {
            guard f.price >= -1, f.price <= 1 else {
                throw fail(line, "price \(f.price): expected -1 (halt), 0 (quoting) or 1 (trading) for type 7")
            }
        } else if f.price <= 0 {
            throw fail(line, "price \(f.price): expected a positive price (dollars x 10000)")
        }
        guard f.direction == 1 || f.direction == -1 else { throw fail(line, "direction \(f.direction): expected -1 or 1") }
        lastTime = f.time
        return LobsterMessage(time: f.time, type: type, orderID: UInt64(f.orderID), size: f.size, price: f.price,
                              direction: f.direction == 1 ? .buy : .sell)
    }

    /// Why a line is not six numbers, or nil for a header row.
    private func diagnose(_ b: UnsafeBufferPointer<UInt8>, _ line: Int) throws(ReplayError) -> LobsterMessage? {
        let (count, badColumn) = LobsterText.scan(b)
        if let badColumn { throw fail(line, LobsterText.notASCII(b, at: badColumn)) }
        if line == 1, LobsterText.startsWithLetter(b) {
            guard count == 6 else { throw fail(line, "header: expected 6 comma-separated column names, found \(count)") }
            return nil
        }
        guard !b.isEmpty else { throw fail(line, "expected 6 comma-separated fields, found an empty line") }
        guard count == 6 else { throw fail(line, "expected 6 comma-separated fields, found \(count)") }
        var start = 0
        for (i, name) in ["time", "type", "order id", "size", "price", "direction"].enumerated() {
            let end = LobsterText.fieldEnd(b, from: start)
            let text = LobsterText.text(b, start, end)
            if i == 0 {
                if LobsterText.seconds(b, start, end) == nil {
                    throw fail(line, "time \"\(text)\": expected seconds after midnight with at most 9 decimals")
                }
            } else if LobsterText.integer(b, start, end) == nil {
                guard LobsterText.isWholeNumberText(b, start, end) else {
                    throw fail(line, "\(name) \"\(text)\": expected \(Self.expected[i])")
                }
                // A whole number beyond 64 bits.
                if i == 1 || i == 5 { throw fail(line, "\(name) \(text): expected \(Self.expected[i])") }
                throw fail(line, text.hasPrefix("-") ? "\(name) \(text): expected \(Self.expected[i]), not negative"
                    : "\(name) \(text): too large, expected at most \(Int64.max)")
            }
            start = end + 1
        }
        // Unreachable: six numbers pass `numbers`. Kept as an error rather than a crash.
        throw fail(line, "expected 6 comma-separated numbers")
    }

    /// What each column holds, for errors.
    private static let expected = ["", "1 to 7", "a whole number", "a whole number of shares",
                                   "dollars x 10000 as a whole number", "-1 or 1"]

    private func fail(_ line: Int, _ message: String) -> ReplayError {
        ReplayError(file: file, line: line, message)
    }
}
