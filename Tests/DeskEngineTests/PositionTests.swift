import DeskCore
@testable import DeskEngine
import Testing

// Every money figure below is worked out by hand. Money is an integer count of 1e-8 currency;
// a trade's cash is price.units x lots x moneyPerPriceLot, where
//   cents instrument:   priceDecimals 2, tick 1   -> moneyPerPriceLot = 10^(8-2) = 1_000_000
//   LOBSTER instrument: priceDecimals 4, tick 100 -> moneyPerPriceLot = 10^(8-4) = 10_000
// so 10 lots at 100.00 is 10_000 x 10 x 1_000_000 = 1_000_000 x 10 x 10_000 = 100_000_000_000
// (1000.00 currency) in both. One currency = 100_000_000 units; 0.01 = 1_000_000 units.

private let cents = Instrument(symbol: "T", priceDecimals: 2, tickSize: 1)
private let lobster = Instrument(symbol: "L", priceDecimals: 4, tickSize: 100)

/// A price given in hundredths of the currency (10_000 = 100.00), in the instrument's units.
private func px(_ hundredths: Int64, _ instrument: Instrument) -> Price {
    var scale: Int64 = 1
    for _ in 0..<(instrument.priceDecimals - 2) { scale *= 10 }
    return Price(hundredths * scale)
}

@Suite("Position and P&L")
struct PositionTests {
    /// A restored position has no value until a market marks it: the peak must not be taken
    /// from realized P&L alone (a loss-making open position would pass for a new high).
    @Test func aPositionWithoutAMarketSetsNoPeak() {
        // Long 10 at 100.00 costs 1000.00; realized +5.00 earlier; the market is now 99.00.
        var p = Position(qty: 10, openCost: Money(currency: 1_000), realized: Money(currency: 5), fees: .zero)
        p.mark(bid: .undefined, ask: .undefined, cents)
        #expect(p.peakNet == .zero, "no market, no peak")
        p.mark(bid: Price(98_99), ask: Price(99_01), cents)
        // Net = 5.00 + (990.00 - 1000.00) = -5.00: below zero, so the peak stays 0 and drawdown is 5.
        #expect(p.net == Money(currency: -5))
        #expect(p.peakNet == .zero && p.drawdown == Money(currency: 5))
    }

    @Test func instrumentScalesAreWhatTheTestsAssume() {
        #expect(cents.moneyPerPriceLot == 1_000_000)
        #expect(lobster.moneyPerPriceLot == 10_000)
        #expect(px(10_000, cents) == Price(10_000))
        #expect(px(10_000, lobster) == Price(1_000_000))
    }

