import DeskCore
@testable import DeskEngine
import Testing

// Quoter.build, with every expected level worked out by hand from the stated rules: widen,
// min spread, round (bids down, asks up, once), post-only, ladder, capacity. Parameters at
// their defaults unless set: min_spread 2 ticks, size 5, levels 2, level_spacing 1, flat sizes,
// post_only on, widen_factor 2.

private let unit = Instrument(symbol: "T", priceDecimals: 2, tickSize: 1)
/// A tick of 100 price units, so a tick/unit mix-up shows.
private let hundred = Instrument(symbol: "H", priceDecimals: 4, tickSize: 100)

private func params(_ overrides: [(Param, Double)] = []) -> ParameterSet {
    var p = ParameterSet()
    for (param, value) in overrides {
        let refusal = p.set(param, value)
        #expect(refusal == nil, "\(param) = \(value) refused")
    }
    return p
}

private func model(_ bid: Double, _ ask: Double, bidFactor: Double = 1, askFactor: Double = 1) -> ModelQuote {
    var b = QuoteBreakdown()
    b.fairValue = (bid + ask) / 2
    return ModelQuote(bid: bid, ask: ask, bidSizeFactor: bidFactor, askSizeFactor: askFactor, breakdown: b)
}

private func limits(_ bestBid: Int64?, _ bestAsk: Int64?, position: Int64 = 0, max: Int64 = 50,
                    reduceOnly: Bool = false, widen: Bool = false) -> Quoter.Limits {
    Quoter.Limits(bestBid: bestBid.map(Price.init) ?? .undefined, bestAsk: bestAsk.map(Price.init) ?? .undefined,
                  position: position, maxPosition: max, reduceOnly: reduceOnly, widen: widen)
}

private func prices(_ l: QuoteLevels) -> [Int64] { (0..<l.count).map { l[$0].price.units } }
private func sizes(_ l: QuoteLevels) -> [Int64] { (0..<l.count).map { l[$0].qty.lots } }

private func build(_ m: ModelQuote, _ p: ParameterSet, _ i: Instrument, _ l: Quoter.Limits) -> Quote {
    Quoter.build(m, p, i, l, now: 42)
}

private func build(_ m: ModelQuote, _ p: ParameterSet = params(), l: Quoter.Limits) -> Quote {
    build(m, p, unit, l)
}

@Suite struct QuoterTests {
    @Test func roundsBidsDownAsksUpOnce() {
        // 98.7 -> 98, 101.3 -> 102; second level one tick out: 97 / 103. Spread 2.6 >= 2, touch 99/101.
        let q = build(model(98.7, 101.3), l: limits(99, 101))
        #expect(prices(q.bids) == [98, 97])
        #expect(prices(q.asks) == [102, 103])
        #expect(sizes(q.bids) == [5, 5])
        #expect(sizes(q.asks) == [5, 5])
        #expect(q.breakdown.binding == .none)
        #expect(q.time == 42)
        #expect(q.breakdown.fairValue == 100)
        // Already on the tick: stays put, not pushed a further tick out.
        let exact = build(model(98, 102), l: limits(99, 101))
        #expect(prices(exact.bids) == [98, 97])
        #expect(prices(exact.asks) == [102, 103])
    }

    @Test func roundsToTicksOfHundredUnits() {
        // tick 100: 9_870 -> 9_800, 10_130 -> 10_200; next levels 100 units out.
        let q = build(model(9_870, 10_130), params(), hundred, limits(9_900, 10_100))
        #expect(prices(q.bids) == [9_800, 9_700])
        #expect(prices(q.asks) == [10_200, 10_300])
        let exact = build(model(9_800, 10_200), params(), hundred, limits(9_900, 10_100))
        #expect(prices(exact.bids) == [9_800, 9_700])
        #expect(prices(exact.asks) == [10_200, 10_300])
        // 9_899.5 still rounds down to 9_800 and 10_100.5 up to 10_200.
        let near = build(model(9_899.5, 10_100.5), params(), hundred, limits(9_900, 10_200))
        #expect(prices(near.bids) == [9_800, 9_700])
        #expect(prices(near.asks) == [10_200, 10_300])
    }

