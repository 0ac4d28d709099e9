import Foundation
import Testing
import DeskCore
@testable import DeskEngine

/// How the engine keeps its working orders in line with the quote, and how live parameter
/// changes reach the quote.
@Suite struct EngineQuotingTests {
    func quoting(_ configure: @escaping (inout ParameterSet) -> Void = { _ in }) -> EngineHarness {
        let h = EngineHarness { p in
            p.set(.staleMs, 86_400_000)
            configure(&p)
        }
        h.market(bid: 9_990, ask: 10_010)
        h.venueAcceptsAll()
        return h
    }

    @Test func aPostOnlyRefusedAsCrossingWaitsForTheMarketToMove() {
        // The venue has seen a move we have not: it refuses our new bid as crossing. The quote
        // is the same on the report and on the timer, so sending it again would only be
        // refused again; it waits for our market to move.
        let h = EngineHarness { $0.set(.staleMs, 86_400_000) }
        h.market(bid: 9_990, ask: 10_010)
        let first = h.sent()
        let bid = first.first { $0.side == .buy && $0.kind == .new }!
        #expect(first.contains { $0.side == .sell && $0.kind == .new })
        h.report(ExecutionReport(kind: .reject, instrument: bid.instrument, clientID: bid.clientID, side: .buy,
                                 reason: .wouldCross))
        #expect(!h.sent().contains { $0.side == .buy })
        h.advance(ms: 50)
        h.timer()
        #expect(!h.sent().contains { $0.side == .buy })
        // Our market moves: the bid goes out again.
        h.rest(.buy, 9_980, 10)
        #expect(h.sent().contains { $0.side == .buy && $0.kind == .new })
    }

