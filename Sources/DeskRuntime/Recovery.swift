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

    /// Replays the journal's fills through `Position` with each symbol's instrument.
    public static func rebuild(_ records: [JournalRecord], instruments: [Instrument]) -> Recovery {
        var r = Recovery()
        let bySymbol = Dictionary(instruments.map { ($0.symbol, $0) }, uniquingKeysWith: { a, _ in a })
        var symbols = instruments.map(\.symbol) // journals written before symbols were recorded
        for record in records {
            switch record.kind {
            case .sessionStart:
                r.sessions += 1
                let lines = String(decoding: record.payload, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                if lines.count > 1 { symbols = lines[1].split(separator: ",").map(String.init) }
            case .engineEvent:
                guard let e = EngineEventCodec.decode(record.payload) else { continue }
                let symbol = e.instrument.isAll ? "" : (e.instrument.int < symbols.count ? symbols[e.instrument.int] : nil)
                guard let symbol else { continue }
                switch e.kind {
                case .filled:
                    guard let instrument = bySymbol[symbol] else { r.unknownSymbols.insert(symbol); continue }
                    r.positions[symbol, default: Position()].apply(side: e.side, price: e.price, qty: e.qty, fee: e.money, instrument)
                    r.fills += 1
                case .paramChanged:
                    if let p = Param(rawValue: e.code) { r.parameters[symbol, default: [:]][p] = e.value2 }
                case .breaker:
                    guard let kind = BreakerKind(rawValue: e.code), let state = BreakerState(rawValue: e.code2) else { continue }
                    if state == .tripped { r.tripped[symbol, default: []].insert(kind) } else { r.tripped[symbol]?.remove(kind) }
                default:
                    break
                }
            case .sessionStop, .recovery:
                break
            }
        }
        r.uncleanStop = r.sessions > 0 && records.last?.kind != .sessionStop
        return r
    }

    /// One line for the operator and the journal.
    public var summary: String {
        let held = positions.keys.sorted().map { "\($0) \(positions[$0]!.qty)" }.joined(separator: ", ")
        var text = "recovered \(fills) fills from \(sessions) sessions; positions: \(held.isEmpty ? "flat" : held)"
        let changed = parameters.values.reduce(0) { $0 + $1.count }
        if changed > 0 { text += "; \(changed) live parameter settings restored" }
        let trips = tripped.flatMap { symbol, kinds in kinds.map { symbol.isEmpty ? "\($0)" : "\(symbol) \($0)" } }.sorted()
        if !trips.isEmpty { text += "; still tripped: \(trips.joined(separator: ", "))" }
        if uncleanStop { text += "; the last session did not stop cleanly: starting HALTED (working orders there died with the paper exchange)" }
        if !unknownSymbols.isEmpty { text += "; fills for unlisted instruments ignored: \(unknownSymbols.sorted().joined(separator: ", "))" }
        return text
    }
}
