import Foundation
import Testing
import DeskCore
@testable import DeskEngine

@Suite struct BreakerStateTests {
    @Test func warnsTripsLatchesAndResetsWithHysteresis() {
        var b = Breaker(kind: .loss)
        // warn 50, trip 100, hysteresis 10%: warning clears below 45.
        #expect(b.update(49.99, warn: 50, trip: 100, hysteresis: 0.1, now: 1) == nil)
        #expect(b.update(50, warn: 50, trip: 100, hysteresis: 0.1, now: 2) == .warn)
        #expect(b.update(45, warn: 50, trip: 100, hysteresis: 0.1, now: 3) == nil) // 45 is not below 45
        #expect(b.state == .warn)
        // Below 45 the warning waits out a second before it clears.
        #expect(b.update(44.99, warn: 50, trip: 100, hysteresis: 0.1, now: 4) == nil)
        #expect(b.update(44.99, warn: 50, trip: 100, hysteresis: 0.1, now: 4 + Breaker.clearDwell - 1) == nil)
        #expect(b.update(44.99, warn: 50, trip: 100, hysteresis: 0.1, now: 4 + Breaker.clearDwell) == .ok)
        #expect(b.update(100, warn: 50, trip: 100, hysteresis: 0.1, now: 5 + Breaker.clearDwell) == .tripped)
        #expect(b.tripValue == 100 && b.trippedAt == 5 + Breaker.clearDwell && b.trips == 1)
        // Latched: a good reading does not clear it.
        #expect(b.update(0, warn: 50, trip: 100, hysteresis: 0.1, now: 6) == nil)
        #expect(b.state == .tripped)
        #expect(b.value == 0)
        let cleared = b.reset(warn: 50, trip: 100)
        #expect(cleared && b.state == .ok)
    }

    @Test func aReadingWobblingAroundTheWarningLevelHoldsOneWarningForAnHour() {
        // Stale-data style: warn 3.5, the reading alternates 3.4 / 3.6 every 10 ms for a
        // simulated hour (360,000 readings). Without the dwell that is 360,000 transitions.
        var b = Breaker(kind: .staleData)
        var transitions = 0
        let ms = Time.nanosPerMilli
        for i in 0..<360_000 {
            let reading = i % 2 == 0 ? 3.6 : 3.4
            if b.update(reading, warn: 3.5, trip: 1_000, hysteresis: 0.01, now: Nanos(i) * 10 * ms) != nil { transitions += 1 }
        }
        #expect(transitions == 1 && b.state == .warn)
        // A slower wobble, 3 s above and 3 s below, clears and warns once per 6 s cycle:
        // 600 cycles in the hour, 1,200 transitions at most.
        var slow = Breaker(kind: .staleData)
        transitions = 0
        for i in 0..<360_000 {
            let reading = (i / 300) % 2 == 0 ? 3.6 : 3.4
            if slow.update(reading, warn: 3.5, trip: 1_000, hysteresis: 0.01, now: Nanos(i) * 10 * ms) != nil { transitions += 1 }
        }
        #expect(transitions <= 1_200 && transitions >= 1_000)
    }

    @Test func resetIsRefusedWhileTheConditionHolds() {
        var b = Breaker(kind: .loss)
        _ = b.update(120, warn: 50, trip: 100, hysteresis: 0.1, now: 1)
        let early = b.reset(warn: 50, trip: 100)
        #expect(!early && b.state == .tripped)
        _ = b.update(70, warn: 50, trip: 100, hysteresis: 0.1, now: 2)
        let later = b.reset(warn: 50, trip: 100)
        #expect(later && b.state == .warn) // 70 is past the warning level
    }

    @Test func positionTripsOnlyPastTheLimit() {
        var b = Breaker(kind: .position)
        #expect(b.update(1.0, warn: 0.9, trip: 1.0, hysteresis: 0.1, now: 1) == .warn)
        #expect(b.update(1.02, warn: 0.9, trip: 1.0, hysteresis: 0.1, now: 2) == .tripped)
    }
}

