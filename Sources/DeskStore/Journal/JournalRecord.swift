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

/// The fixed 64-byte form of an `EngineEvent` in a journal record, the one place the typed
/// event meets its bytes. Little-endian:
///
///     u8 kind | u8 source | u8 side | u8 code | u8 code2 | u8 code3 | u16 instrument |
///     u64 order id | i64 price | i64 qty | i64 money | f64 value | f64 value2 | i64 time
///
/// What the codes and values hold depends on the kind (see `Fields.init(_:)`). The layout is
/// the one journals have always had, so every journal written before the typed event reads.
public enum EngineEventCodec {
    public static let size = 64

    /// The record's fields, as numbers.
    struct Fields {
        var kind: UInt8
        var source: UInt8
        var side: Side = .buy
        var code: UInt8 = 0, code2: UInt8 = 0, code3: UInt8 = 0
        var instrument: UInt16
        var clientID = ClientOrderID.none
        var price = Price.undefined
        var qty = Qty.zero
        var money = Money.zero
        var value: Double = 0, value2: Double = 0
        var time: Int64

        init(kind: UInt8, source: UInt8, instrument: UInt16, time: Int64) {
            self.kind = kind
            self.source = source
            self.instrument = instrument
            self.time = time
        }

        init(_ e: EngineEvent) {
            self.init(kind: e.kind.rawValue, source: e.source.rawValue, instrument: e.instrument.index, time: e.time)
            switch e.what {
            case .orderSent(let m):
                order(m.side, m.clientID, m.price, m.qty)
                (code, code2, code3) = (m.kind.rawValue, m.origin.rawValue, m.timeInForce.rawValue)
            case .riskRejected(let r):
                order(r.side, r.clientID, r.price, r.qty)
                (code, code2) = (r.reason.rawValue, r.message.rawValue)
            case .acked(let u), .venueRejected(let u), .cancelled(let u), .cancelRejected(let u), .replaced(let u),
                 .replaceRejected(let u):
                order(u.side, u.clientID, u.price, u.leaves)
                code = u.reason.rawValue
            case .filled(let f):
                order(f.side, f.clientID, f.price, f.qty)
                code = f.liquidity.rawValue
                money = f.fee
                (value, value2) = (f.realized, Double(f.positionAfter))
            case .breaker(let b):
                (code, code2, code3) = (b.breaker.rawValue, b.state.rawValue, b.action.rawValue)
                (value, value2) = (b.reading, b.level)
            case .kill(let k):
                side = k.side
                (code, code2, code3) = (k.command.rawValue, k.breaker?.rawValue ?? 0, k.on ? 1 : 0)
            case .stateChanged(let old, let new):
                (code, code2) = (old.rawValue, new.rawValue)
            case .paramChanged(let c):
                code = c.param.rawValue
                (value, value2) = (c.old, c.new)
            case .paramRefused(let r):
                (code, code2) = (r.param.rawValue, r.why.rawValue)
                value = r.value
            case .commandRefused(let command, let why):
                (code, code2) = (command.rawValue, why.rawValue)
            case .anomaly(let a):
                order(a.side, a.clientID, a.price, a.qty)
                code = a.anomaly.rawValue
            case .flattened:
                break
            }
        }

        private mutating func order(_ side: Side, _ id: ClientOrderID, _ price: Price, _ qty: Qty) {
            (self.side, clientID, self.price, self.qty) = (side, id, price, qty)
        }

