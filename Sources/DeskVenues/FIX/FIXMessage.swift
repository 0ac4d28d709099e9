import DeskCore

/// One FIX message received, as a table of its fields over the receive buffer: no copy and no
/// allocation per message. Valid until the buffer is read into again.
public struct FIXMessage {
    /// The tag and where its value lies in the message.
    @usableFromInline
    struct Field {
        @usableFromInline var tag: Int32
        @usableFromInline var start: Int32
        @usableFromInline var length: Int32
    }

    public let bytes: UnsafeBufferPointer<UInt8>
    @usableFromInline let fields: UnsafeMutableBufferPointer<Field>
    public let count: Int

    /// The message type, tag 35: "D", "8", "AE".
    public var type: UnsafeBufferPointer<UInt8> { value(35) ?? UnsafeBufferPointer(start: nil, count: 0) }

    /// Whether the message type is `name`.
    public func isType(_ name: StaticString) -> Bool { type.elementsEqual(name) }

    /// The first value of `tag`.
    public func value(_ tag: Int) -> UnsafeBufferPointer<UInt8>? {
        for i in 0..<count where fields[i].tag == tag { return slice(i) }
        return nil
    }

    /// The tag of the `i`th field, and its value: for walking repeating groups in order.
    public func field(at i: Int) -> (tag: Int, value: UnsafeBufferPointer<UInt8>) { (Int(fields[i].tag), slice(i)) }

    public func int(_ tag: Int) -> Int64? { value(tag).flatMap(FIXMessage.integer) }

    public func byte(_ tag: Int) -> UInt8? {
        guard let v = value(tag), v.count == 1 else { return nil }
        return v[0]
    }

    /// A decimal value as a count of 10^-decimals ("61234.5" with 1 decimal is 612345).
    public func decimal(_ tag: Int, decimals: Int) -> Int64? { value(tag).flatMap { Decimals.parse($0, decimals: decimals) } }

    private func slice(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: bytes[Int(fields[i].start)..<Int(fields[i].start + fields[i].length)])
    }

    static func integer(_ v: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard !v.isEmpty, v.count <= 18 else { return nil }
        var n: Int64 = 0
        for b in v {
            guard b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") else { return nil }
            n = n * 10 + Int64(b - UInt8(ascii: "0"))
        }
        return n
    }
}

extension UnsafeBufferPointer where Element == UInt8 {
    /// Whether these bytes are `text`.
    public func elementsEqual(_ text: StaticString) -> Bool {
        text.withUTF8Buffer { t in t.count == count && (0..<count).allSatisfy { self[$0] == t[$0] } }
    }
}

/// Finds whole FIX 4.4 messages in the bytes received and checks their framing: BeginString,
/// BodyLength, and CheckSum. What fails is refused with the reason and skipped to the next
/// `8=FIX`, so garbage on the line costs a message, never the session's state.
public struct FIXFramer: ~Copyable {
    public enum Result {
        /// A message of `length` bytes at the front.
        case message(FIXMessage, length: Int)
        /// Not a whole message yet.
        case incomplete
        /// `skip` bytes at the front are not a good message.
        case refused(skip: Int, reason: Refusal)
    }

    public enum Refusal: Sendable, Equatable {
        case notFIX44, badBodyLength, badCheckSum, tooManyFields, tooLong

        public var text: String {
            switch self {
            case .notFIX44: "not a FIX.4.4 message (BeginString)"
            case .badBodyLength: "BodyLength does not end at a CheckSum"
            case .badCheckSum: "CheckSum does not match"
            case .tooManyFields: "more fields than a message may have"
            case .tooLong: "BodyLength beyond the largest message accepted"
            }
        }
    }

    public static let maxFields = 512
    public static let maxLength = 1 << 16
    private let fields: UnsafeMutableBufferPointer<FIXMessage.Field>

    public init() { fields = .allocate(capacity: FIXFramer.maxFields) }
    deinit { fields.deallocate() }