/// Each breaker tripped through the engine, its action taken, and the trip journaled with the
/// reading and the threshold.
@Suite struct EngineBreakerTests {
    /// Everything else set out of the way, so only the breaker under test can trip. (Lowering a
    /// breaker means setting its warning first: a trip level below the warning is refused.)
    static func quiet(_ p: inout ParameterSet) {
        p.set(.movePct, 100); p.set(.moveWarnPct, 100)
        p.set(.volLimit, 1e9); p.set(.volWarn, 1e9)
        p.set(.staleMs, 86_400_000); p.set(.staleWarnMs, 86_400_000)
        p.set(.maxPosition, 1_000)
        p.set(.positionBreach, 10); p.set(.positionWarn, 10)
    }

    func harness(_ configure: (inout ParameterSet) -> Void) -> EngineHarness {
        let h = EngineHarness { p in
            EngineBreakerTests.quiet(&p)
            configure(&p)
        }
        h.market(bid: 9_990, ask: 10_010)
        h.venueAcceptsAll()
        return h
    }

    /// Gives the engine a position through a fill it did not expect.
    func position(_ h: EngineHarness, _ qty: Int64, at price: Int64) {
        h.report(ExecutionReport(kind: .fill, instrument: InstrumentID(0), clientID: ClientOrderID(9_000_000 + UInt64(abs(qty))),
                                 side: qty > 0 ? .buy : .sell, price: Price(price), qty: Qty(abs(qty)), cumQty: Qty(abs(qty))))
    }

    /// Moves the market to a new bid/ask by replacing its orders.
    func move(_ h: EngineHarness, bid: Int64, ask: Int64) {
        h.market(bid: bid, ask: ask)
    }

    @Test func lossWarnsThenTripsAndCancelsAll() throws {
        let h = harness { p in p.set(.lossWarn, 50); p.set(.lossLimit, 100) }
        position(h, 10, at: 10_000)
        h.venueAcceptsAll()
        // Long 10 from 100.00; a market at 94.90/95.10 marks at 95.00: -5.00 x 10 = -50.00.
        move(h, bid: 9_490, ask: 9_510)
        #expect(h.slot().breaker(.loss).state == .warn)
        h.venueAcceptsAll()
        // 89.90/90.10: -100.00, the trip level.
        move(h, bid: 8_990, ask: 9_010)
        let b = h.slot().breaker(.loss)
        #expect(b.state == .tripped)
        let trip = try #require(h.breakerEvents(.loss).last?.breakerChange)
        #expect(trip.state == .tripped && trip.reading == 100 && trip.level == 100)
        #expect(trip.action == .cancelAll)
        let sent = h.venueAcceptsAll()
        #expect(!sent.isEmpty && sent.allSatisfy { $0.kind == .cancel })
        #expect(h.open().isEmpty)
        // Stays out while tripped, even if the market recovers.
        move(h, bid: 9_990, ask: 10_010)
        #expect(h.sent().allSatisfy { $0.kind == .cancel })
        #expect(h.slot().breaker(.loss).state == .tripped)
        #expect(h.events(.kill).contains { $0.source == .breaker && $0.killSwitch?.breaker == .loss })
    }

    /// The same loss read again is not judged again, but a lower limit must be: the next event
    /// trips it even though the market, and so the reading, did not move.
    @Test func aLimitLoweredBelowTheReadingTripsOnTheNextEvent() {
        let h = harness { p in p.set(.lossWarn, 50); p.set(.lossLimit, 100) }
        position(h, 10, at: 10_000)
        h.venueAcceptsAll()
        // Long 10 from 100.00, marked at 95.00: a loss of 50.00, a warning.
        move(h, bid: 9_490, ask: 9_510)
        #expect(h.slot().breaker(.loss).state == .warn)
        h.venueAcceptsAll()
        h.command(.set(.lossWarn, 30, InstrumentID(0)))
        h.command(.set(.lossLimit, 40, InstrumentID(0)))
        // A deep level: the touch, the mark and the reading stay where they were.
        h.rest(.buy, 9_000, 5)
        #expect(h.slot().breaker(.loss).state == .tripped)
        #expect(h.breakerEvents(.loss).last?.breakerChange?.reading == 50)
    }

