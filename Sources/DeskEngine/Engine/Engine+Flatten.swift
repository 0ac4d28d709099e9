import DeskCore

extension Engine {
    /// Flatten: cancel everything, then trade the position to zero with immediate-or-cancel
    /// orders priced at the edge of the collar and no larger than `max_order_qty`, one at a
    /// time, then halt. Allowed from any state, including halted.
    func startFlatten(_ slot: InstrumentState, source: ActionSource) {
        emitState(slot, to: .flattening, source: source)
        cancelOpen(slot, keepFlatten: true)
        driveFlatten(slot)
    }

    /// One step of the flatten sequence; called on every event while flattening.
    func driveFlatten(_ slot: InstrumentState) {
        let position = slot.position.qty
        slot.quote = Quote()
        slot.quote.breakdown.binding = .flattening
        if position == 0 {
            cancelOpen(slot)
            emit(EngineEvent(.flattened, time: now, instrument: slot.id))
            emitState(slot, to: .halted, source: .system)
            return
        }
        var restingQuotes = false, flattenInFlight = false
        oms.forEachOpen(slot.id) { o in
            if o.origin == .flatten { flattenInFlight = true } else { restingQuotes = true }
        }
        if restingQuotes { cancelOpen(slot, keepFlatten: true) }
        // Our own resting orders could meet the flatten order; wait until they are gone.
        guard !restingQuotes, !flattenInFlight else { return }
        let p = slot.params
        let side: Side = position > 0 ? .sell : .buy
        let qty = min(abs(position), Int64(p[.maxOrderQty]))
        // A flatten that cannot send says why where the operator looks (the quote's binding).
        guard qty > 0, slot.signals.mid.isFinite else {
            slot.quote.breakdown.binding = .flattenBlocked
            return
        }
        let reach = p[.collar] * Double(slot.instrument.tickSize)
        // The furthest price the collar allows, rounded toward the mid so it stays inside.
        let price = side == .sell ? slot.instrument.askPrice(fromModel: slot.signals.mid - reach)
                                  : slot.instrument.bidPrice(fromModel: slot.signals.mid + reach)
        guard price.isDefined, price.units > 0 else {
            slot.quote.breakdown.binding = .flattenBlocked
            return
        }
        var request = OrderRequest(kind: .new, instrument: slot.id, clientID: oms.peekNextID, side: side, price: price,
                                   qty: Qty(qty), timeInForce: .ioc, postOnly: false, origin: .flatten)
        guard passesRisk(slot, request, replacing: nil) else { return }
        request.clientID = oms.create(instrument: slot.id, side: side, price: price, qty: Qty(qty), timeInForce: .ioc,
                                      origin: .flatten, now: now)
        send(slot, request)
    }
}
