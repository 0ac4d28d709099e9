import DeskCore
@testable import DeskEngine
import Testing

// Signal estimators checked against numbers worked out by hand in the comments. ln 2 is typed
// in as a literal (0.6931471805599453) rather than taken from the code under test.

private let ln2 = 0.6931471805599453
private let second = Time.nanosPerSecond
private let milli = Time.nanosPerMilli

private func near(_ a: Double, _ b: Double, rel: Double = 1e-9) -> Bool {
    abs(a - b) <= rel * max(1, abs(a), abs(b))
}

@Suite struct VolatilityTests {
    @Test func firstSampleIsOnlyTheReference() {
        var v = Volatility(halfLife: 30)
        v.sample(mid: 100, now: second)
        #expect(v.sigma == 0)
        #expect(v.samples == 0)
        v.sample(mid: .nan, now: second + 100 * milli) // ignored, not a return
        #expect(v.samples == 0)
    }

    @Test func constantReturnsGiveExactSigma() {
        // |return| 0.5 every 100 ms: each observation is 0.25 / 0.1 = 2.5 per second, so from the
        // first return on sigma = sqrt(2.5) = 0.5 / sqrt(0.1) = 1.5811388300841898 and stays there.
        var v = Volatility(halfLife: 30)
        let t0: Nanos = 5 * second
        v.sample(mid: 100, now: t0)
        v.sample(mid: 100.5, now: t0 + 100 * milli)
        #expect(v.samples == 1)
        #expect(near(v.sigma, 1.5811388300841898, rel: 1e-12))
        for i in 2...50 {
            v.sample(mid: i % 2 == 0 ? 100 : 100.5, now: t0 + Nanos(i) * 100 * milli)
        }
        #expect(v.samples == 50)
        #expect(near(v.sigma, 1.5811388300841898, rel: 1e-12))
    }

    @Test func ewmaUpdateByHand() {
        // half-life 0.1 s, samples 100 ms apart -> weight 1 - 2^(-0.1/0.1) = 0.5.
        var v = Volatility(halfLife: 0.1)
        let t0: Nanos = 2 * second
        v.sample(mid: 100, now: t0)
        // return 1 over 0.1 s: 1 / 0.1 = 10 per second; the first return sets the variance: sigma = sqrt(10)
        v.sample(mid: 101, now: t0 + 100 * milli)
        #expect(near(v.sigma, 3.1622776601683795, rel: 1e-12))
        // return 2 over 0.1 s: 4 / 0.1 = 40; variance = 10 + 0.5 * (40 - 10) = 25 -> sigma 5
        v.sample(mid: 103, now: t0 + 200 * milli)
        #expect(near(v.sigma, 5, rel: 1e-12))
        // a quiet 0.2 s gap counts once, with weight 1 - 2^(-0.2/0.1) = 0.75:
        //   variance = 25 + 0.75 * (0 / 0.2 - 25) = 6.25 -> sigma 2.5
        v.sample(mid: 103, now: t0 + 400 * milli)
        #expect(near(v.sigma, 2.5, rel: 1e-12))
        #expect(v.samples == 3)
    }

    @Test func returnScaledByItsSpan() {
        // A single return of 1 over 0.4 s (quiet intervals skipped): 1 / 0.4 = 2.5 per second -> sqrt(2.5)
        var v = Volatility(halfLife: 30)
        v.sample(mid: 50, now: second)
        v.sample(mid: 51, now: second + 400 * milli)
        #expect(near(v.sigma, 1.5811388300841898, rel: 1e-12))
    }
}

@Suite struct TradeFlowTests {
    @Test func emptyIsBalanced() {
        #expect(TradeFlow(halfLife: 5).imbalance == 0)
    }