    /// Our own bid, shown in the venue's feed inside the market's spread, is not the market: the
    /// position is marked at the market's own mid, so the P&L and the loss breakers are too.
    @Test func theMarkIsTheMarketWithoutOurOrders() throws {
        let h = EngineHarness { p in EngineBreakerTests.quiet(&p) }
        h.market(bid: 9_990, ask: 10_010)
        let quotes = h.sent()
        let bid = try #require(quotes.first { $0.kind == .new && $0.side == .buy })
        #expect(bid.price > Price(9_990), "the quote improves on the market's bid")
        // The venue acks it with its own id and shows it in the feed, as the paper exchange does.
        h.report(ExecutionReport(kind: .ack, instrument: InstrumentID(0), clientID: bid.clientID, side: .buy,
                                 price: bid.price, qty: bid.qty, leavesQty: bid.qty, venueOrderID: 777))
        h.engine.onMarket(.add(777, .buy, bid.price.units, bid.qty.lots), now: h.t)
        position(h, 10, at: 10_000)
        #expect(h.slot().book.bestBid == bid.price)
        // Long 10 from 100.00 against the market's 99.90 / 100.10: mid 100.00, nothing gained.
        #expect(h.slot().signals.bid == Price(9_990) && h.slot().signals.ask == Price(10_010))
        #expect(h.slot().position.unrealized == .zero)
    }

    /// A breaker that stops new orders does not abandon the resting ones: past max_order_age
    /// they are cancelled one timer tick later, and nothing new is placed.
    @Test func aStopNewTripStillRetiresAgedOrders() throws {
        let h = harness { p in p.set(.maxOrderAge, 30) }
        let resting = h.open()
        #expect(resting.count == 2)
        h.engine.restoreTrip(.messageRate, of: InstrumentID(0)) // its action is stop-new
        #expect(h.slot().trippedAction == .stopNew)
        h.advance(ms: 10_000)
        h.timer()
        #expect(h.sent().isEmpty, "younger than max_order_age: left to rest")
        h.advance(ms: 20_000) // 30 s since they were sent
        h.timer()
        let sent = h.venueAcceptsAll()
        #expect(Set(sent.map(\.clientID)) == Set(resting.map(\.id)))
        #expect(sent.allSatisfy { $0.kind == .cancel })
        #expect(h.open().isEmpty)
        h.advance(ms: 1_000)
        h.market(bid: 9_991, ask: 10_009)
        h.timer()
        #expect(h.sent().isEmpty, "nothing new while the breaker stops it")
    }

    @Test func drawdownFromPeak() {
        let h = harness { p in p.set(.drawdownWarn, 20); p.set(.drawdownLimit, 30); p.set(.lossLimit, 1e6); p.set(.lossWarn, 1e6) }
        position(h, 10, at: 10_000)
        // Mark at 105.00: +50.00, the peak. Then 102.00: +20.00, 30.00 below the peak.
        move(h, bid: 10_490, ask: 10_510)
        #expect(h.slot().position.peakNet == Money(currency: 50))
        move(h, bid: 10_190, ask: 10_210)
        #expect(h.slot().breaker(.drawdown).state == .tripped)
        #expect(h.slot().position.net == Money(currency: 20))
    }

    @Test func positionBreach() {
        let h = harness { p in p.set(.maxPosition, 50); p.set(.positionWarn, 0.9); p.set(.positionBreach, 1) }
        position(h, 45, at: 10_000)
        #expect(h.slot().breaker(.position).state == .warn)
        position(h, 5, at: 10_000)
        #expect(h.slot().breaker(.position).state == .warn) // exactly at the limit is allowed
        position(h, 1, at: 10_000)
        #expect(h.slot().breaker(.position).state == .tripped)
    }

