import DeskCore
@testable import DeskEngine
import Testing

// Every expected number below is worked out by hand in the comment next to it, or is the
// paper's formula typed out again here (not a call into the strategy code).

/// |a - b| within `rel` of the larger magnitude (or `rel` absolutely near zero).
private func near(_ a: Double, _ b: Double, rel: Double = 1e-9) -> Bool {
    abs(a - b) <= rel * max(1, abs(a), abs(b))
}

/// Defaults with the given overrides; fails the test if any value is refused.
private func params(_ overrides: [(Param, Double)]) -> ParameterSet {
    var p = ParameterSet()
    for (param, value) in overrides {
        let refusal = p.set(param, value)
        #expect(refusal == nil, "\(param) = \(value) refused")
    }
    return p
}

@Suite struct GLFTTests {
    // The known point (hftbacktest's GLFT tutorial numbers), Gueant 2017 eqs 4.6/4.7 with
    // A = 2.986162360812285, k = 0.04235741115084049, gamma = xi = 0.05, Delta = 1, sigma = 10.69.
    static let a = 2.986162360812285, k = 0.04235741115084049, sigma = 10.69
    static let c1 = 15.590451013297573, c2 = 0.9133085734604556
    static let half = 20.47208533844371, skew = 9.76326865029227

    @Test func coefficientsAtKnownPoint() {
        let c = GLFT.coefficients(a: Self.a, k: Self.k, gamma: 0.05, xi: 0.05, delta: 1, sigma: Self.sigma)
        #expect(near(c.c1, Self.c1))
        #expect(near(c.c2, Self.c2))
        #expect(near(c.halfSpread, Self.half))
        #expect(near(c.skew, Self.skew))
    }

    @Test func coefficientsAtHandPoint() {
        // xi = gamma = 1, Delta = 1, k = 1, A = 2, sigma = 3:
        //   c1 = 1/1 * ln(1 + 1/1) = ln 2 = 0.6931471805599453
        //   c2 = sqrt(1 / (2*2*1*1) * (1 + 1)^(1/1 + 1)) = sqrt(1/4 * 4) = 1
        //   half = ln 2 + 1/2 * 3 * 1 = 2.1931471805599454, skew = 3 * 1 = 3
        let c = GLFT.coefficients(a: 2, k: 1, gamma: 1, xi: 1, delta: 1, sigma: 3)
        #expect(near(c.c1, 0.6931471805599453))
        #expect(near(c.c2, 1))
        #expect(near(c.halfSpread, 2.1931471805599454))
        #expect(near(c.skew, 3))
    }

    @Test func deltaEntersBothCoefficients() {
        // xi = gamma = 1, Delta = 2, k = 2, A = 1, sigma = 1:
        //   c1 = 1/2 * ln(1 + 2/2) = ln2 / 2 = 0.34657359027997264
        //   c2 = sqrt(1 / (2*1*2*2) * (1 + 1)^(2/2 + 1)) = sqrt(1/8 * 4) = sqrt(0.5) = 0.7071067811865476
        //   half = c1 + 2/2 * 1 * c2 = 1.0536803714665202, skew = 0.7071067811865476
        let c = GLFT.coefficients(a: 1, k: 2, gamma: 1, xi: 1, delta: 2, sigma: 1)
        #expect(near(c.c1, 0.34657359027997264))
        #expect(near(c.c2, 0.7071067811865476))
        #expect(near(c.halfSpread, 1.0536803714665202))
        #expect(near(c.skew, 0.7071067811865476))
    }

    private func ctx(position: Double) -> QuoteContext {
        QuoteContext(mid: 10_000, microprice: 10_003, imbalance: 0.4, sigma: Self.sigma, intensityA: Self.a,
                     intensityK: Self.k, position: position, maxPosition: 50, tick: 1)
    }

    private let p = params([(.gamma, 0.05), (.xi, 0.05), (.size, 5)])

    @Test func quoteLong() {
        // position 10 lots, size 5 -> q = 2; skew * q = 2 * 9.76326865029227 = 19.52653730058454
        //   bid = 10000 - (20.47208533844371 + 19.52653730058454) = 10000 - 39.99862263902825 = 9960.00137736097175
        //   ask = 10000 + (20.47208533844371 - 19.52653730058454) = 10000 + 0.94554803785917 = 10000.94554803785917
        let m = GLFT.quote(ctx(position: 10), p)
        #expect(near(m.bid, 9960.00137736097175, rel: 1e-12))
        #expect(near(m.ask, 10000.94554803785917, rel: 1e-12))
        #expect(near(m.breakdown.halfSpread, Self.half))
        #expect(near(m.breakdown.inventorySkew, -19.52653730058454))
        #expect(near(m.breakdown.reservationPrice, 9980.47346269941546, rel: 1e-12))
        // GLFT centres on the mid, not the microprice: (bid + ask) / 2 = 9980.4734626994...
        #expect(m.breakdown.fairValue == 10_000)
        #expect(m.bidSizeFactor == 1 && m.askSizeFactor == 1)
    }

    @Test func quoteShort() {
        // position -5 lots, size 5 -> q = -1
        //   bid = 10000 - (20.47208533844371 - 9.76326865029227) = 10000 - 10.70881668815144 = 9989.29118331184856
        //   ask = 10000 + (20.47208533844371 + 9.76326865029227) = 10000 + 30.23535398873598 = 10030.23535398873598
        let m = GLFT.quote(ctx(position: -5), p)
        #expect(near(m.bid, 9989.29118331184856, rel: 1e-12))
        #expect(near(m.ask, 10030.23535398873598, rel: 1e-12))
        #expect(near(m.breakdown.inventorySkew, 9.76326865029227))
    }