    @Test func decaysByHalfAfterOneHalfLife() {
        // buy 30, sell 10 at t0: (30 - 10) / 40 = 0.5.
        var f = TradeFlow(halfLife: 5)
        let t0: Nanos = 1_000 * second
        f.record(aggressor: .buy, qty: Qty(30), now: t0)
        f.record(aggressor: .sell, qty: Qty(10), now: t0)
        #expect(near(f.imbalance, 0.5, rel: 1e-12))
        // 5 s later both halve (15, 5), then sell 5 more: (15 - 10) / 25 = 0.2.
        f.record(aggressor: .sell, qty: Qty(5), now: t0 + 5 * second)
        #expect(near(f.buyVolume, 15, rel: 1e-12))
        #expect(near(f.sellVolume, 10, rel: 1e-12))
        #expect(near(f.imbalance, 0.2, rel: 1e-12))
        // 10 s (two half-lives) later both quarter, then buy 1:
        //   buy 15/4 + 1 = 4.75, sell 10/4 = 2.5 -> (4.75 - 2.5) / 7.25 = 0.3103448275862069
        f.record(aggressor: .buy, qty: Qty(1), now: t0 + 15 * second)
        #expect(near(f.imbalance, 0.3103448275862069, rel: 1e-12))
    }

    @Test func clockStartingAtZeroStillDecays() {
        // A session whose clock starts at 0 (simulation, Engine(now: 0)): buy 30 at t = 0, sell 15 at
        // t = 5 s = one half-life -> buy 15, sell 15 -> imbalance 0.
        var f = TradeFlow(halfLife: 5)
        f.record(aggressor: .buy, qty: Qty(30), now: 0)
        f.record(aggressor: .sell, qty: Qty(15), now: 5 * second)
        #expect(near(f.buyVolume, 15, rel: 1e-12))
        #expect(abs(f.imbalance) < 1e-12)
    }
}

@Suite struct FillIntensityTests {
    /// Arrivals per depth so that the number reaching depth point i ((i + 0.5) ticks) is
    /// 1024 * 2^-i for i = 0...10: counts 512, 256, ..., 1 reach exactly points 0...i, and the
    /// last 1 reaches point 10. Check: reaching(10) = 1, reaching(9) = 2, reaching(0) = 1024.
    static let buckets: [Int] = [512, 256, 128, 64, 32, 16, 8, 4, 2, 1, 1]

    /// Records `counts[i]` arrivals whose deepest print was i + 1 ticks beyond the mid: past
    /// points 0...i (at 0.5 ... i + 0.5 ticks), short of point i + 1.
    static func record(_ fi: inout FillIntensity, _ counts: [Int], tick: Double) {
        for (i, n) in counts.enumerated() {
            for _ in 0..<n { fi.record(depth: Double(i + 1) * tick) }
        }
    }

    @Test func fitsExactExponential() {
        // half-life 120 s observed for exactly 120 s: exposure = 120/ln2 * (1 - 2^-1) = 60/ln2
        //   = 86.56170245333781 s. Trades recorded at the end, so counts are undecayed:
        //   rate at point i = 1024 * 2^-i / (60/ln2), with x_i = i + 0.5 ticks:
        //   ln rate = ln(1024 ln2 / 60) - (x - 0.5) ln2, exactly linear: k = ln 2 per tick =
        //   0.6931471805599453 (tick 1), A = 1024 ln2 / 60 * 2^0.5 = 16.729738981863207 /s.
        var fi = FillIntensity(depths: 12, tickSize: 1, halfLife: 120, minPoints: 3)
        let t0: Nanos = 10 * second
        fi.advance(to: t0)
        fi.advance(to: t0 + 120 * second)
        Self.record(&fi, Self.buckets, tick: 1)
        #expect(fi.arrivals == 1024)
        fi.fit(now: t0 + 120 * second)
        #expect(fi.isReady)
        #expect(near(fi.k, 0.6931471805599453))
        #expect(near(fi.a, 16.729738981863207))

        // 120 s more: counts halve (reaching depth 0: 512), exposure = (60/ln2)/2 + 60/ln2 = 90/ln2:
        //   A = 512 ln2 / 90 * 2^0.5 = 5.576579660621069; k unchanged.
        fi.fit(now: t0 + 240 * second)
        #expect(fi.isReady)
        #expect(near(fi.k, 0.6931471805599453))
        #expect(near(fi.a, 5.576579660621069))
    }