    @Test func priceMoveWithinTheWindow() {
        let h = harness { p in p.set(.moveWarnPct, 1); p.set(.movePct, 2); p.set(.moveWindow, 10) }
        // Mid samples 100 ms apart: 100.00, then 101.00 (1%: warn), then 102.00 (2%: trip).
        h.advance(ms: 100); move(h, bid: 10_090, ask: 10_110)
        #expect(h.slot().breaker(.priceMove).state == .warn)
        h.advance(ms: 100); move(h, bid: 10_190, ask: 10_210)
        #expect(h.slot().breaker(.priceMove).state == .tripped)
        #expect(abs(h.slot().breaker(.priceMove).tripValue - 2) < 1e-9)
    }

    @Test func priceMoveOutsideTheWindowDoesNotCount() {
        let h = harness { p in p.set(.moveWarnPct, 1.5); p.set(.movePct, 2); p.set(.moveWindow, 1) }
        // 1% a second: never 2% within one second.
        for step in 1...4 {
            h.advance(ms: 1_000)
            let mid = 10_000 + Int64(step) * 100
            move(h, bid: mid - 10, ask: mid + 10)
        }
        #expect(h.slot().breaker(.priceMove).state == .ok)
    }

    @Test func volatilityWidensTheQuote() {
        let h = harness { p in p.set(.volWarn, 50); p.set(.volLimit, 100); p.set(.widenFactor, 3); p.set(.volMult, 0) }
        // Mid returns of +-20 units every 100 ms: each observation is 20^2 / 0.1 = 4,000 per
        // second, and the first sets the EWMA, so sigma = sqrt(4,000) = 63.2: past the warning.
        var mid: Int64 = 10_000
        for i in 1...3 {
            h.advance(ms: 100)
            mid += i % 2 == 0 ? -20 : 20
            move(h, bid: mid - 10, ask: mid + 10)
        }
        #expect(abs(h.slot().signals.sigma - 4_000.0.squareRoot()) < 1e-9)
        #expect(h.slot().breaker(.volatility).state == .warn)
        // Ten returns of +-200 (400,000 per second each). With a 30 s half-life each 100 ms sample
        // weighs 1 - 2^(-1/300); after ten, 1 - 2^(-1/30) = 0.022841 of the gap is closed:
        // 4,000 + 396,000 x 0.022841 = 13,045, sigma = 114.2 > 100: tripped.
        for i in 1...10 {
            h.advance(ms: 100)
            mid += i % 2 == 0 ? -200 : 200
            move(h, bid: mid - 10, ask: mid + 10)
        }
        #expect(abs(h.slot().signals.sigma - (4_000 + 396_000 * (1 - pow(2, -1.0 / 30))).squareRoot()) < 1e-6)
        #expect(h.slot().breaker(.volatility).state == .tripped)
        // Widen: half-spread 2 ticks x 3 = 6 ticks each side of the microprice.
        let q = h.slot().quote
        #expect(q.breakdown.binding == .breakerWiden)
        #expect(q.asks[0].price - q.bids[0].price == 12)
        #expect(!h.venueAcceptsAll().isEmpty) // widen keeps quoting
    }

    @Test func aStaleWarningNearTheFeedsOwnGapDoesNotFloodTheJournal() {
        // The operator's repro: stale_warn_ms 3.5 against a feed that updates every 4 ms, the
        // timer every millisecond, for a simulated minute. Each gap reaches 3.5 ms and each
        // update resets it: without time hysteresis, a warn and a clear every 4 ms (30,000 in
        // the minute). The warning now holds: it never spends a second below its clear level.
        let h = harness { p in p.set(.staleWarnMs, 3.5); p.set(.staleMs, 86_400_000) }
        var level: Int64 = 50
        for ms in 1...60_000 {
            h.advance(ms: 1)
            h.timer()
            if ms % 4 == 0 {
                level = level == 50 ? 60 : 50
                h.rest(.buy, 9_980, level)
            }
            _ = h.sent()
        }
        let stale = h.breakerEvents(.staleData)
        #expect(stale.count == 1)
        #expect(h.slot().breaker(.staleData).state == .warn)
    }

