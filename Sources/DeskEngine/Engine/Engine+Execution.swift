import DeskCore

extension Engine {
    /// A venue report about one of our orders: OMS state, position and P&L, then a new quote.
    public func onExecution(_ r: ExecutionReport, now t: Nanos) {
        advanceClock(t)
        let outcome = oms.apply(r, now: now)
        if let anomaly = outcome.anomaly {
            anomalies[Int(anomaly.rawValue)] += 1
            emit(EngineEvent(.anomaly(AnomalySeen(anomaly, side: r.side, clientID: r.clientID, price: r.price, qty: r.qty)),
                             time: now, instrument: r.instrument))
        }
        guard r.instrument.int < instruments.count else { return }
        let slot = instruments[r.instrument.int]
        if outcome.filled.lots > 0 { book(fill: r, qty: outcome.filled, side: outcome.order?.side ?? r.side, slot) }
        if !outcome.ignored, let order = outcome.order { record(r, order, slot) }
        updateActivityBreakers(slot)
        if slot.state == .flattening { driveFlatten(slot) } else { requote(slot) }
    }

    private func book(fill r: ExecutionReport, qty: Qty, side: Side, _ slot: InstrumentState) {
        // A report that carried more than was new (a merged late fill) is charged pro rata.
        let fee = qty == r.qty ? r.fee : slot.instrument.fee(r.price, qty, r.liquidity)
        let realized = slot.position.apply(side: side, price: r.price, qty: qty, fee: fee, slot.instrument)
        slot.fillTimes.record(now)
        emit(EngineEvent(.filled(FillBooked(side: side, liquidity: r.liquidity, clientID: r.clientID, price: r.price, qty: qty,
                                            fee: fee, realized: realized.currency, positionAfter: slot.position.qty)),
                         time: now, instrument: slot.id))
        markToMarket(slot)
    }

    private func record(_ r: ExecutionReport, _ order: WorkingOrder, _ slot: InstrumentState) {
        slot.ownInFeedStale = true // the entries below may change
        let update = OrderUpdate(side: order.side, clientID: order.id, price: order.price, leaves: order.leaves, reason: r.reason)
        let what: EngineEvent.What
        switch r.kind {
        case .ack:
            what = .acked(update)
            slot.own.rest(order.id, venueID: order.venueOrderID, order.side, order.price, order.leaves,
                          levelQty: slot.book.qty(order.side, order.price).lots)
        case .reject:
            what = .venueRejected(update)
            slot.rejects.record(now)
            if r.reason == .wouldCross { slot.refuseCrossing(order.side) }
        case .fill:
            slot.own.update(order.id, leaves: order.leaves, now: now)
            return // journaled as `filled` when booked
        case .cancelled:
            what = .cancelled(update)
            slot.own.finish(order.id, now: now)
        case .cancelReject:
            what = .cancelRejected(update)
        case .replaced:
            what = .replaced(update)
            slot.own.rest(order.id, venueID: order.venueOrderID, order.side, order.price, order.leaves,
                          levelQty: slot.book.qty(order.side, order.price).lots)
        case .replaceReject:
            what = .replaceRejected(update)
            // On an order already done it answers a replace the order's end overtook: a race,
            // not the venue refusing our terms.
            if !order.state.isTerminal {
                slot.rejects.record(now)
                if r.reason == .wouldCross { slot.refuseCrossing(order.side) }
            }
        }
        if order.state.isTerminal { slot.own.finish(order.id, now: now) }
        emit(EngineEvent(what, time: now, instrument: slot.id))
    }
}
