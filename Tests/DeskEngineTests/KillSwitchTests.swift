import Testing
import DeskCore
@testable import DeskEngine

/// Halt, cancel-all, reduce-only, flatten and resume, driven through the engine as an operator
/// would, with the test playing the venue.
@Suite struct KillSwitchTests {
    /// A quoting engine: market 99.90 / 100.10, our quotes acked.
    func quoting(configure: (inout ParameterSet) -> Void = { _ in }) -> EngineHarness {
        let h = EngineHarness(configure: configure)
        h.market(bid: 9_990, ask: 10_010)
        h.venueAcceptsAll()
        return h
    }

    @Test func quotesAroundTheMidOnBothSides() {
        let h = quoting()
        // Linear, equal sizes: microprice = mid = 100.00; half-spread 2 ticks, sigma 0 -> 99.98 / 100.02.
        let open = h.open().sorted { $0.side.rawValue < $1.side.rawValue }
        #expect(open.count == 2)
        #expect(open[0].side == .buy && open[0].price == Price(9_998) && open[0].leaves == Qty(5))
        #expect(open[1].side == .sell && open[1].price == Price(10_002) && open[1].leaves == Qty(5))
        #expect(open.allSatisfy { $0.state == .live })
    }

    @Test func haltCancelsEverythingAndSendsNothingNew() {
        let h = quoting()
        h.command(.halt())
        let cancels = h.sent()
        #expect(cancels.count == 2 && cancels.allSatisfy { $0.kind == .cancel })
        #expect(h.slot().state == .halted)
        for c in cancels { h.report(ExecutionReport(kind: .cancelled, instrument: c.instrument, clientID: c.clientID, side: c.side)) }
        #expect(h.open().isEmpty)
        // The market moves, time passes: still nothing.
        h.market(bid: 9_980, ask: 10_000)
        h.advance(ms: 5_000)
        h.timer()
        #expect(h.sent().isEmpty)
        #expect(h.open().isEmpty)
        // The operator's halt is journaled with its source; five quiet seconds also tripped the
        // stale-data breaker, whose own kill is journaled as the breaker's.
        let kills = h.events(.kill)
        #expect(kills.first?.killSwitch?.command == .halt && kills.first?.source == .key)
        #expect(kills.dropFirst().allSatisfy { $0.source == .breaker && $0.killSwitch?.breaker == .staleData })
    }

    @Test func haltRetriesARefusedCancel() {
        let h = quoting()
        h.command(.halt())
        let cancels = h.sent()
        // The venue refuses one cancel (say, it was lost): the order is working again.
        h.report(ExecutionReport(kind: .cancelReject, instrument: cancels[0].instrument, clientID: cancels[0].clientID,
                                 side: cancels[0].side, reason: .unknownOrder))
        h.report(ExecutionReport(kind: .cancelled, instrument: cancels[1].instrument, clientID: cancels[1].clientID, side: cancels[1].side))
        // Immediately after, the engine re-sends because the order is no longer pending cancel.
        let retry = h.sent()
        #expect(retry.count == 1 && retry[0].kind == .cancel && retry[0].clientID == cancels[0].clientID)
        // A cancel left unanswered is repeated after the retry interval, not before.
        h.advance(ms: 100)
        h.timer()
        #expect(h.sent().isEmpty)
        h.advance(ms: 200)
        h.timer()
        #expect(h.sent().map(\.clientID) == [cancels[0].clientID])
    }

    @Test func cancelAllKeepsQuotingOnTheNextEvent() {
        let h = quoting()
        h.command(.cancelAll())
        let first = h.venueAcceptsAll()
        #expect(first.filter { $0.kind == .cancel }.count == 2)
        #expect(h.slot().state == .active)
        // Cancel confirmations already prompted a fresh quote.
        #expect(first.filter { $0.kind == .new }.count == 2)
        #expect(h.open().count == 2)
    }

    @Test func reduceOnlyQuotesOnlyTheReducingSide() {
        let h = quoting()
        let bid = h.open().first { $0.side == .buy }!
        h.fill(bid.id, qty: 5, price: 9_998)
        h.venueAcceptsAll()
        #expect(h.slot().position.qty == 5)
        h.command(.reduceOnly(true))
        h.venueAcceptsAll()
        #expect(h.slot().state == .reducing)
        let open = h.open()
        #expect(open.allSatisfy { $0.side == .sell })
        #expect(open.map(\.leaves.lots).reduce(0, +) <= 5)
        h.command(.reduceOnly(false))
        h.venueAcceptsAll()
        #expect(h.slot().state == .active)
        #expect(h.open().contains { $0.side == .buy })
    }

