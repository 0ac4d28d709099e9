import DeskCore
import DeskEngine
import DeskStore

/// What the journal says the desk held: positions rebuilt fill by fill, and whether the last
/// session stopped cleanly. A session starts from it, so a crash never forgets a position.
public struct Recovery: Sendable {
    /// Position, cost basis, realized P&L and fees per symbol, from every fill in the journal.
    public var positions: [String: Position] = [:]
    public var fills = 0
    public var sessions = 0
    /// The last session ended without its stop record: the process died.
    public var uncleanStop = false
    /// Fills for symbols the configuration no longer lists (they cannot be valued).
    public var unknownSymbols: Set<String> = []
    /// The last value of each parameter changed live, per symbol ("" for engine-wide ones).
    public var parameters: [String: [Param: Double]] = [:]
    /// Breakers whose last journaled state was tripped, per symbol ("" for engine-wide ones):
    /// a trip stays until the operator resets it, across a restart too.
    public var tripped: [String: Set<BreakerKind>] = [:]
    /// The highest client order id any session sent: the next session continues after it.
    public var lastOrderID = ClientOrderID.none
    /// Orders the last session had working when it died (empty after a clean stop). A paper
    /// exchange dies with the process, so these are gone; a real venue would need a cancel.
    public var workingAtCrash: [WorkingOrder] = []

    /// An order the journal shows sent and not yet finished.
    public struct WorkingOrder: Sendable, Equatable {
        public var symbol: String
        public var id: ClientOrderID
        public var side: Side
        public var price: Price
        public var leaves: Qty
        /// The price with its instrument's decimals.
        public var priceText: String
    }

    /// Replays the journal's fills through `Position` with each symbol's instrument.
    public static func rebuild(_ records: [JournalRecord], instruments: [Instrument]) -> Recovery {
        var r = Recovery()
        let bySymbol = Dictionary(instruments.map { ($0.symbol, $0) }, uniquingKeysWith: { a, _ in a })
        var symbols = instruments.map(\.symbol) // journals written before symbols were recorded
        var working: [ClientOrderID: WorkingOrder] = [:]
        for record in records {
            switch record.kind {
            case .sessionStart:
                r.sessions += 1
                working = [:] // a session's orders end with its paper exchange
                let lines = String(decoding: record.payload, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                if lines.count > 1 { symbols = lines[1].split(separator: ",").map(String.init) }
            case .engineEvent:
                guard let e = EngineEventCodec.decode(record.payload) else { continue }
                let symbol = e.instrument.isAll ? "" : (e.instrument.int < symbols.count ? symbols[e.instrument.int] : nil)
                guard let symbol else { continue }
                trackWorking(e, symbol, bySymbol[symbol], &working)
                switch e.what {
                case .orderSent(let m):
                    if m.clientID > r.lastOrderID { r.lastOrderID = m.clientID }
                case .filled(let f):
                    guard let instrument = bySymbol[symbol] else { r.unknownSymbols.insert(symbol); continue }
                    r.positions[symbol, default: Position()].apply(side: f.side, price: f.price, qty: f.qty, fee: f.fee, instrument)
                    r.fills += 1
                case .paramChanged(let c):
                    r.parameters[symbol, default: [:]][c.param] = c.new
                case .breaker(let b):
                    if b.state == .tripped { r.tripped[symbol, default: []].insert(b.breaker) } else { r.tripped[symbol]?.remove(b.breaker) }
                default:
                    break
                }
            case .sessionStop, .recovery, .operatorNote:
                break
            }
        }
        r.uncleanStop = r.sessions > 0 && records.last?.kind != .sessionStop
        if r.uncleanStop { r.workingAtCrash = working.values.sorted { $0.id < $1.id } }
        return r
    }

    /// Follows each order from sent to done: fills, cancels, rejects and replaces.
    private static func trackWorking(_ e: EngineEvent, _ symbol: String, _ instrument: Instrument?,
                                     _ working: inout [ClientOrderID: WorkingOrder]) {
        func text(_ price: Price) -> String { instrument?.format(price) ?? "\(price.units)" }
        switch e.what {
        case .orderSent(let m) where m.kind == .new:
            working[m.clientID] = WorkingOrder(symbol: symbol, id: m.clientID, side: m.side, price: m.price, leaves: m.qty,
                                               priceText: text(m.price))
        case .filled(let f):
            guard var o = working[f.clientID] else { return }
            o.leaves -= f.qty
            working[f.clientID] = o.leaves.lots > 0 ? o : nil
        case .replaced(let u):
            guard var o = working[u.clientID] else { return }
            o.price = u.price
            o.priceText = text(u.price)
            o.leaves = u.leaves
            working[u.clientID] = o
        case .cancelled(let u), .venueRejected(let u):
            working[u.clientID] = nil
        default:
            break
        }
    }

    /// The orders working at the crash, one per line, for the recovery summary.
    public var workingAtCrashText: String {
        workingAtCrash.map { "\($0.symbol) \($0.side) \($0.leaves) @ \($0.priceText) (order \($0.id.value))" }.joined(separator: ", ")
    }

    /// `PAPR 3, QUIL -2`, or `flat`.
    public var positionsText: String {
        let held = positions.keys.sorted().map { "\($0) \(positions[$0]!.qty)" }.joined(separator: ", ")
        return held.isEmpty ? "flat" : held
    }

    public var parametersRestored: Int { parameters.values.reduce(0) { $0 + $1.count } }

    /// `PAPR loss, total-loss`: breakers still tripped, engine-wide ones without a symbol.
    public var trippedText: String {
        tripped.flatMap { symbol, kinds in kinds.map { symbol.isEmpty ? "\($0)" : "\(symbol) \($0)" } }.sorted().joined(separator: ", ")
    }

    /// One line for the operator and the journal.
    public var summary: String {
        var text = "recovered \(fills) fills from \(sessions) sessions; positions: \(positionsText)"
        if parametersRestored > 0 { text += "; \(parametersRestored) live parameter settings restored" }
        if !trippedText.isEmpty { text += "; still tripped: \(trippedText)" }
        if uncleanStop {
            text += "; the last session did not stop cleanly: starting HALTED"
            text += workingAtCrash.isEmpty ? "; no orders were working at the crash"
                : "; \(workingAtCrash.count) orders were working at the crash and died with the paper exchange: \(workingAtCrashText)"
        }
        if !unknownSymbols.isEmpty { text += "; fills for unlisted instruments ignored: \(unknownSymbols.sorted().joined(separator: ", "))" }
        return text
    }
}
