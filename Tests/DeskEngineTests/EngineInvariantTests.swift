import Testing
import DeskCore
@testable import DeskEngine

/// A long randomized session against a venue that misbehaves the way real ones do: it rejects,
/// answers late and out of order, sends duplicates, fills orders we asked to cancel and
/// refuses cancels for orders already gone. An operator hammers the kill switches and types
/// bad values. After every step the safety invariants must hold:
///
/// - the engine's position is exactly the sum of the fills the venue sent;
/// - no new or replace order leaves a halted instrument, and a flattening one sends only
///   flatten orders that shrink the position;
/// - every order respects the order size limit, the collar and (for quotes) the position limit;
/// - once halted and answered, no order stays working;
/// - a key storm (a batch of parameter steps) requotes once.
@Suite struct EngineInvariantTests {
    /// What the fake venue knows of one of our orders.
    struct VenueOrder {
        var side: Side
        var price: Price
        var qty: Int64
        var cum: Int64
        var ioc: Bool
    }

    @Test(arguments: [1, 2, 3, 4])
    func randomSessionKeepsTheInvariants(seed: UInt64) {
        var rng = SeededRandom(seed: seed)
        let h = EngineHarness { p in
            p.set(.maxPosition, 40)
            p.set(.maxOrderQty, 15)
            p.set(.levels, 3)
            p.set(.collar, 40)
            p.set(.staleMs, 86_400_000)
            p.set(.lossLimit, 1e9)
            p.set(.drawdownLimit, 1e9)
            p.set(.movePct, 100)
            p.set(.positionBreach, 10)
        }
        var venue: [ClientOrderID: VenueOrder] = [:]
        var pending: [ExecutionReport] = []
        var ledger: Int64 = 0
        var mid: Int64 = 10_000

        func deliver(_ r: ExecutionReport) {
            pending.append(r)
            if rng.chance(0.03) { pending.append(r) } // duplicate
        }
        func fill(_ id: ClientOrderID, _ qty: Int64, _ price: Price) {
            guard var o = venue[id] else { return }
            o.cum += qty
            venue[id] = o
            ledger += o.side.sign * qty
            deliver(ExecutionReport(kind: .fill, instrument: InstrumentID(0), clientID: id, side: o.side, price: price,
                                    qty: Qty(qty), cumQty: Qty(o.cum), leavesQty: Qty(o.qty - o.cum), liquidity: o.ioc ? .taker : .maker))
            if o.cum >= o.qty { venue[id] = nil }
        }

        /// Checks what the engine just sent against the state it sent it in, then answers as
        /// the venue. Called after every call into the engine, so nothing is judged late.
        func serve(_ step: Int) {
            let slot = h.slot()
            for o in h.sent() {
                if o.kind != .cancel {
                    #expect(slot.state != .halted, "order left a halted engine at step \(step)")
                    if slot.state == .flattening {
                        #expect(o.origin == .flatten && o.kind == .new)
                        #expect(o.side == (slot.position.qty > 0 ? .sell : .buy))
                        #expect(o.qty.lots <= abs(slot.position.qty))
                    }
                    #expect(o.qty.lots <= 15 || o.kind == .replace)
                    #expect(abs(o.price.asDouble - slot.signals.mid) <= 40, "collar at step \(step)")
                    if o.origin == .quote {
                        // What will be working once this order lands: for a replace, the others
                        // and its new leaves (until the venue answers, the OMS counts the larger
                        // of old and new, so a shrink after a late fill can show over the limit).
                        var working = h.engine.oms.workingQty(slot.id, o.side).lots
                        if o.kind == .replace, let w = h.engine.oms.order(o.clientID) {
                            working += (o.qty.lots - w.cumQty.lots) - w.exposureQty.lots
                        }
                        let signed = o.side == .buy ? slot.position.qty : -slot.position.qty
                        #expect(signed + working <= 40, "position limit at step \(step): \(o.kind) \(o.qty.lots) lots")
                    }
                }
                switch o.kind {
                case .new:
                    if rng.chance(0.05) {
                        deliver(ExecutionReport(kind: .reject, instrument: o.instrument, clientID: o.clientID, side: o.side,
                                                reason: .invalidPrice))
                        continue
                    }
                    venue[o.clientID] = VenueOrder(side: o.side, price: o.price, qty: o.qty.lots, cum: 0, ioc: o.timeInForce == .ioc)
                    deliver(ExecutionReport(kind: .ack, instrument: o.instrument, clientID: o.clientID, side: o.side))
                    if o.timeInForce == .ioc {
                        let q = max(1, o.qty.lots - Int64(rng.below(Int(o.qty.lots))))
                        fill(o.clientID, q, o.price)
                        if venue[o.clientID] != nil {
                            venue[o.clientID] = nil
                            deliver(ExecutionReport(kind: .cancelled, instrument: o.instrument, clientID: o.clientID, side: o.side))
                        }
                    }
                case .cancel:
                    if venue[o.clientID] != nil {
                        // Sometimes a fill slips in before the cancel lands.
                        if rng.chance(0.1), let v = venue[o.clientID] { fill(o.clientID, v.qty - v.cum, v.price) }
                        if venue.removeValue(forKey: o.clientID) != nil {
                            deliver(ExecutionReport(kind: .cancelled, instrument: o.instrument, clientID: o.clientID, side: o.side))
                            continue
                        }
                    }
                    deliver(ExecutionReport(kind: .cancelReject, instrument: o.instrument, clientID: o.clientID, side: o.side,
                                            reason: .tooLateToCancel))
                case .replace:
                    if var v = venue[o.clientID], o.qty.lots > v.cum {
                        v.price = o.price
                        v.qty = o.qty.lots
                        venue[o.clientID] = v
                        deliver(ExecutionReport(kind: .replaced, instrument: o.instrument, clientID: o.clientID, side: o.side,
                                                price: o.price, qty: o.qty, cumQty: Qty(v.cum), leavesQty: Qty(v.qty - v.cum)))
                    } else {
                        deliver(ExecutionReport(kind: .replaceReject, instrument: o.instrument, clientID: o.clientID, side: o.side,
                                                reason: .unknownOrder))
                    }
                }
            }
        }

        for step in 0..<6_000 {
            h.advance(ms: Int64(1 + rng.below(50)))
            // The market: a random walk of the touch.
            if rng.chance(0.3) { mid += Int64(rng.below(5)) - 2 }
            h.market(bid: mid - 5, ask: mid + 5)
            serve(step)

            // The operator.
            if rng.chance(0.02) {
                switch rng.below(11) {
                case 0: h.command(.halt())
                case 1: h.command(.cancelAll())
                case 2: h.command(.flatten())
                case 3: h.command(.resume())
                case 4: h.command(.reduceOnly(rng.chance(0.5)))
                case 5: h.command(.resetBreakers())
                case 6: h.command(.set(.halfSpread, [Double.nan, -3, 1, 4, 1e12][rng.below(5)]))
                case 7: h.command(.set(.size, Double(1 + rng.below(20))))
                case 8:
                    // A key storm: one ring batch of steps requotes once. Three levels a side:
                    // at most a cancel and a new for each of six orders.
                    h.commandBatch((0..<(5 + rng.below(30))).map { _ in
                        rng.chance(0.5) ? .set(.halfSpread, Double(1 + rng.below(6)) / 2) : .set(.skew, Double(rng.below(9)) / 2 - 2)
                    })
                    let burst = h.pendingOrderCount
                    #expect(burst <= 12, "a key storm sent \(burst) orders at step \(step)")
                case 9:
                    // The venue cancels everything of ours on its own, as for a stalled engine.
                    for id in venue.keys {
                        if let o = venue.removeValue(forKey: id) {
                            deliver(ExecutionReport(kind: .cancelled, instrument: InstrumentID(0), clientID: id, side: o.side))
                        }
                    }
                default: h.command(.cancelSide(rng.chance(0.5) ? .buy : .sell))
                }
                serve(step)
            }

            // Resting orders the market reaches get filled, partly or wholly.
            for (id, o) in venue where !o.ioc && rng.chance(0.05) {
                let reached = o.side == .buy ? o.price.units >= mid - 6 : o.price.units <= mid + 6
                if reached { fill(id, Int64(1 + rng.below(Int(o.qty - o.cum))), o.price) }
            }
            // Reports arrive, sometimes out of order; each may prompt new orders.
            while !pending.isEmpty {
                if pending.count > 1, rng.chance(0.2) { pending.swapAt(0, pending.count - 1) }
                let r = pending.removeFirst()
                h.report(r)
                serve(step)
            }

            #expect(h.slot().position.qty == ledger, "position drifted from the fills at step \(step)")
            if step % 500 == 0 {
                h.timer()
                serve(step)
            }
        }

        // Halt, answer everything, and nothing may stay working.
        h.command(.halt())
        for _ in 0..<5 {
            for o in h.sent() where o.kind == .cancel {
                let known = venue.removeValue(forKey: o.clientID) != nil
                h.report(ExecutionReport(kind: known ? .cancelled : .cancelReject, instrument: o.instrument,
                                         clientID: o.clientID, side: o.side, reason: known ? .none : .unknownOrder))
            }
            for r in pending { h.report(r) }
            pending.removeAll()
            h.advance(ms: 300)
            h.timer()
        }
        #expect(h.open().isEmpty || h.open().allSatisfy { venue[$0.id] == nil && $0.state == .pendingCancel })
        #expect(h.slot().position.qty == ledger)
        #expect(h.slot().state == .halted)
    }
}