    @Test func depthInPriceUnitsForHundredUnitTick() {
        // tick 100: arrivals (i + 1) * 100 price units deep. Same shape, so k = ln2 / 100 =
        // 0.006931471805599453 per price unit. Half-life 60 s over 60 s: exposure = 30/ln2;
        //   A = 1024 ln2 / 30 * 2^0.5 = 33.459477963726414 /s.
        var fi = FillIntensity(depths: 20, tickSize: 100, halfLife: 60, minPoints: 3)
        fi.advance(to: 0)
        fi.advance(to: 60 * second)
        Self.record(&fi, Self.buckets, tick: 100)
        fi.fit(now: 60 * second)
        #expect(fi.isReady)
        #expect(near(fi.k, 0.006931471805599453))
        #expect(near(fi.a, 33.459477963726414))
    }

    @Test func exposureIndependentOfStepSize() {
        // Observing 120 s in 1 s steps must give the same decayed exposure, 60/ln2, as one step.
        var fi = FillIntensity(depths: 12, tickSize: 1, halfLife: 120, minPoints: 3)
        fi.advance(to: 0)
        for s in 1...120 { fi.advance(to: Nanos(s) * second) }
        #expect(near(fi.exposure, 86.56170245333781))
        Self.record(&fi, Self.buckets, tick: 1)
        fi.fit(now: 120 * second)
        #expect(near(fi.a, 16.729738981863207))
        #expect(near(fi.k, 0.6931471805599453))
    }

    @Test func notReadyWithFewerThanMinPointsDepths() {
        let t0: Nanos = 10 * second
        // Arrivals at two depths only: fewer than 3.
        var two = FillIntensity(depths: 20, tickSize: 1, halfLife: 120, minPoints: 3)
        two.advance(to: t0)
        two.advance(to: t0 + 10 * second)
        Self.record(&two, [4, 2], tick: 1)
        two.fit(now: t0 + 10 * second)
        #expect(!two.isReady)
        #expect(two.k.isNaN && two.a.isNaN)

        // Arrivals at depths 0 and 4 only: still two depths with arrivals of their own, though
        // points 1-3 are reached by the deep one. Not enough to fit.
        var gap = FillIntensity(depths: 20, tickSize: 1, halfLife: 120, minPoints: 3)
        gap.advance(to: t0)
        gap.advance(to: t0 + 10 * second)
        Self.record(&gap, [10, 0, 0, 0, 1], tick: 1)
        gap.fit(now: t0 + 10 * second)
        #expect(!gap.isReady)

        // A third depth with arrivals makes it ready, with k > 0.
        Self.record(&gap, [0, 0, 1], tick: 1)
        gap.fit(now: t0 + 10 * second)
        #expect(gap.isReady)
        #expect(gap.k > 0)
    }

    @Test func onlyPrintsStrictlyBeyondADepthReachIt() {
        // Points at 0.5, 1.5, 2.5 ... ticks (tick 2 price units: 1, 3, 5 ...).
        var fi = FillIntensity(depths: 20, tickSize: 2, halfLife: 120, minPoints: 3)
        fi.record(depth: 1) // exactly at point 0 (a print at the touch of a 1-tick market): reaches nothing
        fi.record(depth: -2) // stopped short of the mid
        #expect(fi.counts.allSatisfy { $0 == 0 })
        fi.record(depth: 1.2) // just past point 0
        fi.record(depth: 3) // exactly at point 1: still only point 0
        #expect(fi.counts[0] == 2)
        fi.record(depth: 5.5) // past points 0...2
        fi.record(depth: 1_000) // past every point: the last depth holds it
        #expect(fi.counts[2] == 1 && fi.counts[19] == 1)
        #expect(fi.arrivals == 6)
    }

    @Test func aFlatSlopeIsHeldAtTheLowestK() {
        // Half-life 120 s observed 120 s: exposure E = 60/ln2. Reaching points 0, 1, 2 (x = 0.5,
        // 1.5, 2.5 ticks): 1000, 990, 980 arrivals. The free slope is -0.0101 per tick, below
        // the 0.05 bound, so k = 0.05 and ln A = mean(ln(reaching / E)) + 0.05 * 1.5:
        //   A = exp((ln 1000 + ln 990 + ln 980) / 3 - ln(60 / ln2) + 0.075) = 12.327264662117418.
        var fi = FillIntensity(depths: 3, tickSize: 1, halfLife: 120, minPoints: 3, kTicks: 0.05...10)
        fi.advance(to: 0)
        fi.advance(to: 120 * second)
        for _ in 0..<10 { fi.record(depth: 1) }
        for _ in 0..<10 { fi.record(depth: 2) }
        for _ in 0..<980 { fi.record(depth: 3) }
        fi.fit(now: 120 * second)
        #expect(fi.isReady)
        #expect(fi.k == 0.05)
        #expect(near(fi.a, 12.327264662117418))
    }

