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
                guard let e = EngineEventCodec.decode(record.payload), e.kind == .filled else { continue }
                guard e.instrument.int < symbols.count else { continue }
                let symbol = symbols[e.instrument.int]
                guard let instrument = bySymbol[symbol] else { r.unknownSymbols.insert(symbol); continue }
                r.positions[symbol, default: Position()].apply(side: e.side, price: e.price, qty: e.qty, fee: e.money, instrument)
                r.fills += 1
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
        if uncleanStop { text += "; the last session did not stop cleanly: starting HALTED (working orders there died with the paper exchange)" }
        if !unknownSymbols.isEmpty { text += "; fills for unlisted instruments ignored: \(unknownSymbols.sorted().joined(separator: ", "))" }
        return text
    }
}