    @Test func eachSideQuotesFromItsOwnIntensity() {
        // gamma = xi = 1, sigma 3, size 1, position 1 (q = 1), mid 100.
        //   bid side A 2, k 1: half 2.1931471805599454, skew 3 (the hand point above)
        //     bid = 100 - (2.1931471805599454 + 3) = 94.80685281944005
        //   ask side A 1, k 2: c1 = ln 1.5 = 0.4054651081081644, c2 = sqrt(1/4 * 1.5^3) = 0.9185586535436918
        //     half = c1 + 1.5 * c2 = 1.783303088423702, skew = 2.7556759606310752
        //     ask = 100 + (1.783303088423702 - 2.7556759606310752) = 99.02762712779263
        var c = QuoteContext(mid: 100, microprice: 100, sigma: 3, intensityA: 2, intensityK: 1, position: 1,
                             maxPosition: 50, tick: 1)
        c.askIntensity = Intensity(a: 1, k: 2)
        let m = GLFT.quote(c, params([(.gamma, 1), (.xi, 1), (.size, 1)]))
        #expect(near(m.bid, 94.80685281944005, rel: 1e-12))
        #expect(near(m.ask, 99.02762712779263, rel: 1e-12))
    }

    @Test func quoteFlatIsSymmetric() {
        // q = 0: bid = 10000 - 20.47208533844371, ask = 10000 + 20.47208533844371
        let m = GLFT.quote(ctx(position: 0), p)
        #expect(near(m.bid, 9979.52791466155629, rel: 1e-12))
        #expect(near(m.ask, 10020.47208533844371, rel: 1e-12))
    }
}

@Suite struct AvellanedaStoikovTests {
    // s = 100, q = 3, gamma = 0.1, sigma = 2, T - t = 0.5, k = 1.5 worked by hand:
    //   gamma * sigma^2 * (T - t) = 0.1 * 4 * 0.5 = 0.2
    //   r = 100 - 3 * 0.2 = 99.4
    //   (2 / gamma) * ln(1 + gamma / k) = 20 * ln(1 + 0.1/1.5) = 20 * ln(16/15)
    //     ln(16/15) = 4 ln 2 - ln 15 = 2.772588722239781 - 2.708050201102210 = 0.064538521137571
    //     20 * 0.064538521137571 = 1.29077042275142
    //   spread = 0.2 + 1.29077042275142 = 1.49077042275142, half = 0.74538521137571
    //   bid = 99.4 - 0.74538521137571 = 98.65461478862429, ask = 99.4 + 0.74538521137571 = 100.14538521137571
    static let logTerm = 1.29077042275142
    static let spread = 1.49077042275142