    @Test func staleDataOnTimerAndOnVenueHalt() {
        let h = harness { p in p.set(.staleWarnMs, 200); p.set(.staleMs, 500) }
        h.advance(ms: 199); h.timer()
        #expect(h.slot().breaker(.staleData).state == .ok)
        h.advance(ms: 1); h.timer()
        #expect(h.slot().breaker(.staleData).state == .warn)
        h.advance(ms: 300); h.timer()
        #expect(h.slot().breaker(.staleData).state == .tripped)
        #expect(h.sent().allSatisfy { $0.kind == .cancel })

        let g = harness { p in p.set(.staleWarnMs, 200); p.set(.staleMs, 500) }
        g.status(.gap)
        #expect(g.slot().breaker(.staleData).state == .tripped)
        #expect(g.slot().breaker(.staleData).tripValue == .infinity)
    }

    @Test func crossedBookCountsAsStale() {
        let h = harness { p in p.set(.staleWarnMs, 200); p.set(.staleMs, 500) }
        h.rest(.buy, 10_020, 5) // bid above the ask: crossed
        #expect(h.slot().book.isCrossed)
        // Market events keep coming, but the book stays crossed for 500 ms.
        for _ in 0..<5 { h.advance(ms: 100); h.rest(.sell, 10_050, 1) }
        #expect(h.slot().breaker(.staleData).state == .tripped)
    }

    @Test func rejectRateStopsNewOrders() {
        // Orders of 5 against a max order of 3: every quote attempt is refused by risk.
        let h = EngineHarness { p in
            EngineBreakerTests.quiet(&p)
            p.set(.maxOrderQty, 3); p.set(.rejectWarn, 2); p.set(.rejectLimit, 4); p.set(.rejectWindow, 10)
        }
        h.market(bid: 9_990, ask: 10_010)
        for _ in 0..<3 { h.advance(ms: 10); h.rest(.buy, 9_980, 1) }
        #expect(h.slot().breaker(.rejectRate).state == .tripped)
        let before = h.engine.risk.rejectCount(.maxOrderQty)
        #expect(before == 4)
        h.advance(ms: 10); h.rest(.buy, 9_970, 1)
        #expect(h.engine.risk.rejectCount(.maxOrderQty) == before) // stopped: no more attempts
        #expect(h.sent().isEmpty)
    }

    @Test func messageRate() {
        let h = EngineHarness { p in EngineBreakerTests.quiet(&p); p.set(.msgWarn, 2); p.set(.msgLimit, 4) }
        h.market(bid: 9_990, ask: 10_010)
        h.venueAcceptsAll()
        #expect(h.slot().breaker(.messageRate).state == .warn) // two orders
        // The market moves 10 ticks: both quotes are replaced within the second: 4 messages.
        move(h, bid: 10_000, ask: 10_020)
        #expect(h.slot().breaker(.messageRate).state == .tripped)
        #expect(h.slot().action(of: .messageRate) == .stopNew)
    }

    @Test func fillBurst() {
        let h = harness { p in p.set(.fillBurstWarn, 2); p.set(.fillBurst, 3); p.set(.fillWindow, 1) }
        let bid = h.open().first { $0.side == .buy }!
        h.fill(bid.id, qty: 1, price: 9_998)
        h.advance(ms: 400); h.fill(bid.id, qty: 1, price: 9_998)
        #expect(h.slot().breaker(.fillBurst).state == .warn)
        h.advance(ms: 400); h.fill(bid.id, qty: 1, price: 9_998)
        #expect(h.slot().breaker(.fillBurst).state == .tripped)
    }

