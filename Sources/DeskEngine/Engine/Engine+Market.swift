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
        // Within a venue update only the book changes, for every level of a diff: borrowed.
        guard e.endOfBatch else {
            borrowedInstruments[e.instrument.int]._withUnsafeGuaranteedRef { $0.apply(e, now: now) }
            return
        }
        borrowedInstruments[e.instrument.int]._withUnsafeGuaranteedRef { endOfUpdate(e, $0) }
    }

    /// The last event of a venue update: the book, then everything that reads it.
    private func endOfUpdate(_ e: MarketEvent, _ slot: InstrumentState) {
        slot.apply(e, now: now)
        let book = slot.book
        // An update entirely beyond the levels the signals read leaves them, and the quote, as
        // they are: most of a deep book's traffic.
        let levels = Int(slot.params[.imbalanceLevels])
        if slot.signalsStale || slot.ownInFeedStale || slot.signals.depthLevels != levels {
            refreshOwnInFeed(slot)
            slot.signals.update(book: book, imbalanceLevels: levels, own: slot.ownInFeed)
            slot.signalsStale = false
        }
        if book.isCrossed {
            if slot.crossedSince == nil { slot.crossedSince = now }
        } else {
            slot.crossedSince = nil
        }
        if slot.signals.advance(to: now) { sampleBreakers(slot) }
        markToMarket(slot)
        updateStaleOnMarket(slot)
        if quoteInputs(slot) != slot.quotedFrom { requote(slot, reuseSync: true) }
        settleActivity(slot)
    }

    /// Reads our orders' size out of the venue's book by their venue ids, into a small list the
    /// signals consult level by level. An order the venue has not added yet, or has already
    /// removed, is simply not there, so no timing of reports against the feed can make the
    /// market look thinner than it is.
    func refreshOwnInFeed(_ slot: InstrumentState) {
        guard slot.ownInFeedStale else { return }
        slot.ownInFeedStale = false
        guard config.feedIncludesOwnOrders else { return }
        slot.ownInFeed.removeAll()
        slot.own.prune(slot.book, now: now)
        for e in slot.own.entries where e.venueID != 0 {
            if let o = slot.book.restingOrder(id: e.venueID) { slot.ownInFeed.add(o.side, o.price, o.qty.lots) }
        }
    }

    /// Revalues the position at the market-only mid and the portfolio, and feeds the loss breakers.
    @inline(__always)
    func markToMarket(_ slot: InstrumentState) {
        // The market's own touch, without our orders, which on a venue whose feed shows them
        // would otherwise mark the position partly at our own quotes.
        let inputs = MarkInputs(bid: slot.signals.bid, ask: slot.signals.ask, qty: slot.position.qty,
                                fills: slot.position.fills, levelsVersion: levelsVersion)
        // A deep level, or nothing that moves the mark: the P&L and its breakers stand.
        guard inputs != slot.markedFrom else { return }
        mark(slot, at: inputs)
    }

    private func mark(_ slot: InstrumentState, at inputs: MarkInputs) {
        slot.markedFrom = inputs
        slot.position.mark(bid: inputs.bid, ask: inputs.ask, slot.instrument)
        portfolio.replace(slot.positionInPortfolio, with: slot.position)
        slot.positionInPortfolio = slot.position
        updatePnLBreakers(slot)
    }
}