    @Test func closedForms() {
        #expect(near(AvellanedaStoikov.reservationPrice(mid: 100, inventory: 3, gamma: 0.1, sigma: 2, timeLeft: 0.5), 99.4,
                     rel: 1e-13))
        #expect(near(2 * AvellanedaStoikov.halfSpread(gamma: 0.1, sigma: 2, k: 1.5, timeLeft: 0.5), Self.spread, rel: 1e-13))
        // A short inventory moves r up by the same amount: 100 + 3 * 0.2 = 100.6
        #expect(near(AvellanedaStoikov.reservationPrice(mid: 100, inventory: -3, gamma: 0.1, sigma: 2, timeLeft: 0.5),
                     100.6, rel: 1e-13))
    }

    private func ctx(position: Double, elapsed: Double) -> QuoteContext {
        QuoteContext(mid: 100, microprice: 100.3, imbalance: 0.5, sigma: 2, intensityA: 5, intensityK: 1.5,
                     position: position, maxPosition: 50, tick: 0.01, elapsed: elapsed)
    }

    @Test func rollingModeIgnoresElapsed() {
        // as_mode rolling (0): T - t = horizon = 0.5 whatever the clock says; q = 15 / 5 = 3.
        let p = params([(.gamma, 0.1), (.asMode, 0), (.horizon, 0.5), (.size, 5)])
        for elapsed in [0.0, 0.4, 1_000] {
            let m = AvellanedaStoikov.quote(ctx(position: 15, elapsed: elapsed), p)
            #expect(near(m.bid, 98.65461478862429, rel: 1e-12))
            #expect(near(m.ask, 100.14538521137571, rel: 1e-12))
            #expect(near(m.breakdown.reservationPrice, 99.4, rel: 1e-12))
            #expect(near(m.breakdown.halfSpread, Self.spread / 2, rel: 1e-12))
            #expect(near(m.breakdown.inventorySkew, -0.6, rel: 1e-12))
        }
    }

    @Test func finiteModeCountsDown() {
        // as_mode finite (1), horizon 10 s, elapsed 9.5 s: T - t = 0.5, the same numbers as above.
        let p = params([(.gamma, 0.1), (.asMode, 1), (.horizon, 10), (.size, 5)])
        let m = AvellanedaStoikov.quote(ctx(position: 15, elapsed: 9.5), p)
        #expect(near(m.bid, 98.65461478862429, rel: 1e-12))
        #expect(near(m.ask, 100.14538521137571, rel: 1e-12))

        // elapsed 8 s: T - t = 2 -> gamma sigma^2 tau = 0.1 * 4 * 2 = 0.8
        //   r = 100 - 3 * 0.8 = 97.6; spread = 0.8 + 1.29077042275142 = 2.09077042275142, half 1.04538521137571
        //   bid = 96.55461478862429, ask = 98.64538521137571
        let m2 = AvellanedaStoikov.quote(ctx(position: 15, elapsed: 8), p)
        #expect(near(m2.bid, 96.55461478862429, rel: 1e-12))
        #expect(near(m2.ask, 98.64538521137571, rel: 1e-12))
    }

    @Test func finiteModeClampsAtTheEnd() {
        // Past the horizon T - t = max(10 - 12, 0) = 0: r = s = 100 and only the log term is left,
        // spread = 1.29077042275142, half 0.64538521137571 -> 99.35461478862429 / 100.64538521137571.
        let p = params([(.gamma, 0.1), (.asMode, 1), (.horizon, 10), (.size, 5)])
        for elapsed in [10.0, 12.0] {
            let m = AvellanedaStoikov.quote(ctx(position: 15, elapsed: elapsed), p)
            #expect(near(m.breakdown.reservationPrice, 100, rel: 1e-13))
            #expect(near(m.bid, 99.35461478862429, rel: 1e-12))
            #expect(near(m.ask, 100.64538521137571, rel: 1e-12))
        }
    }

    @Test func finiteModeRollsOverWhenToldTo() {
        // as_end roll (1): past T the rolling horizon takes over, T - t = horizon = 10.
        //   gamma sigma^2 tau = 0.1 * 4 * 10 = 4; r = 100 - 3 * 4 = 88
        //   spread = 4 + 1.29077042275142, half 2.64538521137571 -> 85.35461478862429 / 90.64538521137571
        let p = params([(.gamma, 0.1), (.asMode, 1), (.horizon, 10), (.size, 5), (.asEnd, 1)])
        let m = AvellanedaStoikov.quote(ctx(position: 15, elapsed: 12), p)
        #expect(near(m.bid, 85.35461478862429, rel: 1e-12))
        #expect(near(m.ask, 90.64538521137571, rel: 1e-12))
        // Before T it still counts down: elapsed 9.5 s gives the T - t = 0.5 quote.
        let before = AvellanedaStoikov.quote(ctx(position: 15, elapsed: 9.5), p)
        #expect(near(before.bid, 98.65461478862429, rel: 1e-12))
        #expect(AvellanedaStoikov.sessionEnded(elapsed: 12, p) == false)
        #expect(AvellanedaStoikov.sessionEnded(elapsed: 12, params([(.asMode, 1), (.horizon, 10)])))
        #expect(AvellanedaStoikov.sessionEnded(elapsed: 10, params([(.asMode, 1), (.horizon, 10)])) == false)
    }

    @Test func eachSideHalvesTheLogTermWithItsOwnK() {
        // Rolling, T - t = 0.5, gamma 0.1, sigma 2, q = 0, mid 100: gamma sigma^2 tau / 2 = 0.1.
        //   bid k 1.5: 100 - 0.1 - ln(1 + 0.1 / 1.5) / 0.1 = 99.2546147886243
        //   ask k 0.5: 100 + 0.1 + ln(1 + 0.1 / 0.5) / 0.1 = 101.92321556793954
        var c = ctx(position: 0, elapsed: 0)
        c.askIntensity = Intensity(a: 5, k: 0.5)
        let m = AvellanedaStoikov.quote(c, params([(.gamma, 0.1), (.asMode, 0), (.horizon, 0.5), (.size, 5)]))
        #expect(near(m.bid, 99.2546147886243, rel: 1e-12))
        #expect(near(m.ask, 101.92321556793954, rel: 1e-12))
    }

    @Test func inventoryCountedInOrdersOfSize() {
        // size 3, position 9 -> q = 3 again: same quote as position 15 with size 5.
        let p = params([(.gamma, 0.1), (.asMode, 0), (.horizon, 0.5), (.size, 3)])
        let m = AvellanedaStoikov.quote(ctx(position: 9, elapsed: 0), p)
        #expect(near(m.bid, 98.65461478862429, rel: 1e-12))
        #expect(near(m.ask, 100.14538521137571, rel: 1e-12))
    }
}

@Suite struct LinearStrategyTests {
    // Shared parameters: half_spread 2 ticks, vol_mult 1, inv_widen 0.5, skew 3 ticks,
    // skew_amp 2, alpha 1 tick; sigma 0.5, tick 1.
    private func p(mode: Double = 0) -> ParameterSet {
        params([(.halfSpread, 2), (.volMult, 1), (.invWiden, 0.5), (.skew, 3), (.skewAmp, 2), (.alpha, 1),
                (.skewMode, mode)])
    }

    private func ctx(position: Double, maxPosition: Double, imbalance: Double = 0, microprice: Double = 100,
                     tick: Double = 1, sigma: Double = 0.5, mid: Double = 100) -> QuoteContext {
        QuoteContext(mid: mid, microprice: microprice, imbalance: imbalance, sigma: sigma, intensityA: 5,
                     intensityK: 0.5, position: position, maxPosition: maxPosition, tick: tick)
    }