    /// A size that pre-trade risk would refuse on every order is refused as a parameter change,
    /// journaled, instead of a storm of risk rejects. At a mid of 100.00, 10 lots are 1000.00.
    @Test func aSizeEveryOrderWouldBeRefusedAtIsRefusedAsAChange() {
        let h = quoting { p in p.set(.maxOrderQty, 20); p.set(.maxOrderNotional, 1_500); p.set(.size, 5) }
        h.command(.set(.size, 21, InstrumentID(0)))
        h.command(.set(.maxOrderQty, 4, InstrumentID(0)))
        h.command(.set(.size, 15, InstrumentID(0)))  // 1500.00: at the limit, allowed
        h.command(.set(.size, 16, InstrumentID(0)))  // 1600.00
        h.command(.set(.maxOrderNotional, 1_499, InstrumentID(0)))
        let refused = h.events(.paramRefused).compactMap(\.paramRefusal)
        #expect(refused.map(\.param) == [.size, .maxOrderQty, .size, .maxOrderNotional])
        #expect(refused.map(\.why) == [.sizeAboveMaxOrderQty, .sizeAboveMaxOrderQty, .notionalAboveMax, .notionalAboveMax])
        #expect(h.slot().params[.size] == 15)
        #expect(h.events(.paramRefused).first?.text([EngineHarness.instrument])
                == "REFUSED TEST size = 21 refused: size would be above max_order_qty: risk would refuse every order")
    }

    @Test func ordersWithinTheRefreshToleranceKeepTheirPlace() {
        let h = quoting { $0.set(.refreshTolerance, 1) }
        let before = Set(h.open().map(\.id))
        // Size added behind the touch on both sides leaves the microprice where it was.
        h.rest(.buy, 9_980, 50)
        h.rest(.sell, 10_020, 50)
        #expect(h.sent().isEmpty)
        #expect(Set(h.open().map(\.id)) == before)
    }

    @Test func ordersBeyondTheToleranceAreReplaced() {
        let h = quoting { $0.set(.refreshTolerance, 1) }
        let bid = h.open().first { $0.side == .buy }!
        // Bid size 300 against ask 100: microprice (9990*100 + 10010*300)/400 = 10005, so the
        // quotes move up 5 units: beyond the 1-tick tolerance.
        h.rest(.buy, 9_990, 200)
        let sent = h.sent()
        let replace = sent.first { $0.clientID == bid.id }
        #expect(replace?.kind == .replace)
        #expect(replace?.price == Price(10_003)) // 100.05 - 0.02
        #expect(sent.allSatisfy { $0.kind == .replace })
        #expect(h.engine.risk.rejectCount(.selfTrade) == 0)
    }

    @Test func bothSidesFollowAShiftBeyondTolerance() {
        let h = quoting { $0.set(.refreshTolerance, 3) }
        // Microprice 100.05: targets 100.03 / 100.07, our 99.98 bid is 5 ticks away: replaced;
        // the 100.02 ask is 5 ticks from 100.07: replaced too.
        h.rest(.buy, 9_990, 200)
        #expect(h.sent().count == 2)
    }

    @Test func oldOrdersAreRefreshed() {
        let h = quoting { $0.set(.maxOrderAge, 2) }
        let ids = Set(h.open().map(\.id))
        h.advance(ms: 1_999); h.timer()
        #expect(h.sent().isEmpty)
        h.advance(ms: 1); h.timer()
        let sent = h.venueAcceptsAll()
        #expect(Set(sent.filter { $0.kind == .cancel }.map(\.clientID)) == ids)
        #expect(h.open().count == 2 && Set(h.open().map(\.id)).isDisjoint(with: ids))
    }

    @Test func aSideAtItsLimitIsNotQuoted() {
        let h = quoting { $0.set(.maxPosition, 10) }
        let bid = h.open().first { $0.side == .buy }!
        h.fill(bid.id, qty: 5, price: 9_998)
        h.venueAcceptsAll()
        // Long 5 of 10: the bid is trimmed to the 5 lots of room left.
        #expect(h.open().first { $0.side == .buy }?.leaves == Qty(5))
        let next = h.open().first { $0.side == .buy }!
        h.fill(next.id, qty: 5, price: 9_996)
        h.venueAcceptsAll()
        #expect(h.slot().position.qty == 10)
        #expect(!h.open().contains { $0.side == .buy })
        #expect(h.open().contains { $0.side == .sell })
        #expect(h.slot().quote.breakdown.binding == .maxPositionLong)
    }

    @Test func setParamChangesTheQuoteLive() {
        let h = quoting()
        h.command(.set(.halfSpread, 5))
        h.venueAcceptsAll()
        let prices = h.open().sorted { $0.side.rawValue < $1.side.rawValue }.map(\.price)
        #expect(prices == [Price(9_995), Price(10_005)])
        let changed = h.events(.paramChanged)
        #expect(changed.count == 1 && changed[0].paramChange == ParamChange(.halfSpread, old: 2, new: 5)
                && changed[0].source == .commandLine)
    }

    @Test func badValuesAreRefusedAndTheOldValueStays() throws {
        let h = quoting()
        for bad in [Double.nan, .infinity, -1, 2_000_000] { h.command(.set(.halfSpread, bad)) }
        #expect(h.slot().params[.halfSpread] == 2)
        let refused = h.events(.paramRefused).compactMap(\.paramRefusal)
        #expect(refused.map(\.why) == [.notFinite, .notFinite, .negative, .outOfRange])
        let last = try #require(refused.last)
        let text = h.slot().params.explain(last.why, last.param, last.value)
        #expect(text == "half_spread = 2000000 refused: out of range (allowed 0.5 ... 1000000 ticks)")
        #expect(h.sent().isEmpty)
    }

    @Test func aSetToAllInstrumentsIsAllOrNothing() {
        let other = Instrument(symbol: "OTHER", priceDecimals: 2, tickSize: 1)
        let h = EngineHarness(instruments: [EngineHarness.instrument, other])
        // Make the second instrument's warning level higher than the first's.
        h.command(.set(.lossLimit, 9_000, InstrumentID(1)))
        h.command(.set(.lossWarn, 8_000, InstrumentID(1)))
        // 4,500 is a fine loss limit for instrument 0 (warn 4,000) but not for 1 (warn 8,000).
        h.command(.set(.lossLimit, 4_500))
        #expect(h.slot(0).params[.lossLimit] == 5_000)
        #expect(h.slot(1).params[.lossLimit] == 9_000)
        #expect(h.events(.paramRefused).last?.paramRefusal?.why == .warnAboveTrip)
    }

    @Test func strategySwitchesLive() {
        let h = quoting { p in p.set(.gamma, 0.1); p.set(.intensityK, 0.5) }
        h.command(.set(.strategy, Double(StrategyKind.avellanedaStoikov.rawValue)))
        h.venueAcceptsAll()
        // sigma = 0 so far: spread = (2 / 0.1) ln(1 + 0.1 / 0.5) = 20 ln 1.2 = 3.646 units;
        // r = mid = 10,000: bid 9998.18 -> 9998, ask 10001.82 -> 10002.
        let b = h.slot().quote.breakdown
        #expect(abs(b.halfSpread - 10 * log(1.2)) < 1e-9)
        let prices = h.open().sorted { $0.side.rawValue < $1.side.rawValue }.map(\.price)
        #expect(prices == [Price(9_998), Price(10_002)])
    }

    /// With `max_quote_time` 2 s, calm and flat, resting quotes stand for 2 s though the model
    /// moves: the same new best ask that moves an unheld quote at once waits for the timer.
    @Test func heldQuotesWaitForTheirRefreshTime() {
        let control = quoting()
        control.advance(ms: 500)
        control.rest(.sell, 10_006, 5)
        #expect(!control.sent().isEmpty, "without a hold the quote follows the market at once")
        let h = quoting { p in p.set(.maxQuoteTime, 2) }
        let resting = h.open().map(\.price).sorted { $0 < $1 }
        #expect(resting.count == 2 && h.slot().quote.breakdown.refreshInterval == 2)
        h.advance(ms: 500)
        h.rest(.sell, 10_006, 5)
        #expect(h.sent().isEmpty && h.open().map(\.price).sorted { $0 < $1 } == resting)
        h.advance(ms: 1_000)
        h.timer()
        #expect(h.sent().isEmpty, "1.5 s after the sync: still held")
        h.advance(ms: 600)
        h.timer()
        #expect(!h.sent().isEmpty, "2.1 s: refreshed")
    }

    /// A fill, a parameter change, or the market reaching one of our orders ends a hold at once.
    @Test func aHoldEndsAtOnceWhenMoreThanTheMarketChanged() {
        func held() -> EngineHarness {
            let h = quoting { p in p.set(.maxQuoteTime, 60) }
            h.advance(ms: 100)
            return h
        }
        let filled = held()
        let bid = filled.open().first { $0.side == .buy }!
        filled.fill(bid.id, qty: 5, price: bid.price.units)
        #expect(!filled.sent().isEmpty, "filled: requoted at once")
        let set = held()
        set.command(.set(.halfSpread, 4))
        #expect(!set.sent().isEmpty, "a parameter: requoted at once")
        let reached = held()
        let ourBid = reached.open().first { $0.side == .buy }!.price.units
        reached.rest(.sell, ourBid, 5) // the market's ask comes down to our bid
        #expect(!reached.sent().isEmpty, "the market at our bid: requoted at once")
        let calm = held()
        calm.rest(.sell, 10_006, 5)
        #expect(calm.sent().isEmpty, "only the market moved: held")
    }

    /// A learned policy whose only valued action is half-spread 2, skew 0 quotes 2 ticks either
    /// side of the 10,000 mid: 9,998 and 10,002. Without a policy nothing is quoted.
    @Test func theLearnedPolicyQuotesItsBestAction() {
        let h = quoting()
        h.command(.set(.strategy, Double(StrategyKind.learned.rawValue)))
        h.venueAcceptsAll()
        #expect(h.open().isEmpty, "no policy: no quote")
        var policy = LearnedPolicy()
        let best = LearnedPolicy.standardActions.firstIndex { $0.halfSpread == 2 && $0.skew == 0 && !$0.flatten }!
        for j in 0..<(policy.weights.count / policy.actions.count) { policy.weights[best * policy.weights.count / policy.actions.count + j] = 1 }
        h.engine.use(policy: PolicyHolder(policy))
        h.command(.set(.halfSpread, 3)) // any change requotes
        h.venueAcceptsAll()
        let prices = h.open().map(\.price.units).sorted()
        #expect(prices == [9_998, 10_002], "\(prices)")
        #expect(h.slot().quote.breakdown.policyAction == best)
    }

    /// The bounded GLFT table is built when the strategy or one of its parameters changes, not
    /// per event. With sigma 0 it is the base distance everywhere: 10 ln 1.2 = 1.82 units each
    /// side of 10,000, so the orders rest at 9,998 and 10,002.
    @Test func theBoundedGLFTTableIsBuiltOnParameterChangesOnly() throws {
        let h = quoting { p in p.set(.gamma, 0.1); p.set(.intensityK, 0.5); p.set(.sigma, 0) }
        #expect(h.slot().models.glftTable == nil)
        h.command(.set(.strategy, Double(StrategyKind.glftBounded.rawValue)))
        h.venueAcceptsAll()
        let built = try #require(h.slot().models.glftTable?.inputs)
        #expect(built == GLFTBounded.Inputs(gamma: 0.1, sigma: 0, a: 5, k: 0.5, bound: 10, horizon: 60, finite: false))
        let prices = h.open().sorted { $0.side.rawValue < $1.side.rawValue }.map(\.price)
        #expect(prices == [Price(9_998), Price(10_002)])
        h.rest(.buy, 9_995, 3)
        h.rest(.sell, 10_005, 3)
        #expect(h.slot().models.glftTable?.inputs == built, "market events read the table")
        h.command(.set(.gamma, 0.2))
        #expect(h.slot().models.glftTable?.inputs.gamma == 0.2)
    }

    @Test func everyOrderSentIsJournaledAndPassedRisk() {
        let h = quoting()
        h.rest(.buy, 9_990, 300)
        h.venueAcceptsAll()
        let sentEvents = h.events(.orderSent)
        #expect(sentEvents.count == h.engine.oms.counters.sent + sentEvents.filter { $0.orderMessage?.kind != .new }.count)
    }

    @Test func grossExposureLimitsTheSecondInstrument() {
        var global = ParameterSet()
        // Each lot is worth 100.00. Instrument 0 quotes 5 a side (exposure 500.00); a gross
        // limit of 900.00 leaves instrument 1 room for 400.00: its 5-lot quotes are refused.
        global.set(.maxGrossExposure, 900)
        let other = Instrument(symbol: "OTHER", priceDecimals: 2, tickSize: 1)
        let h = EngineHarness(instruments: [EngineHarness.instrument, other], configure: { $0.set(.staleMs, 86_400_000) },
                              global: global)
        h.market(bid: 9_990, ask: 10_010, instrument: 0)
        h.venueAcceptsAll()
        #expect(h.open(0).count == 2)
        h.market(bid: 9_990, ask: 10_010, instrument: 1)
        h.venueAcceptsAll()
        #expect(h.open(1).isEmpty)
        #expect(h.engine.risk.rejectCount(.grossExposure) >= 1)
    }
}