    /// buy 10 @ 100.00, buy 10 @ 102.00, sell 5 @ 103.00, sell 25 @ 99.00 (flip), buy 10 @ 98.00.
    @Test(arguments: [cents, lobster])
    func pnlThroughAFlip(_ ins: Instrument) {
        var p = Position()
        // Average price is reported in price units: 100.00 is 10_000 (cents) or 1_000_000 (LOBSTER).
        let unitsPerHundredth = Double(px(1, ins).units)

        // 1) buy 10 @ 100.00, fee 0.50. Cost 10 x 100.00 = 1000.00 = 100_000_000_000.
        var r = p.apply(side: .buy, price: px(10_000, ins), qty: Qty(10), fee: Money(50_000_000), ins)
        #expect(r == .zero)
        #expect(p.qty == 10)
        #expect(p.openCost == Money(100_000_000_000))
        #expect(p.averagePrice(ins) == 10_000 * unitsPerHundredth)
        // Mark at 100.50 / 100.52, mid 100.51: 10 x 0.51 = 5.10 = 510_000_000.
        p.mark(bid: px(10_050, ins), ask: px(10_052, ins), ins)
        #expect(p.unrealized == Money(510_000_000))
        #expect(p.fees == Money(50_000_000))
        #expect(p.net == Money(460_000_000)) // 0 + 510_000_000 - 50_000_000
        #expect(p.peakNet == Money(460_000_000))
        #expect(p.drawdown == .zero)

        // 2) buy 10 @ 102.00, fee 0.51. Cost 1020.00; open cost 2020.00 for 20 -> avg 101.00.
        r = p.apply(side: .buy, price: px(10_200, ins), qty: Qty(10), fee: Money(51_000_000), ins)
        #expect(r == .zero)
        #expect(p.qty == 20)
        #expect(p.openCost == Money(202_000_000_000))
        #expect(p.averagePrice(ins) == 10_100 * unitsPerHundredth)
        // Mark 101.00 / 101.01, mid 101.005 (half a cents-unit): 20 x 0.005 = 0.10 = 10_000_000.
        p.mark(bid: px(10_100, ins), ask: px(10_101, ins), ins)
        #expect(p.unrealized == Money(10_000_000))
        #expect(p.realized == .zero)
        #expect(p.fees == Money(101_000_000)) // 0.50 + 0.51
        #expect(p.net == Money(-91_000_000)) // 10_000_000 - 101_000_000
        #expect(p.peakNet == Money(460_000_000))
        #expect(p.drawdown == Money(551_000_000)) // 460_000_000 - (-91_000_000)

        // 3) sell 5 @ 103.00, rebate 0.025. Realized 5 x (103.00 - 101.00) = 10.00.
        //    Released cost 2020.00 x 5/20 = 505.00; left 1515.00 for 15, avg still 101.00.
        r = p.apply(side: .sell, price: px(10_300, ins), qty: Qty(5), fee: Money(-2_500_000), ins)
        #expect(r == Money(1_000_000_000))
        #expect(p.realized == Money(1_000_000_000))
        #expect(p.qty == 15)
        #expect(p.openCost == Money(151_500_000_000))
        #expect(p.averagePrice(ins) == 10_100 * unitsPerHundredth)
        // Mark 103.00 / 103.02, mid 103.01: 15 x 2.01 = 30.15 = 3_015_000_000.
        p.mark(bid: px(10_300, ins), ask: px(10_302, ins), ins)
        #expect(p.unrealized == Money(3_015_000_000))
        #expect(p.fees == Money(98_500_000)) // 101_000_000 - 2_500_000
        #expect(p.net == Money(3_916_500_000)) // 1_000_000_000 + 3_015_000_000 - 98_500_000
        #expect(p.peakNet == Money(3_916_500_000))
        #expect(p.drawdown == .zero)

        // 4) sell 25 @ 99.00, fee 1.23. Closes 15: 15 x (99.00 - 101.00) = -30.00.
        //    The other 10 open a short at 99.00: open cost -990.00.
        r = p.apply(side: .sell, price: px(9_900, ins), qty: Qty(25), fee: Money(123_000_000), ins)
        #expect(r == Money(-3_000_000_000))
        #expect(p.realized == Money(-2_000_000_000)) // 10.00 - 30.00
        #expect(p.qty == -10)
        #expect(p.openCost == Money(-99_000_000_000))
        #expect(p.averagePrice(ins) == 9_900 * unitsPerHundredth)
        // Mark 98.99 / 99.00, mid 98.995: short 10 from 99.00 gains 10 x 0.005 = 0.05 = 5_000_000.
        p.mark(bid: px(9_899, ins), ask: px(9_900, ins), ins)
        #expect(p.unrealized == Money(5_000_000))
        #expect(p.fees == Money(221_500_000)) // 98_500_000 + 123_000_000
        #expect(p.net == Money(-2_216_500_000)) // -2_000_000_000 + 5_000_000 - 221_500_000
        #expect(p.peakNet == Money(3_916_500_000))
        #expect(p.drawdown == Money(6_133_000_000)) // 3_916_500_000 + 2_216_500_000

        // 5) buy 10 @ 98.00, fee 0.49. Covers the short: 10 x (99.00 - 98.00) = +10.00. Flat.
        r = p.apply(side: .buy, price: px(9_800, ins), qty: Qty(10), fee: Money(49_000_000), ins)
        #expect(r == Money(1_000_000_000))
        #expect(p.realized == Money(-1_000_000_000)) // -20.00 + 10.00
        #expect(p.qty == 0)
        #expect(p.openCost == .zero)
        #expect(p.averagePrice(ins).isNaN)
        p.mark(bid: px(9_799, ins), ask: px(9_801, ins), ins)
        #expect(p.unrealized == .zero)
        #expect(p.fees == Money(270_500_000)) // 221_500_000 + 49_000_000
        #expect(p.net == Money(-1_270_500_000)) // -1_000_000_000 - 270_500_000
        #expect(p.peakNet == Money(3_916_500_000))
        #expect(p.drawdown == Money(5_187_000_000)) // 3_916_500_000 + 1_270_500_000

        // Volume 10 + 10 + 5 + 25 + 10 = 60 lots. Turnover 1000.00 + 1020.00 + 515.00 + 2475.00
        // + 980.00 = 5990.00 = 599_000_000_000.
        #expect(p.volume == 60)
        #expect(p.turnover == Money(599_000_000_000))
        #expect(p.fills == 5)
    }