    @Test func skewShareShape() {
        // u <= 0.7: share = u
        #expect(near(LinearStrategy.skewShare(position: 25, maxPosition: 50, amplification: 2), 0.5))
        #expect(near(LinearStrategy.skewShare(position: -35, maxPosition: 50, amplification: 2), -0.7))
        // u = 0.85: 0.85 * (1 + 2 * 0.15 / 0.3) = 0.85 * 2 = 1.7
        #expect(near(LinearStrategy.skewShare(position: 17, maxPosition: 20, amplification: 2), 1.7))
        // u = -1: -1 * (1 + 2 * 0.3 / 0.3) = -3
        #expect(near(LinearStrategy.skewShare(position: -20, maxPosition: 20, amplification: 2), -3))
        // amplification 0 leaves it linear
        #expect(near(LinearStrategy.skewShare(position: -20, maxPosition: 20, amplification: 0), -1))
        // no limit configured: no skew
        #expect(LinearStrategy.skewShare(position: 5, maxPosition: 0, amplification: 2) == 0)
    }

    @Test func halfPositionPriceSkew() {
        // u = 25/50 = 0.5, microprice 100.25, imbalance 0.2
        //   half = (2*1 + 1*0.5) * (1 + 0.5*0.5) = 2.5 * 1.25 = 3.125
        //   inventory skew = -3 * 0.5 * 1 = -1.5; alpha skew = 1 * 0.2 * 1 = 0.2
        //   centre = 100.25 - 1.5 + 0.2 = 98.95 -> bid 95.825, ask 102.075
        let m = LinearStrategy.quote(ctx(position: 25, maxPosition: 50, imbalance: 0.2, microprice: 100.25), p())
        #expect(near(m.bid, 95.825, rel: 1e-12))
        #expect(near(m.ask, 102.075, rel: 1e-12))
        #expect(near(m.breakdown.halfSpread, 3.125, rel: 1e-12))
        #expect(near(m.breakdown.inventorySkew, -1.5, rel: 1e-12))
        #expect(near(m.breakdown.alphaSkew, 0.2, rel: 1e-12))
        #expect(m.breakdown.fairValue == 100.25)
        #expect(near(m.breakdown.reservationPrice, 98.75, rel: 1e-12))
        #expect(m.bidSizeFactor == 1 && m.askSizeFactor == 1)
    }

    @Test func amplifiedPastSeventyPercent() {
        // u = 17/20 = 0.85, share 1.7 (see skewShareShape), imbalance 0, microprice 100
        //   half = 2.5 * (1 + 0.5*0.85) = 2.5 * 1.425 = 3.5625
        //   skew = -3 * 1.7 = -5.1 -> centre 94.9 -> bid 91.3375, ask 98.4625
        let m = LinearStrategy.quote(ctx(position: 17, maxPosition: 20), p())
        #expect(near(m.bid, 91.3375, rel: 1e-12))
        #expect(near(m.ask, 98.4625, rel: 1e-12))
        #expect(near(m.breakdown.inventorySkew, -5.1, rel: 1e-12))
    }

    @Test func fullShortPosition() {
        // u = -20/20 = -1, share -3: skew = -3 * -3 = +9; inventory use min(1, 1) = 1
        //   half = 2.5 * 1.5 = 3.75 -> centre 109 -> bid 105.25, ask 112.75
        let m = LinearStrategy.quote(ctx(position: -20, maxPosition: 20), p())
        #expect(near(m.bid, 105.25, rel: 1e-12))
        #expect(near(m.ask, 112.75, rel: 1e-12))
        // Beyond the limit inventory use stays at 1 (half 3.75); share = -1.5*(1 + 2*0.8/0.3) = -9.5,
        // skew = +28.5 -> centre 128.5 -> 124.75 / 132.25
        let beyond = LinearStrategy.quote(ctx(position: -30, maxPosition: 20), p())
        #expect(near(beyond.breakdown.halfSpread, 3.75, rel: 1e-12))
        #expect(near(beyond.bid, 124.75, rel: 1e-12))
        #expect(near(beyond.ask, 132.25, rel: 1e-12))
    }

    @Test func sizeMode() {
        // skew_mode size: no inventory price skew. Same context as halfPositionPriceSkew:
        //   centre = 100.25 + 0.2 = 100.45 -> bid 97.325, ask 103.575
        //   s = 0.5 -> bid factor 1 - 0.5 = 0.5, ask factor 1 + 0.5 = 1.5
        let m = LinearStrategy.quote(ctx(position: 25, maxPosition: 50, imbalance: 0.2, microprice: 100.25), p(mode: 1))
        #expect(near(m.bid, 97.325, rel: 1e-12))
        #expect(near(m.ask, 103.575, rel: 1e-12))
        #expect(m.breakdown.inventorySkew == 0)
        #expect(near(m.bidSizeFactor, 0.5))
        #expect(near(m.askSizeFactor, 1.5))
    }

    @Test func sizeModeClampsTheShare() {
        // u = 0.85 -> share 1.7, clamped to 1: bid factor 0, ask factor 2.
        let long = LinearStrategy.quote(ctx(position: 17, maxPosition: 20), p(mode: 1))
        #expect(near(long.bidSizeFactor, 0))
        #expect(near(long.askSizeFactor, 2))
        // prices: centre = microprice 100, half 3.5625 -> 96.4375 / 103.5625
        #expect(near(long.bid, 96.4375, rel: 1e-12))
        #expect(near(long.ask, 103.5625, rel: 1e-12))
        // u = -1 -> share -3, clamped to -1: bid factor 2, ask factor 0.
        let short = LinearStrategy.quote(ctx(position: -20, maxPosition: 20), p(mode: 1))
        #expect(near(short.bidSizeFactor, 2))
        #expect(near(short.askSizeFactor, 0))
    }