    @Test func nothingObservedNothingFitted() {
        // No time observed: no exposure, no fit even with arrivals.
        var fi = FillIntensity(depths: 12, tickSize: 1, halfLife: 120, minPoints: 3)
        Self.record(&fi, Self.buckets, tick: 1)
        fi.fit(now: 5 * second)
        #expect(!fi.isReady)
    }
}

@Suite struct SignalsTests {
    /// bids 99 x 10, 98 x 20, 97 x 30; asks 101 x 30, 102 x 5, 103 x 5, 104 x 100 (prices in ticks x tick).
    private func book(tick: Int64) -> OrderBook {
        let b = OrderBook(tickSize: tick)
        let bids: [(Int64, Int64)] = [(99, 10), (98, 20), (97, 30)]
        let asks: [(Int64, Int64)] = [(101, 30), (102, 5), (103, 5), (104, 100)]
        var id: UInt64 = 1
        for (p, q) in bids { b.add(id: id, side: .buy, price: Price(p * tick), qty: Qty(q)); id += 1 }
        for (p, q) in asks { b.add(id: id, side: .sell, price: Price(p * tick), qty: Qty(q)); id += 1 }
        return b
    }

    @Test func midMicropriceImbalance() {
        var s = Signals(config: SignalConfig(), tickSize: 1)
        s.update(book: book(tick: 1), imbalanceLevels: 3)
        // mid = (99 + 101) / 2 = 100
        #expect(s.mid == 100)
        // microprice = (99 * 30 + 101 * 10) / (10 + 30) = (2970 + 1010) / 40 = 99.5: toward the thin bid.
        #expect(near(s.microprice, 99.5, rel: 1e-12))
        // 3 levels: bids 10 + 20 + 30 = 60, asks 30 + 5 + 5 = 40 -> (60 - 40) / 100 = 0.2
        #expect(near(s.imbalance, 0.2, rel: 1e-12))
        // 1 level: (10 - 30) / 40 = -0.5
        s.update(book: book(tick: 1), imbalanceLevels: 1)
        #expect(near(s.imbalance, -0.5, rel: 1e-12))
        // 4 levels: bids 60 (only three exist), asks 140 -> (60 - 140) / 200 = -0.4
        s.update(book: book(tick: 1), imbalanceLevels: 4)
        #expect(near(s.imbalance, -0.4, rel: 1e-12))
    }

    /// Events beyond the deepest level the imbalance counts cannot move a signal; the engine
    /// skips the update for them. bids 99, 98, 97 (3 levels counted: edge 97); asks 101, 102,
    /// 103, 104 (edge 103).
    @Test func onlyEventsInsideTheDepthEdgeAffectTheSignals() {
        var s = Signals(config: SignalConfig(), tickSize: 1)
        s.update(book: book(tick: 1), imbalanceLevels: 3)
        #expect(s.depthEdgeBid == Price(97) && s.depthEdgeAsk == Price(103) && s.depthLevels == 3)
        #expect(!s.isAffected(by: .add(1, .buy, 96, 5)))
        #expect(s.isAffected(by: .add(1, .buy, 97, 5)))
        #expect(s.isAffected(by: .add(1, .buy, 100, 5)))
        #expect(!s.isAffected(by: .add(1, .sell, 104, 5)))
        #expect(s.isAffected(by: MarketEvent(kind: .delete, side: .sell, orderID: 9, price: Price(103), qty: Qty(5))))
        #expect(!s.isAffected(by: .trade(.buy, 101, 3)))
        #expect(s.isAffected(by: MarketEvent(kind: .clear)))
        // Four levels asked of a side that has three: no edge, so every bid event counts.
        s.update(book: book(tick: 1), imbalanceLevels: 4)
        #expect(s.depthEdgeBid == .undefined && s.depthEdgeAsk == Price(104))
        #expect(s.isAffected(by: .add(1, .buy, 50, 5)))
    }