    @Test(arguments: [cents, lobster])
    func flipFromShortToLong(_ ins: Instrument) {
        var p = Position()
        // sell 4 @ 100.00: open cost -400.00.
        p.apply(side: .sell, price: px(10_000, ins), qty: Qty(4), fee: .zero, ins)
        #expect(p.qty == -4)
        #expect(p.openCost == Money(-40_000_000_000))
        // buy 10 @ 101.00: covers 4 at a loss of 4 x 1.00 = -4.00, opens long 6 at 101.00 (606.00).
        let r = p.apply(side: .buy, price: px(10_100, ins), qty: Qty(10), fee: .zero, ins)
        #expect(r == Money(-400_000_000))
        #expect(p.qty == 6)
        #expect(p.openCost == Money(60_600_000_000))
        #expect(p.averagePrice(ins) == Double(px(10_100, ins).units))
    }

    @Test func exactFlipClosesToFlat() {
        var p = Position()
        p.apply(side: .buy, price: Price(10_000), qty: Qty(7), fee: .zero, cents)
        // sell exactly 7 @ 100.03: 7 x 0.03 = 0.21 = 21_000_000; nothing opened.
        let r = p.apply(side: .sell, price: Price(10_003), qty: Qty(7), fee: .zero, cents)
        #expect(r == Money(21_000_000))
        #expect(p.qty == 0)
        #expect(p.openCost == .zero)
    }

    @Test func roundTripRealizesExactlyDespiteIntegerRemainderLong() {
        var p = Position()
        // buy 1 @ 100.00, 1 @ 100.01, 1 @ 100.01: cost (10_000 + 10_001 + 10_001) x 1_000_000
        // = 30_002_000_000, and 30_002_000_000 / 3 = 10_000_666_666.67: not a whole unit.
        p.apply(side: .buy, price: Price(10_000), qty: Qty(1), fee: .zero, cents)
        p.apply(side: .buy, price: Price(10_001), qty: Qty(1), fee: .zero, cents)
        p.apply(side: .buy, price: Price(10_001), qty: Qty(1), fee: .zero, cents)
        #expect(p.openCost == Money(30_002_000_000))
        #expect(30_002_000_000 % 3 != 0)
        // sell 1 @ 101.00: releases 30_002_000_000 x 1/3 = 10_000_666_666 (remainder 2 kept).
        //   realized 10_100_000_000 - 10_000_666_666 = 99_333_334; left 20_001_333_334.
        let r1 = p.apply(side: .sell, price: Price(10_100), qty: Qty(1), fee: .zero, cents)
        #expect(r1 == Money(99_333_334))
        #expect(p.openCost == Money(20_001_333_334))
        // sell 1 @ 100.50: releases 20_001_333_334 / 2 = 10_000_666_667.
        //   realized 10_050_000_000 - 10_000_666_667 = 49_333_333; left 10_000_666_667.
        let r2 = p.apply(side: .sell, price: Price(10_050), qty: Qty(1), fee: .zero, cents)
        #expect(r2 == Money(49_333_333))
        #expect(p.openCost == Money(10_000_666_667))
        // sell 1 @ 99.99: releases all the rest. realized 9_999_000_000 - 10_000_666_667 = -1_666_667.
        let r3 = p.apply(side: .sell, price: Price(9_999), qty: Qty(1), fee: .zero, cents)
        #expect(r3 == Money(-1_666_667))
        // Proceeds (10_100 + 10_050 + 9_999) x 1e6 = 30_149_000_000; costs 30_002_000_000;
        // round trip = 147_000_000 exactly (99_333_334 + 49_333_333 - 1_666_667).
        #expect(p.realized == Money(147_000_000))
        #expect(r1 + r2 + r3 == Money(147_000_000))
        #expect(p.qty == 0)
        #expect(p.openCost == .zero) // no residue left behind
    }