    @Test func theTimerAloneLetsAFillBurstFallAsItsFillsLeaveTheWindow() {
        let h = harness { p in p.set(.fillBurstWarn, 2); p.set(.fillBurst, 5); p.set(.fillWindow, 1) }
        let bid = h.open().first { $0.side == .buy }!
        h.fill(bid.id, qty: 1, price: 9_998)
        h.fill(bid.id, qty: 1, price: 9_998)
        #expect(h.slot().breaker(.fillBurst).state == .warn)
        // Only the timer from here. Both fills stay in the 1 s window until 1 s after them...
        for _ in 0..<9 { h.advance(ms: 100); h.timer() }
        #expect(h.slot().breaker(.fillBurst).value == 2)
        // ...and then both leave it: the reading falls to 0 though nothing but time happened.
        h.advance(ms: 100); h.timer()
        #expect(h.slot().breaker(.fillBurst).value == 0)
        #expect(h.slot().breaker(.fillBurst).state == .warn) // the warning waits out its dwell
        for _ in 0..<10 { h.advance(ms: 100); h.timer() }
        #expect(h.slot().breaker(.fillBurst).state == .ok)
    }

    @Test func fillsSpreadOutDoNotBurst() {
        let h = harness { p in p.set(.fillBurstWarn, 3); p.set(.fillBurst, 3); p.set(.fillWindow, 1) }
        let bid = h.open().first { $0.side == .buy }!
        for _ in 0..<4 { h.fill(bid.id, qty: 1, price: 9_998); h.advance(ms: 501) }
        #expect(h.slot().breaker(.fillBurst).state == .ok)
    }

    @Test func totalLossHaltsEveryInstrument() {
        var global = ParameterSet()
        global.set(.totalLossWarn, 50) // warn first: a trip below the warning would be refused
        global.set(.totalLossLimit, 100)
        let other = Instrument(symbol: "OTHER", priceDecimals: 2, tickSize: 1)
        let h = EngineHarness(instruments: [EngineHarness.instrument, other], configure: { EngineBreakerTests.quiet(&$0) },
                              global: global)
        h.market(bid: 9_990, ask: 10_010, instrument: 0)
        h.market(bid: 9_990, ask: 10_010, instrument: 1)
        h.venueAcceptsAll()
        for i in 0..<2 {
            h.report(ExecutionReport(kind: .fill, instrument: InstrumentID(i), clientID: ClientOrderID(7_000_000 + UInt64(i)),
                                     side: .buy, price: Price(10_000), qty: Qty(10), cumQty: Qty(10)))
        }
        // Each instrument loses 60.00 (10 lots x 6.00): 120.00 in total, each below its own 5,000.
        h.market(bid: 9_390, ask: 9_410, instrument: 0)
        h.market(bid: 9_390, ask: 9_410, instrument: 1)
        #expect(h.engine.globalBreaker(.totalLoss)?.state == .tripped)
        #expect(h.slot(0).breaker(.loss).state == .ok)
        #expect(h.slot(0).state == .halted && h.slot(1).state == .halted)
    }

    @Test func externalTripHaltsAllAndResetsByOperator() {
        let h = harness { _ in }
        h.command(.trip(.engineStall, source: .watchdog))
        #expect(h.engine.globalBreaker(.engineStall)?.state == .tripped)
        #expect(h.slot().state == .halted)
        #expect(h.sent().allSatisfy { $0.kind == .cancel })
        let trip = h.breakerEvents(.engineStall)
        #expect(trip.count == 1 && trip[0].source == .watchdog)
        h.venueAcceptsAll()
        h.command(.resume())
        #expect(h.slot().state == .halted)
        h.command(.resetBreakers())
        h.command(.resume())
        #expect(h.slot().state == .active)
    }
}