    @Test func flattenTradesToZeroWithinCollarAndQtyThenHalts() {
        let h = quoting { p in
            p.set(.maxOrderQty, 20)
            p.set(.maxPosition, 100)
            p.set(.collar, 30)
        }
        // Get long 35 through an unknown fill (e.g. a fill from before a restart).
        h.report(ExecutionReport(kind: .fill, instrument: InstrumentID(0), clientID: ClientOrderID(999_999), side: .buy,
                                 price: Price(10_000), qty: Qty(35), cumQty: Qty(35)))
        #expect(h.slot().position.qty == 35)
        h.venueAcceptsAll()
        h.command(.flatten())
        // First the quotes go; no flatten order while they may still rest.
        let first = h.sent()
        #expect(first.allSatisfy { $0.kind == .cancel })
        #expect(h.slot().state == .flattening)
        for c in first { h.report(ExecutionReport(kind: .cancelled, instrument: c.instrument, clientID: c.clientID, side: c.side)) }
        var flattenOrders: [OrderRequest] = []
        for _ in 0..<5 where h.slot().position.qty != 0 {
            let batch = h.sent()
            #expect(batch.count == 1)
            guard let o = batch.first else { break }
            flattenOrders.append(o)
            // Each is IOC, reducing, no larger than max_order_qty, priced within the collar of the mid.
            #expect(o.kind == .new && o.timeInForce == .ioc && o.origin == .flatten && o.side == .sell)
            #expect(o.qty.lots <= 20)
            #expect(abs(o.price.asDouble - h.slot().signals.mid) <= 30)
            h.report(ExecutionReport(kind: .ack, instrument: o.instrument, clientID: o.clientID, side: o.side))
            h.fill(o.clientID, qty: o.qty.lots, price: 9_990, liquidity: .taker)
        }
        #expect(flattenOrders.map(\.qty.lots) == [20, 15])
        // Mid 100.00 minus 30 ticks = 99.70: the collar's edge.
        #expect(flattenOrders.allSatisfy { $0.price == Price(9_970) })
        #expect(h.slot().position.qty == 0)
        #expect(h.slot().state == .halted)
        #expect(h.events(.flattened).count == 1)
        // Halted after flatten: nothing new.
        h.market(bid: 9_991, ask: 10_009)
        #expect(h.sent().isEmpty)
    }

    @Test func flattenIsAllowedWhileHalted() {
        let h = quoting()
        h.report(ExecutionReport(kind: .fill, instrument: InstrumentID(0), clientID: ClientOrderID(888_888), side: .sell,
                                 price: Price(10_000), qty: Qty(4), cumQty: Qty(4)))
        h.command(.halt())
        h.venueAcceptsAll()
        #expect(h.open().isEmpty && h.slot().state == .halted)
        h.command(.flatten())
        let o = h.sent()
        #expect(o.count == 1 && o[0].side == .buy && o[0].qty == Qty(4) && o[0].timeInForce == .ioc)
        h.fill(o[0].clientID, qty: 4, price: 10_010, liquidity: .taker)
        #expect(h.slot().position.qty == 0 && h.slot().state == .halted)
    }

    /// A flatten that cannot send (max_order_qty 0) does not wait silently: the quote's
    /// binding says why, and sending starts once the limit allows it.
    @Test func aBlockedFlattenSaysWhy() {
        let h = quoting { p in p.set(.maxOrderQty, 0) }
        h.report(ExecutionReport(kind: .fill, instrument: InstrumentID(0), clientID: ClientOrderID(777_777), side: .buy,
                                 price: Price(10_000), qty: Qty(3), cumQty: Qty(3)))
        h.command(.halt())
        h.venueAcceptsAll()
        h.command(.flatten())
        #expect(h.sent().isEmpty)
        #expect(h.slot().quote.breakdown.binding == .flattenBlocked)
        h.command(.set(.maxOrderQty, 5, InstrumentID(0)))
        let o = h.sent()
        #expect(o.count == 1 && o[0].qty == Qty(3) && o[0].side == .sell)
        #expect(h.slot().quote.breakdown.binding == .flattening)
    }

    @Test func flattenWhenFlatHaltsAtOnce() {
        let h = quoting()
        h.command(.flatten())
        h.venueAcceptsAll()
        #expect(h.slot().state == .halted)
        #expect(h.open().isEmpty)
    }

    @Test func refusalsSayWhyInTheOperatorsTerms() {
        let h = quoting()
        h.command(.resetBreakers())
        #expect(h.events(.commandRefused).last?.commandRefusal == .nothingTripped)
        #expect(CommandRefusal.nothingTripped.text == "no breaker is tripped")
        h.command(.halt())
        h.venueAcceptsAll()
        h.command(.reduceOnly(true))
        #expect(h.events(.commandRefused).last?.commandRefusal == .notTrading)
    }

    @Test func resumeIsManualAndRefusedWhileABreakerIsTripped() {
        let h = quoting()
        h.command(.halt())
        h.venueAcceptsAll()
        h.status(.halted) // the venue halts: the stale-data breaker trips
        #expect(h.slot().breaker(.staleData).state == .tripped)
        h.command(.resume())
        #expect(h.slot().state == .halted)
        let refused = h.events(.commandRefused)
        #expect(refused.count == 1 && refused[0].commandRefusal == .breakerTripped)
        // Reset is refused while the venue is still halted...
        h.command(.resetBreakers())
        #expect(h.slot().breaker(.staleData).state == .tripped)
        #expect(h.events(.commandRefused).last?.commandRefusal == .conditionPersists)
        // ...and accepted once trading resumes; then resume works and quoting restarts.
        h.status(.trading)
        h.command(.resetBreakers())
        #expect(h.slot().breaker(.staleData).state == .ok)
        h.command(.resume())
        #expect(h.slot().state == .active)
        #expect(h.venueAcceptsAll().contains { $0.kind == .new })
    }

    @Test func killsActOnOneInstrumentOrAll() {
        let b = Instrument(symbol: "OTHER", priceDecimals: 2, tickSize: 1)
        let h = EngineHarness(instruments: [EngineHarness.instrument, b])
        h.market(bid: 9_990, ask: 10_010, instrument: 0)
        h.market(bid: 4_990, ask: 5_010, instrument: 1)
        h.venueAcceptsAll()
        #expect(h.open(0).count == 2 && h.open(1).count == 2)
        h.command(.halt(InstrumentID(1)))
        h.venueAcceptsAll()
        #expect(h.slot(0).state == .active && h.open(0).count == 2)
        #expect(h.slot(1).state == .halted && h.open(1).isEmpty)
        h.command(.halt())
        h.venueAcceptsAll()
        #expect(h.slot(0).state == .halted && h.open(0).isEmpty)
    }
}