    @Test func bothMode() {
        // Prices as in price mode (95.825 / 102.075), sizes as in size mode (0.5 / 1.5).
        let m = LinearStrategy.quote(ctx(position: 25, maxPosition: 50, imbalance: 0.2, microprice: 100.25), p(mode: 2))
        #expect(near(m.bid, 95.825, rel: 1e-12))
        #expect(near(m.ask, 102.075, rel: 1e-12))
        #expect(near(m.breakdown.inventorySkew, -1.5, rel: 1e-12))
        #expect(near(m.bidSizeFactor, 0.5))
        #expect(near(m.askSizeFactor, 1.5))
    }

    @Test func priceUnitsScaleWithTick() {
        // tick 100 price units, sigma 50 units, microprice 1_000_025, u = 0.5, imbalance 0.2:
        //   half = (2*100 + 1*50) * 1.25 = 312.5
        //   skew = -3 * 0.5 * 100 = -150; alpha = 1 * 0.2 * 100 = 20
        //   centre = 1_000_025 - 150 + 20 = 999_895 -> bid 999_582.5, ask 1_000_207.5
        let m = LinearStrategy.quote(ctx(position: 25, maxPosition: 50, imbalance: 0.2, microprice: 1_000_025, tick: 100,
                                         sigma: 50, mid: 1_000_000), p())
        #expect(near(m.bid, 999_582.5, rel: 1e-13))
        #expect(near(m.ask, 1_000_207.5, rel: 1e-13))
    }

    @Test func fallsBackToMidWithoutMicroprice() {
        // Flat, imbalance 0: centre = mid 100, half = 2.5 -> 97.5 / 102.5
        let m = LinearStrategy.quote(ctx(position: 0, maxPosition: 50, microprice: .nan), p())
        #expect(near(m.bid, 97.5, rel: 1e-12))
        #expect(near(m.ask, 102.5, rel: 1e-12))
    }
}

@Suite struct SymmetricStrategyTests {
    @Test func fixedSpreadAroundMid() {
        // half_spread 2 ticks, tick 1, mid 100 -> 98 / 102, whatever position, microprice, sigma.
        let p = params([(.halfSpread, 2)])
        for position in [0.0, 40, -50] {
            let c = QuoteContext(mid: 100, microprice: 100.7, imbalance: 0.9, sigma: 3, intensityA: 5, intensityK: 0.5,
                                 position: position, maxPosition: 50, tick: 1)
            let m = SymmetricStrategy.quote(c, p)
            #expect(m.bid == 98)
            #expect(m.ask == 102)
            #expect(m.breakdown.inventorySkew == 0)
            #expect(m.bidSizeFactor == 1 && m.askSizeFactor == 1)
        }
    }

    @Test func tickInPriceUnits() {
        // half_spread 2.5 ticks of 100 units = 250 units around 1_000_050 -> 999_800 / 1_000_300
        let p = params([(.halfSpread, 2.5)])
        let c = QuoteContext(mid: 1_000_050, microprice: 1_000_070, sigma: 0, intensityA: 5, intensityK: 0.5,
                             position: 10, maxPosition: 50, tick: 100)
        let m = SymmetricStrategy.quote(c, p)
        #expect(m.bid == 999_800)
        #expect(m.ask == 1_000_300)
    }

    @Test func dispatchByKind() {
        // StrategyKind routes to the same functions: symmetric at half_spread 2 -> 98 / 102.
        let p = params([(.halfSpread, 2)])
        let c = QuoteContext(mid: 100, microprice: 101, sigma: 0, intensityA: 5, intensityK: 0.5, position: 10,
                             maxPosition: 50, tick: 1)
        let m = StrategyKind.symmetric.quote(c, p)
        #expect(m.bid == 98 && m.ask == 102)
        #expect(StrategyKind(rawValue: Int(p[.strategy])) == .linear)
    }
}

/// Ho & Stoll (1981): r = s - gamma sigma^2 T q, half = c + gamma sigma^2 T |q|.
/// With gamma 0.01, sigma 2 per sqrt-second and T 10 s, one unit costs 0.01 * 4 * 10 = 0.4;
/// c is 2 ticks of 1, and q counts orders of 5 lots.
@Suite struct HoStollTests {
    let p = params([(.strategy, 4), (.gamma, 0.01), (.horizon, 10), (.halfSpread, 2), (.size, 5)])

    func ctx(position: Double) -> QuoteContext {
        QuoteContext(mid: 10_000, microprice: 10_000, sigma: 2, intensityA: 1, intensityK: 1, position: position,
                     maxPosition: 50, tick: 1)
    }

    @Test func flatIsTheTransactionCostEitherSide() {
        let m = StrategyKind.hoStoll.quote(ctx(position: 0), p)
        #expect(m.bid == 9_998 && m.ask == 10_002)
    }

    @Test func longMovesTheBidAwayAndLeavesTheAskAtCost() {
        // q = 2: r = 10000 - 0.8 = 9999.2, half = 2 + 0.8 = 2.8.
        let m = StrategyKind.hoStoll.quote(ctx(position: 10), p)
        #expect(near(m.bid, 9_996.4) && near(m.ask, 10_002))
        #expect(near(m.breakdown.reservationPrice, 9_999.2) && near(m.breakdown.halfSpread, 2.8))
    }

    @Test func shortIsTheMirror() {
        // q = -2: r = 10000.8, half = 2.8.
        let m = StrategyKind.hoStoll.quote(ctx(position: -10), p)
        #expect(near(m.bid, 9_998) && near(m.ask, 10_003.6))
        #expect(StrategyKind(rawValue: Int(p[.strategy])) == .hoStoll && Param.strategyNames[4] == "ho-stoll")
    }
}