@Suite struct EngineBatchTests {
    @Test func anUpdateInSeveralEventsIsPricedOnceAtItsEnd() {
        let h = EngineHarness { $0.set(.staleMs, 86_400_000) }
        // Both sides of the touch arrive as one update: nothing is quoted until its last event.
        h.engine.onMarket(MarketEvent(kind: .add, side: .buy, orderID: 1, price: Price(9_990), qty: Qty(100),
                                      endOfBatch: false), now: h.t)
        #expect(h.sent().isEmpty)
        h.engine.onMarket(MarketEvent(kind: .add, side: .sell, orderID: 2, price: Price(10_010), qty: Qty(100)), now: h.t)
        #expect(h.engine.orders.count == 2)
        // The touch jumps up 100 ticks in one update of four events: the engine never prices the
        // crossed book in between, so it sends exactly one replace per side.
        h.venueAcceptsAll()
        let steps: [(MarketEvent.Kind, Side, UInt64, Int64)] = [(.add, .sell, 3, 10_110), (.delete, .sell, 2, 10_010),
                                                                 (.add, .buy, 4, 10_090), (.delete, .buy, 1, 9_990)]
        for (i, step) in steps.enumerated() {
            h.engine.onMarket(MarketEvent(kind: step.0, side: step.1, orderID: step.2, price: Price(step.3), qty: Qty(100),
                                          endOfBatch: i == steps.count - 1), now: h.t)
        }
        let sent = h.sent()
        #expect(sent.count == 2 && sent.allSatisfy { $0.kind == .replace })
        #expect(Set(sent.map(\.price)) == [Price(10_098), Price(10_102)])
    }
}