    /// The first message in `bytes`, or why there is none yet.
    public func next(in bytes: UnsafeBufferPointer<UInt8>) -> Result {
        let begin: StaticString = "8=FIX.4.4\u{1}9="
        let prefix = begin.utf8CodeUnitCount
        guard bytes.count >= prefix else {
            return begin.withUTF8Buffer { b in (0..<bytes.count).allSatisfy { bytes[$0] == b[$0] } } ? .incomplete : .refused(skip: skipToNext(bytes), reason: .notFIX44)
        }
        guard begin.withUTF8Buffer({ b in (0..<prefix).allSatisfy { bytes[$0] == b[$0] } }) else {
            return .refused(skip: skipToNext(bytes), reason: .notFIX44)
        }
        var i = prefix
        var bodyLength = 0
        while i < bytes.count, bytes[i] != 1 {
            guard bytes[i] >= UInt8(ascii: "0"), bytes[i] <= UInt8(ascii: "9"), bodyLength < FIXFramer.maxLength else {
                return .refused(skip: skipToNext(bytes), reason: bytes[i] >= UInt8(ascii: "0") && bytes[i] <= UInt8(ascii: "9") ? .tooLong : .badBodyLength)
            }
            bodyLength = bodyLength * 10 + Int(bytes[i] - UInt8(ascii: "0"))
            i += 1
        }
        guard i < bytes.count else { return i - prefix > 6 ? .refused(skip: skipToNext(bytes), reason: .badBodyLength) : .incomplete }
        let bodyStart = i + 1
        let checkStart = bodyStart + bodyLength
        let total = checkStart + 7
        guard bytes.count >= total else { return .incomplete }
        guard bytes[checkStart] == UInt8(ascii: "1"), bytes[checkStart + 1] == UInt8(ascii: "0"), bytes[checkStart + 2] == UInt8(ascii: "="),
              bytes[total - 1] == 1, bytes[checkStart - 1] == 1
        else { return .refused(skip: skipToNext(bytes), reason: .badBodyLength) }
        var sum: UInt32 = 0
        for k in 0..<checkStart { sum &+= UInt32(bytes[k]) }
        let digits = (checkStart + 3)..<(checkStart + 6)
        var stated: UInt32 = 0
        for k in digits {
            guard bytes[k] >= UInt8(ascii: "0"), bytes[k] <= UInt8(ascii: "9") else { return .refused(skip: total, reason: .badCheckSum) }
            stated = stated * 10 + UInt32(bytes[k] - UInt8(ascii: "0"))
        }
        guard stated == sum % 256 else { return .refused(skip: total, reason: .badCheckSum) }
        // The field table, over the whole message.
        var n = 0
        var p = 0
        while p < total {
            var tag: Int32 = 0
            while p < total, bytes[p] != UInt8(ascii: "=") {
                guard bytes[p] >= UInt8(ascii: "0"), bytes[p] <= UInt8(ascii: "9") else { return .refused(skip: total, reason: .badBodyLength) }
                tag = tag &* 10 &+ Int32(bytes[p] - UInt8(ascii: "0"))
                p += 1
            }
            let valueStart = p + 1
            var q = valueStart
            while q < total, bytes[q] != 1 { q += 1 }
            guard n < FIXFramer.maxFields else { return .refused(skip: total, reason: .tooManyFields) }
            fields[n] = FIXMessage.Field(tag: tag, start: Int32(valueStart), length: Int32(q - valueStart))
            n += 1
            p = q + 1
        }
        let message = FIXMessage(bytes: UnsafeBufferPointer(rebasing: bytes[0..<total]), fields: fields, count: n)
        return .message(message, length: total)
    }

    /// Where the next `8=FIX` starts after the front, or all of it.
    private func skipToNext(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var i = 1
        while i + 4 < bytes.count {
            if bytes[i] == UInt8(ascii: "8"), bytes[i + 1] == UInt8(ascii: "="), bytes[i + 2] == UInt8(ascii: "F"),
               bytes[i + 3] == UInt8(ascii: "I"), bytes[i + 4] == UInt8(ascii: "X") { return i }
            i += 1
        }
        return Swift.max(1, bytes.count - 4)
    }
}