/// Cartea-Jaimungal style: delta_ask = 1/k + alpha tau - phi tau (2q - 1), delta_bid = 1/k -
/// alpha tau + phi tau (2q + 1). Here 1/k = 2, tau = 10 s, phi = 0.01 (phi tau = 0.1), and the
/// drift weight 0.02 per second.
@Suite struct CarteaJaimungalTests {
    let p = params([(.strategy, 5), (.horizon, 10), (.phi, 0.01), (.driftWeight, 0.02), (.size, 5)])

    func ctx(position: Double, microprice: Double, imbalance: Double) -> QuoteContext {
        QuoteContext(mid: 10_000, microprice: microprice, imbalance: imbalance, sigma: 1, intensityA: 1, intensityK: 0.5,
                     position: position, maxPosition: 50, tick: 1)
    }

    @Test func flatWithoutAlphaIsSymmetric() {
        // alpha 0, q 0: both depths 2 + 0.1.
        let m = StrategyKind.carteaJaimungal.quote(ctx(position: 0, microprice: 10_000, imbalance: 0), p)
        #expect(near(m.ask, 10_002.1) && near(m.bid, 9_997.9))
    }

    @Test func longWithAnUpDrift() {
        // alpha = 0.02 * (3 + 0.5 * 1) = 0.07, alpha tau = 0.7; q = 2.
        // ask depth 2 + 0.7 - 0.1 * 3 = 2.4, bid depth 2 - 0.7 + 0.1 * 5 = 1.8.
        let m = StrategyKind.carteaJaimungal.quote(ctx(position: 10, microprice: 10_003, imbalance: 0.5), p)
        #expect(near(m.ask, 10_002.4) && near(m.bid, 9_998.2))
        #expect(near(m.breakdown.reservationPrice, 10_000.3), "s + alpha tau - 2 phi tau q")
        #expect(near(m.breakdown.halfSpread, 2.1), "1/k + phi tau")
        #expect(near(CarteaJaimungal.alpha(ctx(position: 0, microprice: 10_003, imbalance: 0.5), weight: 0.02), 0.07))
        #expect(StrategyKind(rawValue: Int(p[.strategy])) == .carteaJaimungal && Param.strategyNames[5] == "cartea-jaimungal")
    }
}

/// Gueant, Lehalle & Fernandez-Tapia (2013) with inventory bounds: v(tau) = exp(-M tau) 1, M
/// tridiagonal with alpha q^2 on the diagonal and -eta beside it, alpha = k gamma sigma^2 / 2,
/// eta = A (1 + gamma/k)^-(1 + k/gamma); bid(q) = ln(v_q / v_q+1) / k + ln(1 + gamma/k) / gamma.
@Suite struct GLFTBoundedTests {
    /// k = 1, gamma = 1, sigma = sqrt 2, A = 4: alpha = 1, eta = 4 * 2^-2 = 1, base = ln 2.
    static let unit = GLFTBounded.Inputs(gamma: 1, sigma: 2.0.squareRoot(), a: 4, k: 1, bound: 1, horizon: 1e4, finite: false)

    /// exp(-M tau) 1 typed out independently: dense Taylor series with scaling and squaring.
    static func direct(_ i: GLFTBounded.Inputs, timeLeft tau: Double) -> [Double] {
        let n = 2 * i.bound + 1
        var a = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for r in 0..<n {
            let q = Double(r - i.bound)
            a[r][r] = -i.alpha * q * q * tau
            if r + 1 < n { a[r][r + 1] = i.eta * tau; a[r + 1][r] = i.eta * tau }
        }
        let norm = a.map { $0.reduce(0) { $0 + abs($1) } }.max() ?? 0
        let squarings = max(0, Int((norm).squareRoot().rounded(.up)) + 4)
        let scale = Double(1 << squarings)
        func mul(_ x: [[Double]], _ y: [[Double]]) -> [[Double]] {
            (0..<n).map { r in (0..<n).map { c in (0..<n).reduce(0) { $0 + x[r][$1] * y[$1][c] } } }
        }
        let b = a.map { $0.map { $0 / scale } }
        var e = (0..<n).map { r in (0..<n).map { c in r == c ? 1.0 : 0 } }
        var term = e
        for k in 1...30 {
            term = mul(term, b).map { $0.map { $0 / Double(k) } }
            e = (0..<n).map { r in (0..<n).map { c in e[r][c] + term[r][c] } }
        }
        for _ in 0..<squarings { e = mul(e, e) }
        return e.map { $0.reduce(0, +) }
    }

    @Test func aBoundOfOneByHand() {
        // Q = 1, stationary. On the symmetric vectors (v_-1 = v_1) M is [[1, -sqrt 2], [-sqrt 2, 0]]
        // with least eigenvalue (1 - 3) / 2 = -1, so v_0 / v_1 = (alpha - lambda) / eta = 2.
        let t = GLFTBounded.Table(Self.unit)
        let flat = t.distances(q: 0, timeLeft: 1e4), long = t.distances(q: 1, timeLeft: 1e4)
        let short = t.distances(q: -1, timeLeft: 1e4)
        #expect(near(flat.bid, 2 * Double.log(2)) && near(flat.ask, 2 * Double.log(2)))
        #expect(near(long.ask, 0) && long.bid == .infinity, "long at the bound: ln(1/2) + ln 2, and no bid")
        #expect(near(short.bid, 0) && short.ask == .infinity)
    }

