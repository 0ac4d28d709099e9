import DeskCore

extension Engine {
    /// Brings the instrument's orders in line with what its state allows: cancels while
    /// halted, the flatten sequence while flattening, nothing new while a breaker stops it,
    /// the flatten at T of a finite Avellaneda-Stoikov session, otherwise a fresh quote synced
    /// against the working orders.
    ///
    /// `reuseSync`: a market event may skip the sync when the new ladder is the one last
    /// synced, none of the instrument's orders changed since, and no order has aged or waited
    /// for a retry since (`SyncMark`); the timer, fills and commands always sync.
    func requote(_ slot: InstrumentState, reuseSync: Bool = false) {
        slot.quotedFrom = quoteInputs(slot)
        let mark = slot.syncMark, held = slot.quoteHold
        slot.syncMark = nil
        slot.quoteHold = nil // kept below only by quotes that still stand
        switch slot.state {
        case .halted:
            cancelOpen(slot)
            slot.quote.breakdown.binding = .stopped
            return
        case .flattening:
            driveFlatten(slot)
            return
        case .active, .reducing:
            break
        }
        if slot.strategy == .avellanedaStoikov || slot.strategy == .glftBounded,
           AvellanedaStoikov.sessionEnded(elapsed: Double(now - startTime) / 1e9, slot.params) {
            startFlatten(slot, source: .horizon)
            return
        }
        if breakerStops(slot) {
            if let action = slot.trippedAction, action >= .cancelAll { cancelOpen(slot) } else if globalTrip { cancelOpen(slot) }
            else { maintainWhileStopped(slot) }
            slot.quote.bids.removeAll()
            slot.quote.asks.removeAll()
            slot.quote.breakdown.binding = .stopped
            return
        }
        let book = slot.book
        guard book.hasTwoSides, !book.isCrossed, slot.signals.mid.isFinite else {
            cancelOpen(slot)
            slot.quote = Quote()
            slot.quote.breakdown.binding = .noMarket
            return
        }
        // Built here and read from here: read back from the instrument, just written field by
        // field, the copy into the quote model stalls on store forwarding.
        let setting = QuoteSetting(
            mid: slot.signals.mid, microprice: slot.signals.microprice, imbalance: slot.signals.imbalance,
            sigmaEstimate: slot.signals.sigma, fittedBid: slot.signals.intensity.bid.fitted,
            fittedAsk: slot.signals.intensity.ask.fitted,
            bestBid: book.bestBid, bestAsk: book.bestAsk, position: slot.position.qty,
            reduceOnly: slot.state == .reducing, widen: breakerWidens(slot), elapsed: Double(now - startTime) / 1e9)
        slot.quoteSetting = setting
        if slot.strategy == .glftBounded { keepGLFTTable(slot) }
        let quote = setting.quote(slot.strategy, slot.params, slot.instrument, now: now, models: slot.models)
        if let held, holdsQuotes(slot, refreshInterval: quote.breakdown.refreshInterval, held) {
            slot.quoteHold = held
            slot.syncMark = mark
            return
        }
        // The mark describes the quote being replaced: compare ladders before replacing it.
        let sameLadder = quote.bids == slot.quote.bids && quote.asks == slot.quote.asks
        slot.quote = quote
        if reuseSync, let mark, sameLadder, now < mark.validUntil,
           mark.ordersVersion == oms.versions[slot.id.int], mark.state == slot.state {
            slot.syncMark = mark
            return
        }
        // Move the side that steps away first: when the quote shifts up, a new bid could meet
        // our own ask still resting below it, and self-trade prevention would refuse it.
        let first: Side = quoteMovesUp(slot) ? .sell : .buy
        let firstSettled = sync(slot, first, slot.quote.levels(first))
        let settled = sync(slot, first.opposite, slot.quote.levels(first.opposite)) && firstSettled
        // Only a sync that placed everything it wanted may be reused or held: one that
        // throttling, risk or our own orders held back tries again on the next event.
        if settled {
            slot.syncMark = SyncMark(ordersVersion: oms.versions[slot.id.int], state: slot.state,
                                     validUntil: syncDeadline(slot))
            if quote.breakdown.refreshInterval > 0 { slot.quoteHold = hold(slot, since: now) }
        }
    }

    func hold(_ slot: InstrumentState, since: Nanos) -> QuoteHold {
        QuoteHold(since: since, levelsVersion: levelsVersion, position: slot.position.qty, state: slot.state,
                  openOrders: oms.openCount(slot.id))
    }