    @Test func minSpreadWidensAroundCentre() {
        // 99.9 / 100.3: spread 0.4 < 2 ticks -> centre 100.1 +- 1 = 99.1 / 101.1 -> 99 / 102.
        let q = build(model(99.9, 100.3), l: limits(98, 103))
        #expect(prices(q.bids) == [99, 98])
        #expect(prices(q.asks) == [102, 103])
        #expect(q.breakdown.binding == .minSpread)
        // min_spread 4: centre 100.1 +- 2 = 98.1 / 102.1 -> 98 / 103.
        let wide = build(model(99.9, 100.3), params([(.minSpread, 4)]), l: limits(97, 104))
        #expect(prices(wide.bids) == [98, 97])
        #expect(prices(wide.asks) == [103, 104])
        // Exactly the minimum is left alone: 99 / 101, binding none.
        let exact = build(model(99, 101), l: limits(98, 102))
        #expect(prices(exact.bids) == [99, 98])
        #expect(prices(exact.asks) == [101, 102])
        #expect(exact.breakdown.binding == .none)
    }

    @Test func minSpreadCountsTicksNotUnits() {
        // tick 100: min spread 2 ticks = 200 units. 9_990 / 10_030 (40 units) -> centre 10_010 +- 100
        //   = 9_910 / 10_110 -> 9_900 / 10_200. (Read as 2 units it would stay 9_900 / 10_100.)
        let q = build(model(9_990, 10_030), params(), hundred, limits(9_800, 10_300))
        #expect(prices(q.bids) == [9_900, 9_800])
        #expect(prices(q.asks) == [10_200, 10_300])
        #expect(q.breakdown.binding == .minSpread)
    }

    @Test func postOnlyKeepsBidBelowBestAsk() {
        // touch 99 / 101. 101.2 -> bid 101 >= best ask 101 -> 101 - 1 = 100; 103.6 -> 104.
        let q = build(model(101.2, 103.6), l: limits(99, 101))
        #expect(prices(q.bids) == [100, 99])
        #expect(prices(q.asks) == [104, 105])
        #expect(q.breakdown.binding == .postOnly)
        // bid above the best ask: 102.4 -> 102 -> 100 as well.
        let above = build(model(102.4, 105), l: limits(99, 101))
        #expect(prices(above.bids) == [100, 99])
        // a bid one tick under the best ask is fine: 100.2 -> 100, binding none.
        let under = build(model(100.2, 102.5), l: limits(99, 101))
        #expect(prices(under.bids) == [100, 99])
        #expect(prices(under.asks) == [103, 104])
        #expect(under.breakdown.binding == .none)
    }

    @Test func postOnlyKeepsAskAboveBestBid() {
        // touch 99 / 101. 96.5 -> 96; 99.0 -> ask 99 <= best bid 99 -> 99 + 1 = 100.
        let q = build(model(96.5, 99.0), l: limits(99, 101))
        #expect(prices(q.bids) == [96, 95])
        #expect(prices(q.asks) == [100, 101])
        #expect(q.breakdown.binding == .postOnly)
    }

    @Test func postOnlyInHundredUnitTicks() {
        // touch 9_900 / 10_100: 10_120 -> 10_100 >= best ask -> 10_000; 10_360 -> 10_400.
        let q = build(model(10_120, 10_360), params(), hundred, limits(9_900, 10_100))
        #expect(prices(q.bids) == [10_000, 9_900])
        #expect(prices(q.asks) == [10_400, 10_500])
        // 9_650 -> 9_600; 9_880 -> 9_900 <= best bid -> 10_000.
        let low = build(model(9_650, 9_880), params(), hundred, limits(9_900, 10_100))
        #expect(prices(low.bids) == [9_600, 9_500])
        #expect(prices(low.asks) == [10_000, 10_100])
    }

    @Test func postOnlyOffOrNoTouch() {
        // post_only off: 101.2 -> 101 stays even at the best ask.
        let off = build(model(101.2, 103.6), params([(.postOnly, 0)]), l: limits(99, 101))
        #expect(prices(off.bids) == [101, 100])
        #expect(off.breakdown.binding == .none)
        // No best ask known: nothing to clamp against.
        let oneSided = build(model(101.2, 103.6), l: limits(99, nil))
        #expect(prices(oneSided.bids) == [101, 100])
    }