    @Test func atTheEndBothSidesAreTheBaseDistanceWhateverTheInventory() {
        // tau = 0: v = 1, so every quote is ln(1 + gamma/k) / gamma = ln 2.
        var i = Self.unit
        i.bound = 3
        i.finite = true
        i.horizon = 30
        let t = GLFTBounded.Table(i)
        for q in -2...2 {
            let d = t.distances(q: Double(q), timeLeft: 0)
            #expect(near(d.bid, Double.log(2)) && near(d.ask, Double.log(2)), "q \(q)")
        }
    }

    @Test func theTableIsTheMatrixExponential() {
        // Typical desk numbers: gamma 0.1, sigma 2, A 5, k 0.5, Q 6, a 30 s session.
        let i = GLFTBounded.Inputs(gamma: 0.1, sigma: 2, a: 5, k: 0.5, bound: 6, horizon: 30, finite: true)
        let t = GLFTBounded.Table(i, steps: 10)
        for tau in [3.0, 15, 30] { // grid points: no interpolation
            let v = Self.direct(i, timeLeft: tau)
            for q in -6...6 {
                let d = t.distances(q: Double(q), timeLeft: tau)
                let j = q + 6
                if q < 6 { #expect(near(d.bid, Double.log(v[j] / v[j + 1]) / i.k + i.base, rel: 1e-8), "bid q \(q) tau \(tau)") }
                if q > -6 { #expect(near(d.ask, Double.log(v[j] / v[j - 1]) / i.k + i.base, rel: 1e-8), "ask q \(q) tau \(tau)") }
            }
        }
        // Long, the bid steps back and the ask comes in; the sides mirror each other.
        let long = t.distances(q: 3, timeLeft: 30), short = t.distances(q: -3, timeLeft: 30)
        #expect(long.bid > long.ask && near(long.bid, short.ask) && near(long.ask, short.bid))
    }

    @Test func farFromTheEndTheQuotesTendToTheClosedFormApproximation() {
        // gamma 0.05, sigma 1, A 20, k 1: alpha = 0.025, eta = 20 * 1.05^-21 = 7.18, so
        // sqrt(alpha / eta) = 0.059 and the inventory profile is some 17 orders wide: the bound
        // at 40 is far away and the continuous approximation holds (measured: within 0.2% at
        // q = -2...3). Closed form (GLFT 2013, the `glft` strategy): bid = c1 + (2q + 1) / 2 * sigma * c2.
        let i = GLFTBounded.Inputs(gamma: 0.05, sigma: 1, a: 20, k: 1, bound: 40, horizon: 1e5, finite: false)
        let t = GLFTBounded.Table(i)
        let c1 = Double.log(1 + 0.05) / 0.05
        let c2 = (0.05 / (2 * 20 * 1) * Double.pow(1 + 0.05, 1 / 0.05 + 1)).squareRoot()
        for q in [-2.0, 0, 1, 3] {
            let d = t.distances(q: q, timeLeft: 1e5)
            #expect(near(d.bid, c1 + (2 * q + 1) / 2 * c2, rel: 0.005), "bid at q \(q): \(d.bid)")
            #expect(near(d.ask, c1 - (2 * q - 1) / 2 * c2, rel: 0.005), "ask at q \(q): \(d.ask)")
        }
    }

    @Test func theStrategyQuotesFromTheTableAndStopsBuyingAtTheBound() {
        // size 5, max_position 10: Q = 2 orders. Fixed sigma and intensity, rolling horizon.
        let p = params([(.strategy, 6), (.size, 5), (.maxPosition, 10), (.gamma, 0.1), (.horizon, 60), (.sigma, 2),
                        (.volSource, 1), (.intensity, 1), (.intensityA, 5), (.intensityK, 0.5)])
        #expect(StrategyKind(rawValue: Int(p[.strategy])) == .glftBounded && Param.strategyNames[6] == "glft-bounded")
        let table = GLFTBounded.Table(GLFTBounded.Inputs(gamma: 0.1, sigma: 2, a: 5, k: 0.5, bound: 2, horizon: 60, finite: false))
        func ctx(_ position: Double) -> QuoteContext {
            QuoteContext(mid: 10_000, microprice: 10_000, sigma: 2, intensityA: 5, intensityK: 0.5, position: position,
                         maxPosition: 10, tick: 1)
        }
        let flat = StrategyKind.glftBounded.quote(ctx(0), p), d0 = table.distances(q: 0, timeLeft: 60)
        #expect(near(flat.bid, 10_000 - d0.bid) && near(flat.ask, 10_000 + d0.ask))
        let atBound = StrategyKind.glftBounded.quote(ctx(10), p), d2 = table.distances(q: 2, timeLeft: 60)
        #expect(atBound.bidSizeFactor == 0 && atBound.askSizeFactor == 1 && near(atBound.ask, 10_000 + d2.ask))
        // Seven and a half lots long is q = 1.5: halfway between the rows of q = 1 and q = 2.
        let d1 = table.distances(q: 1, timeLeft: 60)
        #expect(near(StrategyKind.glftBounded.quote(ctx(7.5), p).ask, 10_000 + (d1.ask + d2.ask) / 2))
    }

    @Test func itPricesWithTheSigmaAndIntensityParametersNotTheEstimates() {
        // The estimates in the context (sigma 5, A 9, k 2) move with every event; the table is
        // built from the parameters (sigma 2, A 5, k 0.5) when they change.
        let p = params([(.strategy, 6), (.size, 5), (.maxPosition, 10), (.gamma, 0.1), (.horizon, 60), (.sigma, 2),
                        (.intensityA, 5), (.intensityK, 0.5)])
        let ctx = QuoteContext(mid: 10_000, microprice: 10_000, sigma: 5, intensityA: 9, intensityK: 2, position: 5,
                               maxPosition: 10, tick: 1)
        let d = GLFTBounded.Table(GLFTBounded.Inputs(gamma: 0.1, sigma: 2, a: 5, k: 0.5, bound: 2, horizon: 60, finite: false))
            .distances(q: 1, timeLeft: 60)
        let m = StrategyKind.glftBounded.quote(ctx, p)
        #expect(near(m.bid, 10_000 - d.bid) && near(m.ask, 10_000 + d.ask) && m.breakdown.sigma == 2)
    }
}

/// The learned policy's machinery, with numbers worked by hand: 2 tilings of 2 bins a feature
/// (32 tiles a tiling); tiling 1 is shifted half a bin on every feature.
@Suite struct LearnedPolicyTests {
    let small = LearnedPolicy(actions: [.init(halfSpread: 1, skew: 0), .init(halfSpread: 2, skew: 1)], tilings: 2, bins: 2)

    @Test func eachTilingPutsAStateOnOneTile() {
        let zero: InlineArray<5, Double> = [0, 0, 0, 0, 0], one: InlineArray<5, Double> = [1, 1, 1, 1, 1]
        let inventory: InlineArray<5, Double> = [0.6, 0, 0, 0, 0]
        #expect(small.weights.count == 2 * 2 * 32)
        let t0 = small.tiles(zero), t1 = small.tiles(one), t2 = small.tiles(inventory)
        #expect(t0[0] == 0 && t0[1] == 32)
        #expect(t1[0] == 31 && t1[1] == 63, "bin 1 everywhere: 0b11111")
        // 0.6 stays in bin 0 of tiling 0; shifted half a bin it is in bin 1: 0b10000 = 16.
        #expect(t2[0] == 0 && t2[1] == 32 + 16)
    }

    @Test func aQStepMovesTheValueByTheRateTowardsTheTarget() {
        var p = small
        let tiles = p.tiles([0.6, 0, 0, 0, 0])
        p.learn(1, tiles, target: 2, rate: 0.5) // each tile +0.25 x 2: value 1
        #expect(p.value(1, tiles) == 1 && p.value(0, tiles) == 0)
        p.learn(1, tiles, target: 2, rate: 0.5) // each tile +0.25 x (2 - 1): value 1.5
        #expect(p.value(1, tiles) == 1.5)
        #expect(p.greedy(tiles).action == 1 && p.greedy(tiles).value == 1.5)
        // A state sharing one tile of two sees half of it.
        #expect(p.value(1, p.tiles([0.3, 0, 0, 0, 0])) == 0.75, "0.3 shares tiling 0's tile, not tiling 1's")
    }

    @Test func actionsQuoteAroundTheMid() {
        let ctx = QuoteContext(mid: 100, microprice: 100, sigma: 0, intensityA: 1, intensityK: 1, position: 3, maxPosition: 10, tick: 1)
        // half 2, skew 1: reservation 99, bid 97, ask 101.
        let q = small.quote(1, ctx)
        #expect(q.bid == 97 && q.ask == 101 && q.breakdown.reservationPrice == 99)
        // Flatten, long: only the ask, a tick above the mid.
        let flat = LearnedPolicy().quote(LearnedPolicy.standardActions.count - 1, ctx)
        #expect(flat.askSizeFactor == 1 && flat.bidSizeFactor == 0 && flat.ask == 101)
    }

    @Test func theBreakdownNamesTheActionAndTheBestOther() {
        var p = small
        let ctx = QuoteContext(mid: 100, microprice: 100, sigma: 0, intensityA: 1, intensityK: 1, position: 0, maxPosition: 10, tick: 1)
        let holder = PolicyHolder(p)
        p.learn(1, holder.tiles(ctx, ParameterSet()), target: 2, rate: 1) // action 1 worth 2 here, action 0 still 0
        holder.policy = p
        let m = holder.quote(ctx, ParameterSet())
        #expect(m.breakdown.policyAction == 1 && m.breakdown.policyValue == 2)
        #expect(m.breakdown.policyRunnerUp == 0 && m.breakdown.policyRunnerUpValue == 0)
        holder.chosen = 0 // the trainer explores: the chosen action, and the greedy one as the runner-up
        let explored = holder.quote(ctx, ParameterSet())
        #expect(explored.breakdown.policyAction == 0 && explored.breakdown.policyRunnerUp == 1)
    }

    @Test func featuresAreScaledToTheUnitInterval() {
        var p = ParameterSet()
        p.set(.maxPosition, 50); p.set(.volLimit, 100); p.set(.volWarn, 20)
        // Short 25 of 50: 0.25; sigma 10 over 20: 0.5; imbalance 0.5: 0.75; spread 4 of 10: 0.4; rolling: 1.
        let ctx = QuoteContext(mid: 100, microprice: 100, imbalance: 0.5, sigma: 10, intensityA: 1, intensityK: 1, position: -25,
                               maxPosition: 50, tick: 1)
        let x = LearnedPolicy.features(ctx, spreadSteps: 4, p)
        #expect(x[0] == 0.25 && x[1] == 0.5 && x[2] == 0.75 && x[3] == 0.4 && x[4] == 1)
    }
}