    /// Whether the resting quotes stand, unrefreshed, though the model moved: within the refresh
    /// interval the new quote asks for (`QuoteTiming`), with nothing but the market changed
    /// since they were synced, no order due to age or to a cancel retry, and the market not yet
    /// at any of them. The quote shown stays the one the orders rest at.
    func holdsQuotes(_ slot: InstrumentState, refreshInterval: Double, _ held: QuoteHold) -> Bool {
        guard refreshInterval > 0, now - held.since < Time.seconds(refreshInterval),
              held == hold(slot, since: held.since), now < syncDeadline(slot) else { return false }
        let bid = slot.book.bestBid, ask = slot.book.bestAsk
        var reached = false
        oms.forEachOpen(slot.id) { o in
            if o.side == .buy ? ask.isDefined && o.targetPrice >= ask : bid.isDefined && o.targetPrice <= bid { reached = true }
        }
        return !reached
    }

    /// Builds the bounded GLFT table again when one of its parameters changed since it was
    /// built: the requote after a parameter change, on the command path.
    private func keepGLFTTable(_ slot: InstrumentState) {
        let inputs = GLFTBounded.Inputs(slot.params)
        if slot.models.glftTable?.inputs != inputs { slot.models.glftTable = GLFTBounded.Table(inputs) }
    }

    /// When the passing of time alone could make a sync act: a quote order reaching
    /// `max_order_age`, or an unanswered cancel reaching its retry.
    func syncDeadline(_ slot: InstrumentState) -> Nanos {
        let maxAge = Time.seconds(slot.params[.maxOrderAge])
        var deadline = Nanos.max
        oms.forEachOpen(slot.id) { o in
            if o.state == .pendingCancel {
                deadline = min(deadline, o.cancelSentTime + config.cancelRetry)
            } else if o.origin == .quote {
                deadline = min(deadline, o.sentTime + maxAge)
            }
        }
        return deadline
    }

    /// While a breaker keeps new orders out, the resting ones are still looked after: one past
    /// `max_order_age` or now outside the price collar is cancelled (nothing replaces it), and
    /// an unanswered cancel is sent again after `cancelRetry`.
    func maintainWhileStopped(_ slot: InstrumentState) {
        let maxAge = Time.seconds(slot.params[.maxOrderAge])
        let collar = slot.params[.collar] * Double(slot.instrument.tickSize)
        let mid = slot.signals.mid
        drop.removeAll()
        oms.forEachOpen(slot.id) { o in
            guard o.origin == .quote else { return }
            if o.state == .pendingCancel {
                if now - o.cancelSentTime >= config.cancelRetry { drop.append(o.id) }
                return
            }
            let aged = now - o.sentTime >= maxAge
            let outside = mid.isFinite && abs(o.targetPrice.asDouble - mid) > collar
            if aged || outside { drop.append(o.id) }
        }
        for i in 0..<drop.count { sendCancel(slot, drop[i]) }
    }

    @inline(__always) func quoteInputs(_ slot: InstrumentState) -> QuoteInputs {
        // Field by field: a copy of the whole Signals would retain its arrays.
        QuoteInputs(mid: slot.signals.mid, microprice: slot.signals.microprice, imbalance: slot.signals.imbalance,
                    sigma: slot.signals.sigma, bidIntensity: slot.signals.intensity.bid.fitted,
                    askIntensity: slot.signals.intensity.ask.fitted, position: slot.position.qty,
                    state: slot.state, tripped: slot.trippedAction, globalTrip: globalTrip)
    }

    /// Whether the new best bid reaches one of our resting asks.
    private func quoteMovesUp(_ slot: InstrumentState) -> Bool {
        guard slot.quote.bids.count > 0 else { return false }
        let bid = slot.quote.bids[0].price
        var reaches = false
        oms.forEachOpen(slot.id) { o in if o.side == .sell, o.targetPrice <= bid { reaches = true } }
        return reaches
    }