    @Test func roundTripRealizesExactlyDespiteIntegerRemainderShort() {
        var p = Position()
        // sell 1 @ 100.00, 1 @ 100.01, 1 @ 100.01: received 30_002_000_000, not divisible by 3.
        p.apply(side: .sell, price: Price(10_000), qty: Qty(1), fee: .zero, cents)
        p.apply(side: .sell, price: Price(10_001), qty: Qty(1), fee: .zero, cents)
        p.apply(side: .sell, price: Price(10_001), qty: Qty(1), fee: .zero, cents)
        #expect(p.qty == -3)
        #expect(p.openCost == Money(-30_002_000_000))
        // buy back 1 @ 99.00, 1 @ 99.50, 1 @ 100.02: paid (9_900 + 9_950 + 10_002) x 1e6
        // = 29_852_000_000. Round trip = 30_002_000_000 - 29_852_000_000 = 150_000_000.
        let r1 = p.apply(side: .buy, price: Price(9_900), qty: Qty(1), fee: .zero, cents)
        let r2 = p.apply(side: .buy, price: Price(9_950), qty: Qty(1), fee: .zero, cents)
        let r3 = p.apply(side: .buy, price: Price(10_002), qty: Qty(1), fee: .zero, cents)
        // Each leg is within one unit of its exact share: 30_002_000_000 / 3 = 10_000_666_666.67
        // per lot, so leg 1 is 10_000_666_666.67 - 9_900_000_000 = 100_666_666.67.
        #expect(abs(r1.units * 3 - 302_000_000) < 3) // 3 x 100_666_666.67 = 302_000_000
        #expect(r1 + r2 + r3 == Money(150_000_000))
        #expect(p.realized == Money(150_000_000))
        #expect(p.qty == 0)
        #expect(p.openCost == .zero)
    }

    @Test func remainderSurvivesAPartialCloseAndFlip() {
        var p = Position()
        // buy 1 @ 100.00, 1 @ 100.00, 1 @ 100.02: cost (10_000 + 10_000 + 10_002) x 1e6
        // = 30_002_000_000, not divisible by 3.
        p.apply(side: .buy, price: Price(10_000), qty: Qty(1), fee: .zero, cents)
        p.apply(side: .buy, price: Price(10_000), qty: Qty(1), fee: .zero, cents)
        p.apply(side: .buy, price: Price(10_002), qty: Qty(1), fee: .zero, cents)
        // sell 1 @ 101.00 closes a third, leaving a remainder in the open cost.
        p.apply(side: .sell, price: Price(10_100), qty: Qty(1), fee: .zero, cents)
        // sell 4 @ 101.00: closes the last 2 and opens short 2 @ 101.00.
        p.apply(side: .sell, price: Price(10_100), qty: Qty(4), fee: .zero, cents)
        // Realized over the 3 closed lots = 3 x 10_100 x 1e6 - 30_002_000_000
        // = 30_300_000_000 - 30_002_000_000 = 298_000_000, whatever the split between the legs.
        #expect(p.realized == Money(298_000_000))
        #expect(p.qty == -2)
        // The new short is 2 x 10_100 x 1e6 received; no remainder of the long carried over.
        #expect(p.openCost == Money(-20_200_000_000))
    }