    @Test func hundredUnitTick() {
        var s = Signals(config: SignalConfig(), tickSize: 100)
        s.update(book: book(tick: 100), imbalanceLevels: 3)
        // mid = (9_900 + 10_100) / 2 = 10_000; microprice = (9_900 * 30 + 10_100 * 10) / 40 = 398_000 / 40 = 9_950
        #expect(s.mid == 10_000)
        #expect(near(s.microprice, 9_950, rel: 1e-12))
        #expect(near(s.imbalance, 0.2, rel: 1e-12))
    }

    @Test func oneSidedBookHasNoMid() {
        var s = Signals(config: SignalConfig(), tickSize: 1)
        s.update(book: book(tick: 1), imbalanceLevels: 3)
        let b = OrderBook(tickSize: 1)
        b.add(id: 1, side: .buy, price: Price(99), qty: Qty(10))
        s.update(book: b, imbalanceLevels: 3)
        #expect(s.mid.isNaN)
        #expect(s.microprice.isNaN)
        #expect(s.imbalance == 0)
    }

    @Test func samplesMidOnTheClock() {
        // sample interval 100 ms. mid 100 sampled at t0; a bid at 100 lifts the mid to 100.5;
        // the next sample at t0 + 100 ms sees a 0.5 return over 0.1 s -> sigma = sqrt(2.5) = 1.5811388300841898.
        var s = Signals(config: SignalConfig(), tickSize: 1)
        let b = book(tick: 1)
        let t0: Nanos = 3 * second
        s.update(book: b, imbalanceLevels: 3)
        let first = s.advance(to: t0)
        #expect(first)
        #expect(s.sampledMid == 100)
        b.add(id: 99, side: .buy, price: Price(100), qty: Qty(7))
        s.update(book: b, imbalanceLevels: 3)
        #expect(s.mid == 100.5)
        let early = s.advance(to: t0 + 50 * milli)
        #expect(!early)
        #expect(s.sampledMid == 100)
        let due = s.advance(to: t0 + 100 * milli)
        #expect(due)
        #expect(s.sampledMid == 100.5)
        #expect(near(s.sigma, 1.5811388300841898, rel: 1e-12))
    }

    @Test func printsOfOneAggressorCountOnceAtTheirDeepest() {
        // mid 100 (bid 99, ask 101, tick 1). A buyer sweeps 101, 102, 103 at exchange time 1 s:
        // one arrival 3 ticks deep, past points 0.5, 1.5, 2.5 -> ask side, counts[2]. The book
        // moves between its prints, but the sweep is measured from the mid before it began.
        var s = Signals(config: SignalConfig(), tickSize: 1)
        s.update(book: book(tick: 1), imbalanceLevels: 3)
        s.record(trade: Price(101), qty: Qty(4), aggressor: .buy, exchangeTime: second, now: second)
        let moved = book(tick: 1)
        moved.add(id: 50, side: .buy, price: Price(100), qty: Qty(5)) // mid 100.5 now
        s.update(book: moved, imbalanceLevels: 3)
        s.record(trade: Price(102), qty: Qty(1), aggressor: .buy, exchangeTime: second, now: second)
        s.record(trade: Price(103), qty: Qty(1), aggressor: .buy, exchangeTime: second, now: second)
        // The sweep is counted when the next arrival begins: a seller at the same time is another.
        #expect(s.intensity.ask.arrivals == 0)
        s.record(trade: Price(99), qty: Qty(1), aggressor: .sell, exchangeTime: second, now: second)
        #expect(s.intensity.ask.arrivals == 1 && s.intensity.ask.counts[2] == 1)
        #expect(s.intensity.ask.counts[0] == 0 && s.intensity.ask.counts[1] == 0)
        // That seller printed at 99 from mid 100.5: 1.5 ticks, exactly at point 1, so it reaches
        // point 0 only; a buyer a millisecond later closes it on the bid side.
        s.record(trade: Price(101), qty: Qty(1), aggressor: .buy, exchangeTime: second + 1_000_000, now: second)
        #expect(s.intensity.bid.arrivals == 1 && s.intensity.bid.counts[0] == 1)
        #expect(s.intensity.prints == 5)
        // flow counts prints by size: buy 4 + 1 + 1 + 1 = 7, sell 1 -> (7 - 1) / 8 = 0.75
        #expect(near(s.flow.imbalance, 0.75, rel: 1e-12))
    }
}