    /// Matches working quote orders of one side to the target levels.
    ///
    /// An order is kept when its price is within `refresh_tolerance` ticks of an unclaimed
    /// target, it is younger than `max_order_age`, and its size is the target's (or it has
    /// part-filled and is no larger). Unkept orders are replaced onto unclaimed targets, the
    /// rest cancelled; targets still unclaimed get new orders. Orders with a request in flight
    /// are left alone until the venue answers. Cancels go first, so a risk check for a new
    /// order already sees them leaving. False when a wanted order could not be sent.
    @discardableResult
    func sync(_ slot: InstrumentState, _ side: Side, _ targets: QuoteLevels) -> Bool {
        let p = slot.params
        let tolerance = Int64(p[.refreshTolerance]) * slot.instrument.tickSize
        let maxAge = Time.seconds(p[.maxOrderAge])
        var claimed: UInt8 = 0 // bit i: target level i has an order
        drop.removeAll()
        // The side's quote orders, read from the OMS once, in its order: deciding changes no
        // order, so the passes below read the same from this list as from the OMS.
        candidates.removeAll()
        oms.forEachOpen(slot.id) { o in
            guard o.side == side, o.origin == .quote else { return }
            candidates.append(SyncCandidate(o))
        }
        // Two passes: orders exactly on a target first, then orders within tolerance of one.
        // Otherwise an order one tick from level 0 but exactly on level 1 could take level 0,
        // and level 1 would get a second order at the same price.
        for pass in 0..<2 {
            let exact = pass == 0
            for c in 0..<candidates.count {
                let o = candidates[c]
                guard !o.decided, o.state != .pendingCancel else { continue }
                let inFlight = o.state == .pendingNew || o.state == .pendingReplace
                let fresh = now - o.sentTime < maxAge || inFlight
                var kept = false
                for i in 0..<targets.count where claimed & (1 << i) == 0 {
                    let t = targets[i]
                    let distance = abs(o.targetPrice - t.price)
                    let priceOK = exact ? distance == 0 : distance <= tolerance
                    // An order with a request in flight holds its price's target whatever its
                    // size, so no second order goes to the same price; it is resized once settled.
                    let sizeOK = inFlight || o.leaves == t.qty || (o.cumLots > 0 && o.leaves <= t.qty)
                    if priceOK, sizeOK, fresh {
                        claimed |= 1 << i
                        kept = true
                        break
                    }
                }
                if kept {
                    candidates[c].decided = true
                    continue
                }
                guard !exact else { continue }
                // Wait for in-flight requests to settle before acting on them again.
                if o.state != .pendingReplace { drop.append(o.id) }
            }
        }
        // A cancel the venue has not answered within `cancelRetry` is sent again.
        for c in 0..<candidates.count {
            let o = candidates[c]
            if o.state == .pendingCancel, now - o.cancelSentTime >= config.cancelRetry { drop.append(o.id) }
        }
        // Replace unkept live orders onto unclaimed targets; cancel the rest. A target at a
        // price where another of our orders already rests (kept within tolerance of some other
        // level) is left alone: a second order there would only duplicate it.
        var next = 0
        for i in 0..<drop.count {
            let id = drop[i]
            guard let order = oms.order(id) else { continue }
            while next < targets.count,
                  claimed & (1 << next) != 0 || occupied(slot, side, targets[next].price, except: id) { next += 1 }
            if next < targets.count, order.state == .live || order.state == .partiallyFilled,
               order.targetPrice != targets[next].price || order.leaves != targets[next].qty {
                if sendReplace(slot, order, targets[next]) { claimed |= 1 << next; continue }
            }
            sendCancel(slot, id)
        }
        for i in 0..<targets.count where claimed & (1 << i) == 0 {
            if occupied(slot, side, targets[i].price, except: nil) { continue }
            if !sendNew(slot, side, targets[i]) { return false }
        }
        return true
    }

    /// Whether one of our open orders on a side rests (or is about to) at a price.
    func occupied(_ slot: InstrumentState, _ side: Side, _ price: Price, except: ClientOrderID?) -> Bool {
        oms.conflict(slot.id, side, price, except: except).duplicate
    }

    /// Sends a new quote order, trimmed to the position room left after working orders.
    /// False when nothing could be sent (no room, no throttle token, or risk refused).
    @discardableResult
    func sendNew(_ slot: InstrumentState, _ side: Side, _ level: QuoteLevel) -> Bool {
        let p = slot.params
        guard !slot.crossingRefused(side), risk.hasToken(slot.id, now: now, p),
              !crossesOwn(slot, side, level.price, except: nil) else { return false }
        let qty = min(level.qty.lots, room(slot, side, excluding: nil))
        guard qty > 0 else { return false }
        var request = OrderRequest(kind: .new, instrument: slot.id, clientID: oms.peekNextID, side: side,
                                   price: level.price, qty: Qty(qty), postOnly: p.flag(.postOnly), origin: .quote)
        guard passesRisk(slot, request, replacing: nil) else { return false }
        request.clientID = oms.create(instrument: slot.id, side: side, price: level.price, qty: Qty(qty),
                                      timeInForce: .gtc, origin: .quote, now: now)
        send(slot, request)
        return true
    }

    func sendReplace(_ slot: InstrumentState, _ order: WorkingOrder, _ level: QuoteLevel) -> Bool {
        guard !slot.crossingRefused(order.side), risk.hasToken(slot.id, now: now, slot.params),
              !crossesOwn(slot, order.side, level.price, except: order.id) else { return false }
        let leaves = min(level.qty.lots, room(slot, order.side, excluding: order))
        guard leaves > 0 else { return false }
        let total = Qty(order.cumQty.lots + leaves)
        let request = OrderRequest(kind: .replace, instrument: slot.id, clientID: order.id, side: order.side,
                                   price: level.price, qty: total, postOnly: slot.params.flag(.postOnly), origin: .quote)
        var check = request
        check.qty = Qty(leaves) // risk judges what will be working, not the total ever ordered
        guard passesRisk(slot, check, replacing: order) else { return false }
        oms.markReplaceSent(order.id, price: level.price, qty: total, now: now)
        send(slot, request)
        return true
    }