    @Test func unrealizedAtMidIncludingHalfUnit() {
        // Long 3 @ 100.00 (cost 30_000_000_000), bid 100.00 / ask 100.01: mid 100.005, half a
        // price unit. 3 x 0.005 = 0.015 = 1_500_000.
        var long = Position()
        long.apply(side: .buy, price: Price(10_000), qty: Qty(3), fee: .zero, cents)
        long.mark(bid: Price(10_000), ask: Price(10_001), cents)
        #expect(long.unrealized == Money(1_500_000))
        // Short 3 @ 100.00 at the same mid loses the same.
        var short = Position()
        short.apply(side: .sell, price: Price(10_000), qty: Qty(3), fee: .zero, cents)
        short.mark(bid: Price(10_000), ask: Price(10_001), cents)
        #expect(short.unrealized == Money(-1_500_000))
        // Odd lots and a half-unit mid: long 7 @ 100.00, mid 99.995: 7 x -0.005 = -0.035.
        var odd = Position()
        odd.apply(side: .buy, price: Price(10_000), qty: Qty(7), fee: .zero, cents)
        odd.mark(bid: Price(9_999), ask: Price(10_000), cents)
        #expect(odd.unrealized == Money(-3_500_000))
        // LOBSTER: long 3 @ 100.0000, bid 100.0000 / ask 100.0100 (one tick): mid 100.0050.
        var lob = Position()
        lob.apply(side: .buy, price: Price(1_000_000), qty: Qty(3), fee: .zero, lobster)
        lob.mark(bid: Price(1_000_000), ask: Price(1_000_100), lobster)
        #expect(lob.unrealized == Money(1_500_000))
    }

    @Test func markWithAnEmptySideKeepsLastMarkAndFlatIsZero() {
        var p = Position()
        p.apply(side: .buy, price: Price(10_000), qty: Qty(2), fee: .zero, cents)
        p.mark(bid: Price(10_010), ask: Price(10_010), cents) // 2 x 0.10 = 0.20
        #expect(p.unrealized == Money(20_000_000))
        p.mark(bid: .undefined, ask: Price(10_500), cents) // no mid: keep the last mark
        #expect(p.unrealized == Money(20_000_000))
        p.apply(side: .sell, price: Price(10_010), qty: Qty(2), fee: .zero, cents)
        p.mark(bid: .undefined, ask: .undefined, cents) // flat: nothing unrealized
        #expect(p.unrealized == .zero)
        #expect(p.realized == Money(20_000_000))
        #expect(p.net == Money(20_000_000))
    }

    @Test func peakAndDrawdown() {
        var p = Position()
        // Peak starts at zero: a loss from the start is a drawdown.
        p.apply(side: .buy, price: Price(10_000), qty: Qty(1), fee: .zero, cents)
        p.mark(bid: Price(9_900), ask: Price(9_900), cents) // -1.00
        #expect(p.net == Money(-100_000_000))
        #expect(p.peakNet == .zero)
        #expect(p.drawdown == Money(100_000_000))
        p.mark(bid: Price(10_200), ask: Price(10_200), cents) // +2.00: new peak
        #expect(p.peakNet == Money(200_000_000))
        #expect(p.drawdown == .zero)
        p.mark(bid: Price(10_140), ask: Price(10_160), cents) // mid 101.50: +1.50
        #expect(p.net == Money(150_000_000))
        #expect(p.peakNet == Money(200_000_000))
        #expect(p.drawdown == Money(50_000_000))
        // A fee lowers net at the next mark: sell 1 @ 101.50 with fee 0.10 -> realized 1.50,
        // net 1.50 - 0.10 = 1.40, drawdown 2.00 - 1.40 = 0.60.
        p.apply(side: .sell, price: Price(10_150), qty: Qty(1), fee: Money(10_000_000), cents)
        p.mark(bid: Price(10_140), ask: Price(10_160), cents)
        #expect(p.net == Money(140_000_000))
        #expect(p.drawdown == Money(60_000_000))
    }

    @Test func volumeTurnoverAndFills() {
        var p = Position()
        // LOBSTER: buy 100 @ 123.4500 -> 1_234_500 x 100 x 10_000 = 1_234_500_000_000 (12345.00).
        p.apply(side: .buy, price: Price(1_234_500), qty: Qty(100), fee: .zero, lobster)
        // sell 40 @ 123.4600 -> 1_234_600 x 40 x 10_000 = 493_840_000_000 (4938.40).
        let r = p.apply(side: .sell, price: Price(1_234_600), qty: Qty(40), fee: .zero, lobster)
        #expect(r == Money(40_000_000)) // 40 x 0.01 = 0.40
        #expect(p.volume == 140)
        #expect(p.turnover == Money(1_728_340_000_000)) // 1_234_500_000_000 + 493_840_000_000
        #expect(p.fills == 2)
        #expect(p.qty == 60)
    }