    @Test func levelSpacing() {
        // levels 3, spacing 2 ticks: 98.5 -> 98, 96, 94; 101.5 -> 102, 104, 106.
        let p = params([(.levels, 3), (.levelSpacing, 2)])
        let q = build(model(98.5, 101.5), p, l: limits(99, 101))
        #expect(prices(q.bids) == [98, 96, 94])
        #expect(prices(q.asks) == [102, 104, 106])
        // tick 100: spacing 2 ticks = 200 units.
        let h = build(model(9_850, 10_150), p, hundred, limits(9_900, 10_100))
        #expect(prices(h.bids) == [9_800, 9_600, 9_400])
        #expect(prices(h.asks) == [10_200, 10_400, 10_600])
    }

    @Test func levelSizeFormula() {
        // linear: 10 * (1 - 0.3 * 2) = 4; geometric: 10 * 0.7^2 = 4.9; both floored at one lot.
        #expect(abs(Quoter.levelSize(base: 10, level: 2, shape: 1, decay: 0.3) - 4) < 1e-12)
        #expect(abs(Quoter.levelSize(base: 10, level: 2, shape: 2, decay: 0.3) - 4.9) < 1e-12)
        #expect(Quoter.levelSize(base: 10, level: 2, shape: 0, decay: 0.3) == 10)
        #expect(Quoter.levelSize(base: 10, level: 3, shape: 1, decay: 0.5) == 1) // 10 * -0.5 -> 1
        #expect(Quoter.levelSize(base: 10, level: 4, shape: 2, decay: 1) == 1) // 10 * 0 -> 1
    }

    @Test func sizeShapes() {
        // size 10, levels 4, decay 0.3, room 50:
        //   flat:      10, 10, 10, 10
        //   linear:    10*(1, 0.7, 0.4, 0.1)      = 10, 7, 4, 1
        //   geometric: 10*(1, 0.7, 0.49, 0.343)   = 10, 7, 4.9 -> 5, 3.43 -> 3
        let base: [(Param, Double)] = [(.size, 10), (.levels, 4), (.sizeDecay, 0.3)]
        let flat = build(model(98.5, 101.5), params(base + [(.sizeShape, 0)]), l: limits(99, 101))
        #expect(sizes(flat.bids) == [10, 10, 10, 10])
        #expect(sizes(flat.asks) == [10, 10, 10, 10])
        let linear = build(model(98.5, 101.5), params(base + [(.sizeShape, 1)]), l: limits(99, 101))
        #expect(sizes(linear.bids) == [10, 7, 4, 1])
        #expect(sizes(linear.asks) == [10, 7, 4, 1])
        let geometric = build(model(98.5, 101.5), params(base + [(.sizeShape, 2)]), l: limits(99, 101))
        #expect(sizes(geometric.bids) == [10, 7, 5, 3])
        #expect(sizes(geometric.asks) == [10, 7, 5, 3])
        // linear with decay 0.5: 10, 5, 0 -> 1, -5 -> 1
        let floor = build(model(98.5, 101.5), params([(.size, 10), (.levels, 4), (.sizeDecay, 0.5), (.sizeShape, 1)]),
                          l: limits(99, 101))
        #expect(sizes(floor.bids) == [10, 5, 1, 1])
    }

    @Test func modelSizeFactors() {
        // size 5, factor 0.5 -> 2.5 -> 3 (half away from zero); factor 1.5 -> 7.5 -> 8. Factor 0: no side.
        let q = build(model(98.5, 101.5, bidFactor: 0.5, askFactor: 1.5), params([(.levels, 1)]), l: limits(99, 101))
        #expect(sizes(q.bids) == [3])
        #expect(sizes(q.asks) == [8])
        let none = build(model(98.5, 101.5, bidFactor: 0, askFactor: 2), params([(.levels, 1)]), l: limits(99, 101))
        #expect(none.bids.count == 0)
        #expect(sizes(none.asks) == [10])
    }

    @Test func sideAtPositionLimitIsNotQuoted() {
        // max 10, long 10: no bid room (10 - 10 = 0); ask room 10 + 10 = 20 -> 5, 5.
        let long = build(model(98.5, 101.5), l: limits(99, 101, position: 10, max: 10))
        #expect(long.bids.count == 0)
        #expect(sizes(long.asks) == [5, 5])
        #expect(long.breakdown.binding == .maxPositionLong)
        // short 10: no asks; bids 5, 5.
        let short = build(model(98.5, 101.5), l: limits(99, 101, position: -10, max: 10))
        #expect(short.asks.count == 0)
        #expect(sizes(short.bids) == [5, 5])
        #expect(short.breakdown.binding == .maxPositionShort)
        // beyond the limit (long 12): still no bids.
        let beyond = build(model(98.5, 101.5), l: limits(99, 101, position: 12, max: 10))
        #expect(beyond.bids.count == 0)
        #expect(sizes(beyond.asks) == [5, 5])
        #expect(beyond.breakdown.binding == .maxPositionLong)
    }