        /// The typed event, or nil when a code names nothing this build knows.
        var event: EngineEvent? {
            guard let kind = EngineEvent.Kind(rawValue: kind), let source = ActionSource(rawValue: source) else { return nil }
            let what: EngineEvent.What
            func update() -> OrderUpdate? {
                VenueRejectReason(rawValue: code).map { OrderUpdate(side: side, clientID: clientID, price: price, leaves: qty, reason: $0) }
            }
            switch kind {
            case .orderSent:
                guard let k = OrderRequest.Kind(rawValue: code), let origin = OrderOrigin(rawValue: code2),
                      let tif = TimeInForce(rawValue: code3) else { return nil }
                what = .orderSent(OrderMessage(kind: k, origin: origin, timeInForce: tif, side: side, clientID: clientID,
                                               price: price, qty: qty))
            case .riskRejected:
                guard let reason = RiskReject(rawValue: code), let k = OrderRequest.Kind(rawValue: code2) else { return nil }
                what = .riskRejected(RiskRefusal(reason: reason, message: k, side: side, clientID: clientID, price: price, qty: qty))
            case .acked: guard let u = update() else { return nil }; what = .acked(u)
            case .venueRejected: guard let u = update() else { return nil }; what = .venueRejected(u)
            case .cancelled: guard let u = update() else { return nil }; what = .cancelled(u)
            case .cancelRejected: guard let u = update() else { return nil }; what = .cancelRejected(u)
            case .replaced: guard let u = update() else { return nil }; what = .replaced(u)
            case .replaceRejected: guard let u = update() else { return nil }; what = .replaceRejected(u)
            case .filled:
                guard let liquidity = Liquidity(rawValue: code), value2.isFinite, value2 == value2.rounded(),
                      abs(value2) < 9e18 else { return nil }
                what = .filled(FillBooked(side: side, liquidity: liquidity, clientID: clientID, price: price, qty: qty, fee: money,
                                          realized: value, positionAfter: Int64(value2)))
            case .breaker:
                guard let b = BreakerKind(rawValue: code), let state = BreakerState(rawValue: code2),
                      let action = BreakerAction(rawValue: code3) else { return nil }
                what = .breaker(BreakerChange(b, state, action: action, reading: value, level: value2))
            case .kill:
                guard let command = Command.Kind(rawValue: code) else { return nil }
                // Only a breaker's kill names its breaker; the byte is 0 (the loss breaker) otherwise.
                let breaker = source == .breaker ? BreakerKind(rawValue: code2) : nil
                what = .kill(KillSwitch(command, side: side, breaker: breaker, on: code3 != 0))
            case .stateChanged:
                guard let old = TradingState(rawValue: code), let new = TradingState(rawValue: code2) else { return nil }
                what = .stateChanged(from: old, to: new)
            case .paramChanged:
                guard let p = Param(rawValue: code) else { return nil }
                what = .paramChanged(ParamChange(p, old: value, new: value2))
            case .paramRefused:
                guard let p = Param(rawValue: code), let why = ParamRefusal(rawValue: code2) else { return nil }
                what = .paramRefused(ParamRefused(p, why, value: value))
            case .commandRefused:
                guard let command = Command.Kind(rawValue: code), let why = CommandRefusal(rawValue: code2) else { return nil }
                what = .commandRefused(command, why)
            case .anomaly:
                guard let anomaly = Anomaly(rawValue: code) else { return nil }
                what = .anomaly(AnomalySeen(anomaly, side: side, clientID: clientID, price: price, qty: qty))
            case .flattened:
                what = .flattened
            }
            return EngineEvent(what, time: time, instrument: InstrumentID(Int(instrument)), source: source)
        }
    }

    public static func encode(_ e: EngineEvent) -> [UInt8] {
        let f = Fields(e)
        var b: [UInt8] = []
        b.reserveCapacity(size)
        b.append(contentsOf: [f.kind, f.source, f.side.rawValue, f.code, f.code2, f.code3])
        b.appendLE(f.instrument)
        b.appendLE(f.clientID.value)
        b.appendLE(UInt64(bitPattern: f.price.units))
        b.appendLE(UInt64(bitPattern: f.qty.lots))
        b.appendLE(UInt64(bitPattern: f.money.units))
        b.appendLE(f.value.bitPattern)
        b.appendLE(f.value2.bitPattern)
        b.appendLE(UInt64(bitPattern: f.time))
        return b
    }

    /// The event back from its 64 bytes, or nil if they are not one this build knows: a kind,
    /// source, side or code out of range (a newer build's journal, or damage the CRC missed).
    public static func decode(_ b: [UInt8]) -> EngineEvent? {
        guard b.count == size, let side = Side(rawValue: b[2]) else { return nil }
        func u64(_ at: Int) -> UInt64 { b.loadLE(UInt64.self, at: at) }
        var f = Fields(kind: b[0], source: b[1], instrument: b.loadLE(UInt16.self, at: 6), time: Int64(bitPattern: u64(56)))
        f.side = side
        (f.code, f.code2, f.code3) = (b[3], b[4], b[5])
        f.clientID = ClientOrderID(u64(8))
        f.price = Price(Int64(bitPattern: u64(16)))
        f.qty = Qty(Int64(bitPattern: u64(24)))
        f.money = Money(Int64(bitPattern: u64(32)))
        f.value = Double(bitPattern: u64(40))
        f.value2 = Double(bitPattern: u64(48))
        return f.event
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
