import DeskCore

extension Engine {
    /// One market event: book, then signals, then marks and breakers, then a new quote. An
    /// event that is not the end of its venue update only changes the book.
    public func onMarket(_ e: MarketEvent, now t: Nanos) {
        advanceClock(t)
        guard e.instrument.int < instruments.count else {
            unknownInstrumentEvents += 1
            return
        }
        let slot = instruments[e.instrument.int]
        slot.events += 1
        slot.lastMarketTime = now
        let book = slot.book
        switch e.kind {
        case .execute:
            recordTrade(slot, price: e.price, qty: e.qty, aggressor: e.side.opposite)
            slot.own.traded(e.side, e.price, e.qty)
        case .trade:
            recordTrade(slot, price: e.price, qty: e.qty, aggressor: e.side)
            slot.own.traded(e.side.opposite, e.price, e.qty)
        case .status:
            slot.venueStatus = e.status
        default:
            break
        }
        let before = e.kind == .level ? book.qty(e.side, e.price).lots : 0
        book.apply(e)
        // Size leaving a level without a trade can move our estimated queue place up.
        if e.kind == .reduce || e.kind == .delete || (e.kind == .level && e.qty.lots < before) {
            slot.own.levelChanged(e.side, e.price, levelQty: book.qty(e.side, e.price).lots)
        }
        guard e.endOfBatch else { return }
        refreshOwnInFeed(slot)
        slot.signals.update(book: book, imbalanceLevels: Int(slot.params[.imbalanceLevels]), own: slot.ownInFeed)
        if book.isCrossed {
            if slot.crossedSince == nil { slot.crossedSince = now }
        } else {
            slot.crossedSince = nil
        }
        if slot.signals.advance(to: now) { sampleBreakers(slot) }
        markToMarket(slot)
        updateStaleOnMarket(slot)
        if quoteInputs(slot) != slot.quotedFrom { requote(slot) }
        settleActivity(slot)
    }

    /// Reads our orders' size out of the venue's book by their venue ids, into a small list the
    /// signals consult level by level. An order the venue has not added yet, or has already
    /// removed, is simply not there, so no timing of reports against the feed can make the
    /// market look thinner than it is.
    func refreshOwnInFeed(_ slot: InstrumentState) {
        slot.ownInFeed.removeAll()
        guard config.feedIncludesOwnOrders else { return }
        slot.own.prune(slot.book, now: now)
        for e in slot.own.entries where e.venueID != 0 {
            if let o = slot.book.restingOrder(id: e.venueID) { slot.ownInFeed.add(o.side, o.price, o.qty.lots) }
        }
    }

    private func recordTrade(_ slot: InstrumentState, price: Price, qty: Qty, aggressor: Side) {
        slot.signals.record(trade: price, qty: qty, aggressor: aggressor, now: now)
        slot.lastTradePrice = price
        slot.lastTradeQty = qty
        slot.lastTradeTime = now
    }

    /// Revalues the position at the mid and the portfolio, and feeds the loss breakers.
    func markToMarket(_ slot: InstrumentState) {
        slot.position.mark(bid: slot.book.bestBid, ask: slot.book.bestAsk, slot.instrument)
        portfolio.update(instruments.lazy.map(\.position))
        updatePnLBreakers(slot)
    }
}