    @Test func capacityTrimsTheLastLevel() {
        // max 10, long 3: bid room 7 -> 5, then 2; ask room 13 -> 5, 5.
        let q = build(model(98.5, 101.5), l: limits(99, 101, position: 3, max: 10))
        #expect(sizes(q.bids) == [5, 2])
        #expect(prices(q.bids) == [98, 97])
        #expect(sizes(q.asks) == [5, 5])
        #expect(q.breakdown.binding == .none)
        // long 8: bid room 2 -> one level of 2.
        let tight = build(model(98.5, 101.5), l: limits(99, 101, position: 8, max: 10))
        #expect(sizes(tight.bids) == [2])
        #expect(prices(tight.bids) == [98])
        // short 7: ask room 10 - 7 = 3 -> one level of 3.
        let short = build(model(98.5, 101.5), l: limits(99, 101, position: -7, max: 10))
        #expect(sizes(short.asks) == [3])
        #expect(sizes(short.bids) == [5, 5])
    }

    @Test func reduceOnlyQuotesTheReducingSide() {
        // long 7, reduce-only: no bids; asks up to 7 lots -> 5, 2.
        let long = build(model(98.5, 101.5), l: limits(99, 101, position: 7, reduceOnly: true))
        #expect(long.bids.count == 0)
        #expect(sizes(long.asks) == [5, 2])
        #expect(prices(long.asks) == [102, 103])
        #expect(long.breakdown.binding == .reduceOnly)
        // short 3: bids of 3, no asks.
        let short = build(model(98.5, 101.5), l: limits(99, 101, position: -3, reduceOnly: true))
        #expect(sizes(short.bids) == [3])
        #expect(short.asks.count == 0)
        // flat: nothing to reduce.
        let flat = build(model(98.5, 101.5), l: limits(99, 101, position: 0, reduceOnly: true))
        #expect(flat.bids.count == 0 && flat.asks.count == 0)
        #expect(flat.breakdown.binding == .reduceOnly)
    }

    @Test func breakerWidenMultipliesHalfSpread() {
        // 98.5 / 101.5: centre 100, half 1.5. widen_factor 2 -> half 3 -> 97 / 103.
        let q = build(model(98.5, 101.5), l: limits(99, 101, widen: true))
        #expect(prices(q.bids) == [97, 96])
        #expect(prices(q.asks) == [103, 104])
        #expect(q.breakdown.binding == .breakerWiden)
        // widen_factor 3 -> half 4.5 -> 95.5 / 104.5 -> 95 / 105.
        let three = build(model(98.5, 101.5), params([(.widenFactor, 3)]), l: limits(99, 101, widen: true))
        #expect(prices(three.bids) == [95, 94])
        #expect(prices(three.asks) == [105, 106])
        // Not widening: 98 / 102.
        let calm = build(model(98.5, 101.5), l: limits(99, 101, widen: false))
        #expect(prices(calm.bids) == [98, 97])
        // tick 100: 9_850 / 10_150, half 150 x 2 = 300 -> 9_700 / 10_300.
        let h = build(model(9_850, 10_150), params(), hundred, limits(9_900, 10_100, widen: true))
        #expect(prices(h.bids) == [9_700, 9_600])
        #expect(prices(h.asks) == [10_300, 10_400])
        // A widened quote still under the minimum is then widened to it, and names the breaker:
        // 99.9 / 100.3, half 0.2 x 2 = 0.4 -> 0.8 < 2 -> 100.1 +- 1 -> 99 / 102.
        let narrow = build(model(99.9, 100.3), l: limits(98, 103, widen: true))
        #expect(prices(narrow.bids) == [99, 98])
        #expect(prices(narrow.asks) == [102, 103])
        #expect(narrow.breakdown.binding == .breakerWiden)
    }

    @Test func noModelPriceNoQuote() {
        for m in [model(.nan, 101), model(99, .nan), model(99, .infinity)] {
            let q = build(m, l: limits(99, 101))
            #expect(q.bids.count == 0 && q.asks.count == 0)
            #expect(q.breakdown.binding == .noMarket)
            #expect(q.time == 42)
        }
    }