    /// Lots a side may still add before the position limit (or flat, when reducing), counting
    /// working orders the way pre-trade risk does, less the one being replaced.
    func room(_ slot: InstrumentState, _ side: Side, excluding order: WorkingOrder?) -> Int64 {
        let working = oms.workingQty(slot.id, side).lots - (order?.exposureQty.lots ?? 0)
        let signed = side == .buy ? slot.position.qty : -slot.position.qty
        if slot.state == .reducing { return -signed - working }
        return Int64(slot.params[.maxPosition]) - signed - working
    }

    /// Whether a price would meet one of our own open orders on the other side, judged as
    /// pre-trade risk judges it (the same check). The quoter waits instead of being refused.
    func crossesOwn(_ slot: InstrumentState, _ side: Side, _ price: Price, except: ClientOrderID?) -> Bool {
        oms.conflict(slot.id, side, price, except: except).crossesOwn
    }

    func sendCancel(_ slot: InstrumentState, _ id: ClientOrderID) {
        guard let order = oms.order(id), oms.markCancelSent(id, now: now) else { return }
        send(slot, OrderRequest(kind: .cancel, instrument: slot.id, clientID: id, side: order.side,
                                price: order.price, qty: order.leaves, origin: order.origin))
    }

    /// Cancels open orders (of one side, if given). An order whose cancel is already in flight
    /// gets it again only after `cancelRetry`, so a lost or refused cancel cannot strand it.
    func cancelOpen(_ slot: InstrumentState, side: Side? = nil, keepFlatten: Bool = false) {
        drop.removeAll()
        let retry = config.cancelRetry
        oms.forEachOpen(slot.id) { o in
            guard side == nil || o.side == side, !(keepFlatten && o.origin == .flatten) else { return }
            if o.state != .pendingCancel || now - o.cancelSentTime >= retry { drop.append(o.id) }
        }
        for i in 0..<drop.count { sendCancel(slot, drop[i]) }
    }

    func passesRisk(_ slot: InstrumentState, _ request: OrderRequest, replacing: WorkingOrder?) -> Bool {
        let inputs = RiskInputs(state: slot.state, enabled: slot.enabled, position: slot.position.qty,
                                mid: slot.signals.mid, otherExposure: exposure(excluding: slot.id),
                                breakerStop: breakerStops(slot))
        let reason = risk.check(request, replacing: replacing, inputs, slot.instrument, slot.params, global, oms, now: now)
        guard reason != .none else { return true }
        slot.rejects.record(now)
        slot.activitySinceFeed = true
        emit(EngineEvent(.riskRejected(RiskRefusal(reason: reason, message: request.kind, side: request.side,
                                                   clientID: request.clientID, price: request.price, qty: request.qty)),
                         time: now, instrument: slot.id))
        return false
    }

    /// Gross exposure of every instrument but one.
    func exposure(excluding id: InstrumentID) -> Money {
        var total = Money.zero
        for slot in instruments where slot.id != id {
            total += PreTradeRisk.exposure(position: slot.position.qty, workingBuy: oms.workingQty(slot.id, .buy).lots,
                                           workingSell: oms.workingQty(slot.id, .sell).lots,
                                           mid: slot.signals.mid, slot.instrument)
        }
        return total
    }

    func send(_ slot: InstrumentState, _ request: OrderRequest) {
        orders.push(request)
        slot.messages.record(now)
        slot.activitySinceFeed = true
        emit(EngineEvent(.orderSent(OrderMessage(request)), time: now, instrument: slot.id))
    }
}

/// One of a side's open quote orders, as the order sync reads it: the fields its passes
/// compare, copied once per sync, and whether a pass has already kept it.
struct SyncCandidate: BitwiseCopyable {
    var id: ClientOrderID
    var state: OrderState
    var targetPrice: Price
    var leaves: Qty
    var cumLots: Int64
    var sentTime: Nanos
    var cancelSentTime: Nanos
    var decided = false

    @inline(__always) init(_ o: WorkingOrder) {
        id = o.id
        state = o.state
        targetPrice = o.targetPrice
        leaves = o.leaves
        cumLots = o.cumQty.lots
        sentTime = o.sentTime
        cancelSentTime = o.cancelSentTime
    }
}
