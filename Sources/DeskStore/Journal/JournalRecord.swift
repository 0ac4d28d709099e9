import DeskCore

/// One journal record. On disk, little-endian:
///
///     u32 length (of the whole record) | u8 type | u64 sequence | i64 wall-clock ns | payload | u32 CRC-32C
///
/// The CRC covers type, sequence, time and payload, so a torn or flipped record is found.
public struct JournalRecord: Sendable, Equatable {
    public enum Kind: UInt8, Sendable, CaseIterable {
        /// A session began; payload (UTF-8): the user's name, a newline, and the instruments'
        /// symbols in the engine's order, comma-separated, so indices in later records map back.
        case sessionStart = 1
        /// A session ended cleanly; no payload.
        case sessionStop = 2
        /// Something the engine did or saw (order, report, fill, breaker, kill, parameter change);
        /// payload: the `EngineEvent`.
        case engineEvent = 3
        /// What a session recovered from the journal at its start; payload: the summary (UTF-8).
        case recovery = 4
        /// An operator action outside the engine (a theme or keymap switch, a reload, a
        /// refused file); payload (UTF-8): the user's name, a newline, what they did.
        case operatorNote = 5
    }

    public var kind: Kind
    public var sequence: UInt64
    public var time: Int64
    public var payload: [UInt8]

    public static let headerSize = 4 + 1 + 8 + 8
    public static let trailerSize = 4

    public init(kind: Kind, sequence: UInt64, time: Int64, payload: [UInt8]) {
        self.kind = kind
        self.sequence = sequence
        self.time = time
        self.payload = payload
    }

    /// Appends the record's bytes to `out`.
    public func encode(into out: inout [UInt8]) {
        let start = out.count
        out.appendLE(UInt32(JournalRecord.headerSize + payload.count + JournalRecord.trailerSize))
        out.append(kind.rawValue)
        out.appendLE(sequence)
        out.appendLE(UInt64(bitPattern: time))
        out.append(contentsOf: payload)
        out.appendLE(CRC32C.checksum(out[(start + 4)...]))
    }
}

/// The fixed 64-byte form of an `EngineEvent` in a journal record.
public enum EngineEventCodec {
    public static let size = 64

    public static func encode(_ e: EngineEvent) -> [UInt8] {
        var b: [UInt8] = []
        b.reserveCapacity(size)
        b.append(contentsOf: [e.kind.rawValue, e.source.rawValue, e.side.rawValue, e.code, e.code2, e.code3])
        b.appendLE(e.instrument.index)
        b.appendLE(e.clientID.value)
        b.appendLE(UInt64(bitPattern: e.price.units))
        b.appendLE(UInt64(bitPattern: e.qty.lots))
        b.appendLE(UInt64(bitPattern: e.money.units))
        b.appendLE(e.value.bitPattern)
        b.appendLE(e.value2.bitPattern)
        b.appendLE(UInt64(bitPattern: e.time))
        return b
    }

    /// The event back from its 64 bytes, or nil if they are not one.
    public static func decode(_ b: [UInt8]) -> EngineEvent? {
        guard b.count == size, let kind = EngineEvent.Kind(rawValue: b[0]), let source = ActionSource(rawValue: b[1]),
              let side = Side(rawValue: b[2]) else { return nil }
        func u64(_ at: Int) -> UInt64 { b.loadLE(UInt64.self, at: at) }
        let instrument = b.loadLE(UInt16.self, at: 6)
        return EngineEvent(kind: kind, time: Int64(bitPattern: u64(56)), instrument: InstrumentID(Int(instrument)), source: source,
                           side: side, code: b[3], code2: b[4], code3: b[5], clientID: ClientOrderID(u64(8)),
                           price: Price(Int64(bitPattern: u64(16))), qty: Qty(Int64(bitPattern: u64(24))),
                           money: Money(Int64(bitPattern: u64(32))), value: Double(bitPattern: u64(40)),
                           value2: Double(bitPattern: u64(48)))
    }
}

extension Array where Element == UInt8 {
    mutating func appendLE<T: FixedWidthInteger>(_ v: T) {
        var x = v.littleEndian
        Swift.withUnsafeBytes(of: &x) { append(contentsOf: $0) }
    }

    /// The little-endian integer at `offset`; the caller has checked the bytes are there.
    func loadLE<T: FixedWidthInteger & UnsignedInteger>(_: T.Type, at offset: Int) -> T {
        (0..<MemoryLayout<T>.size).reduce(T(0)) { $0 | T(self[offset + $1]) << (8 * $1) }
    }
}
