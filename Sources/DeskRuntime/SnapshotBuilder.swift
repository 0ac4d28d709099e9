import DeskCore
import DeskEngine

/// Copies what the console shows out of the engine into a snapshot slot, reusing the slot's
/// arrays so a publication does not allocate once they have grown to size.
enum SnapshotBuilder {
    /// Ladder rows either side of the mid; the console keeps its own static axis inside them.
    static let ladderReach = 60

    static func fill(_ s: inout Snapshot, from engine: Engine, now: Nanos) {
        if s.instruments.count != engine.instruments.count {
            s.instruments = engine.instruments.map { Snapshot.InstrumentView(instrument: $0.instrument) }
        }
        for (i, slot) in engine.instruments.enumerated() { fill(&s.instruments[i], slot, engine, now) }
        s.portfolio = engine.portfolio
        s.globalBreakers.removeAll(keepingCapacity: true)
        s.globalBreakers.append(contentsOf: engine.globalBreakers)
        s.global = engine.global
    }

    private static func fill(_ v: inout Snapshot.InstrumentView, _ slot: InstrumentState, _ engine: Engine, _ now: Nanos) {
        let book = slot.book
        v.state = slot.state
        v.strategy = slot.strategy
        v.bestBid = book.bestBid
        v.bestAsk = book.bestAsk
        v.mid = slot.signals.mid
        v.quote = slot.quote
        v.quoteSetting = slot.quoteSetting
        v.models = slot.models
        v.position = slot.position
        v.averagePrice = slot.position.averagePrice(slot.instrument)
        v.workingBuy = engine.oms.workingQty(slot.id, .buy).lots
        v.workingSell = engine.oms.workingQty(slot.id, .sell).lots
        v.maxPosition = slot.params[.maxPosition]
        v.params = slot.params
        v.lastTradePrice = slot.lastTradePrice
        v.lastTradeQty = slot.lastTradeQty
        v.venueStatus = slot.venueStatus
        v.events = slot.events
        v.breakers.removeAll(keepingCapacity: true)
        v.breakerWarn.removeAll(keepingCapacity: true)
        v.breakerTrip.removeAll(keepingCapacity: true)
        v.breakerActions.removeAll(keepingCapacity: true)
        for b in slot.breakers {
            v.breakers.append(b)
            let params = b.kind.params
            v.breakerWarn.append(params.map { slot.params[$0.warn] } ?? 0)
            v.breakerTrip.append(params.map { slot.params[$0.trip] } ?? 0)
            v.breakerActions.append(slot.action(of: b.kind))
        }
        v.openOrders.removeAll(keepingCapacity: true)
        engine.oms.forEachOpen(slot.id) { o in
            let entry = slot.own.entries.first { $0.id == o.id }
            v.openOrders.append(Snapshot.OpenOrder(id: o.id, side: o.side, price: o.targetPrice, leaves: o.leaves, state: o.state,
                                                   queueAhead: entry.map { slot.own.queueAhead($0, in: book) } ?? -1,
                                                   age: now - o.sentTime))
        }
        fillLadder(&v, slot, now)
    }

    /// Rows from the highest price to the lowest, `ladderReach` ticks either side of the mid.
    private static func fillLadder(_ v: inout Snapshot.InstrumentView, _ slot: InstrumentState, _ now: Nanos) {
        v.ladder.removeAll(keepingCapacity: true)
        let tick = slot.instrument.tickSize
        let centre: Int64
        if v.mid.isFinite {
            centre = Int64((v.mid / Double(tick)).rounded()) * tick
        } else if slot.lastTradePrice.isDefined {
            centre = slot.lastTradePrice.units
        } else {
            return
        }
        for k in stride(from: ladderReach, through: -ladderReach, by: -1) {
            let price = Price(centre + Int64(k) * tick)
            guard price.units > 0 else { continue }
            var row = Snapshot.LadderRow(price: price)
            row.bidQty = slot.book.qty(.buy, price).lots
            row.askQty = slot.book.qty(.sell, price).lots
            for o in v.openOrders where o.price == price {
                if o.side == .buy { row.ourBid += o.leaves.lots } else { row.ourAsk += o.leaves.lots }
            }
            if price == slot.lastTradePrice {
                row.tradedQty = slot.lastTradeQty.lots
                row.tradeAge = now - slot.lastTradeTime
            }
            v.ladder.append(row)
        }
    }
}