    @Test func restoredPositionClosesFromItsOpenCost() {
        // Long 5 with open cost 500.00 (avg 100.00), 0.00000007 realized, 0.00000003 fees so far.
        var p = Position(qty: 5, openCost: Money(50_000_000_000), realized: Money(7), fees: Money(3))
        // sell 5 @ 101.00: 505.00 - 500.00 = 5.00 = 500_000_000.
        let r = p.apply(side: .sell, price: Price(10_100), qty: Qty(5), fee: Money(1), cents)
        #expect(r == Money(500_000_000))
        #expect(p.realized == Money(500_000_007))
        #expect(p.fees == Money(4))
        #expect(p.qty == 0)
    }

    @Test func portfolioSumsWithItsOwnPeakAndDrawdown() {
        var a = Position() // cents
        var b = Position() // LOBSTER
        var book = PortfolioPnL()
        // Each change to a position is handed to the portfolio as it happens, old -> new, as
        // the engine does; the portfolio's peak is over those moments.
        var heldA = Position(), heldB = Position()
        func handA() { book.replace(heldA, with: a); heldA = a }
        func handB() { book.replace(heldB, with: b); heldB = b }
        // A: buy 1 @ 100.00 (turnover 10_000_000_000), fee 0.01.
        a.apply(side: .buy, price: Price(10_000), qty: Qty(1), fee: Money(1_000_000), cents)
        handA()
        // B: sell 2 @ 50.0000 (500_000 x 2 x 10_000 = 10_000_000_000), fee 0.02.
        b.apply(side: .sell, price: Price(500_000), qty: Qty(2), fee: Money(2_000_000), lobster)
        handB()

        // Marks: A at 101.00 (+1.00), B at 50.00 (0).
        a.mark(bid: Price(10_099), ask: Price(10_101), cents)
        handA()
        b.mark(bid: Price(499_900), ask: Price(500_100), lobster)
        handB()
        #expect(book.realized == .zero)
        #expect(book.unrealized == Money(100_000_000))
        #expect(book.fees == Money(3_000_000))
        #expect(book.net == Money(97_000_000)) // 1.00 - 0.03
        #expect(book.peakNet == Money(97_000_000))
        #expect(book.drawdown == .zero)
        #expect(book.volume == 3)
        #expect(book.turnover == Money(20_000_000_000))

        // A falls to 100.50 (+0.50), B's short gains at 49.00 (2 x 1.00 = +2.00).
        a.mark(bid: Price(10_049), ask: Price(10_051), cents)
        handA()
        b.mark(bid: Price(489_900), ask: Price(490_100), lobster)
        handB()
        #expect(book.unrealized == Money(250_000_000))
        #expect(book.net == Money(247_000_000)) // 2.50 - 0.03
        #expect(book.peakNet == Money(247_000_000))
        #expect(book.drawdown == .zero)
        // A alone is in drawdown (peak 0.99, now 0.49): the portfolio's is not the sum.
        #expect(a.drawdown == Money(50_000_000))

        // B's short loses at 50.50 (2 x -0.50 = -1.00); A unchanged +0.50.
        b.mark(bid: Price(504_900), ask: Price(505_100), lobster)
        handB()
        #expect(book.unrealized == Money(-50_000_000))
        #expect(book.net == Money(-53_000_000)) // -0.50 - 0.03
        #expect(book.peakNet == Money(247_000_000))
        #expect(book.drawdown == Money(300_000_000)) // 2.47 - (-0.53)

        // A sells 1 @ 101.00, fee 0.01: realized +1.00, flat.
        a.apply(side: .sell, price: Price(10_100), qty: Qty(1), fee: Money(1_000_000), cents)
        handA()
        a.mark(bid: Price(10_099), ask: Price(10_101), cents)
        handA()
        #expect(book.realized == Money(100_000_000))
        #expect(book.unrealized == Money(-100_000_000))
        #expect(book.fees == Money(4_000_000))
        #expect(book.net == Money(-4_000_000)) // 1.00 - 1.00 - 0.04
        #expect(book.drawdown == Money(251_000_000)) // 2.47 + 0.04
        #expect(book.volume == 4)
        #expect(book.turnover == Money(30_100_000_000)) // + 10_100 x 1 x 1e6
    }
}