    @Test func everyPriceOnTheTick() {
        // Awkward model prices on the 100-unit instrument: every level lands on a multiple of 100.
        let p = params([(.levels, 5), (.levelSpacing, 3)])
        for (b, a) in [(9_871.3, 10_129.9), (9_999.99, 10_000.01), (9_500.5, 10_777.7)] {
            let q = build(model(b, a), p, hundred, limits(9_000, 11_000))
            #expect(q.bids.count == 5 && q.asks.count == 5)
            for i in 0..<5 {
                #expect(hundred.isOnTick(q.bids[i].price))
                #expect(hundred.isOnTick(q.asks[i].price))
                #expect(q.bids[i].price.asDouble <= b)
                #expect(q.asks[i].price.asDouble >= a)
            }
        }
    }
}

/// Quote timing and aggressiveness: u = min(1, max(sigma / (tick vol_warn), |q| / max_position)),
/// refresh = max - u (max - min), aggression = aggressiveness (1 - u).
@Suite struct QuoteTimingTests {
    @Test func urgencyIsTheLargerOfVolatilityAndInventoryAgainstTheirLimits() {
        let p = params([(.volWarn, 20), (.volLimit, 40), (.maxPosition, 50)])
        // sigma 10 price units with a tick of 1: 10 / 20 = 0.5; 30 of 50 lots: 0.6.
        #expect(QuoteTiming.urgency(sigma: 10, tick: 1, position: -30, p) == 0.6)
        #expect(QuoteTiming.urgency(sigma: 10, tick: 1, position: 5, p) == 0.5)
        // A tick of 100: sigma 10 is a tenth of a tick, 0.005 of the warning level.
        #expect(abs(QuoteTiming.urgency(sigma: 10, tick: 100, position: 0, p) - 0.005) < 1e-12)
        #expect(QuoteTiming.urgency(sigma: 100, tick: 1, position: 0, p) == 1, "beyond the warning level: at most 1")
    }

    @Test func refreshRunsFromTheLongestHoldCalmToTheShortestAtTheLimit() {
        let p = params([(.minQuoteTime, 0.5), (.maxQuoteTime, 2), (.aggressiveness, 0.5)])
        #expect(QuoteTiming.refreshInterval(urgency: 0, p) == 2)
        #expect(abs(QuoteTiming.refreshInterval(urgency: 0.6, p) - 1.1) < 1e-12) // 2 - 0.6 x 1.5
        #expect(QuoteTiming.refreshInterval(urgency: 1, p) == 0.5)
        #expect(QuoteTiming.aggression(urgency: 0, p) == 0.5)
        #expect(abs(QuoteTiming.aggression(urgency: 0.6, p) - 0.2) < 1e-12) // 0.5 x 0.4
    }

    @Test func aggressivenessGivesUpPartOfTheSpreadButNotTheMinimum() {
        // Model 95 / 105 around 100: half 5. Aggression 0.5 at urgency 0 leaves half 2.5:
        // 97.5 -> 97, 102.5 -> 103 (touch 90 / 110, far away).
        var l = limits(90, 110)
        l.urgency = 0
        let half = build(model(95, 105), params([(.aggressiveness, 0.5)]), unit, l)
        #expect(prices(half.bids).first == 97 && prices(half.asks).first == 103)
        #expect(half.breakdown.aggressiveness == 0.5)
        // At urgency 1 nothing is given up.
        l.urgency = 1
        let full = build(model(95, 105), params([(.aggressiveness, 0.5)]), unit, l)
        #expect(prices(full.bids).first == 95 && prices(full.asks).first == 105)
        // All of it: the minimum spread (2 ticks) still holds, 99 / 101.
        l.urgency = 0
        let all = build(model(95, 105), params([(.aggressiveness, 1)]), unit, l)
        #expect(prices(all.bids).first == 99 && prices(all.asks).first == 101)
        // A breaker widening the quote is never undone by aggressiveness.
        let widened = build(model(95, 105), params([(.aggressiveness, 1)]), unit, limits(90, 110, widen: true))
        #expect(prices(widened.bids).first == 90 && prices(widened.asks).first == 110 && widened.breakdown.aggressiveness == 0)
    }
}
