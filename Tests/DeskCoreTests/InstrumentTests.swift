import Testing
@testable import DeskCore

@Suite struct InstrumentTests {
    /// LOBSTER-style equity: dollars x 10000, a cent tick, whole shares.
    let equity = Instrument(symbol: "AAPL", priceDecimals: 4, tickSize: 100, qtyDecimals: 0,
                            makerFeePpm: -20, takerFeePpm: 30)
    /// Binance-style future: one price decimal, 0.001 BTC lots.
    let future = Instrument(symbol: "BTCUSDT", priceDecimals: 1, tickSize: 1, qtyDecimals: 3,
                            makerFeePpm: 200, takerFeePpm: 500)

    @Test func notionalIsExactCash() {
        // 100 shares at 585.31 = 58,531.00 currency = 5,853,100,000,000 money units.
        #expect(equity.notional(Price(5_853_100), Qty(100)) == Money(5_853_100_000_000))
        // 0.005 BTC at 61234.5 = 306.1725 currency.
        #expect(future.notional(Price(612_345), Qty(5)) == Money(30_617_250_000))
    }

    @Test func feesRoundAgainstTheDesk() {
        // Taker 500 ppm of 306.1725 = 0.15308625 exactly.
        #expect(future.fee(Price(612_345), Qty(5), .taker) == Money(15_308_625))
        // Maker 200 ppm of 0.1 x 0.001 = 0.0001 currency -> 0.00000002 = 2 units exactly.
        #expect(future.fee(Price(1), Qty(1), .maker) == Money(2))
        // 1 share at 0.0001: notional 10,000 units; taker 30 ppm = 0.3 units -> charged 1 unit.
        #expect(equity.fee(Price(1), Qty(1), .taker) == Money(1))
        // Rebate of 20 ppm = 0.2 units -> rounds toward zero: no rebate credited.
        #expect(equity.fee(Price(1), Qty(1), .maker) == Money(0))
        // Rebate on 58,531.00: 20 ppm = 1.17062 currency = -117,062,000 units.
        #expect(equity.fee(Price(5_853_100), Qty(100), .maker) == Money(-117_062_000))
    }

    @Test func modelPricesRoundBidsDownAndAsksUp() {
        #expect(equity.bidPrice(fromModel: 5_853_199.9) == Price(5_853_100))
        #expect(equity.askPrice(fromModel: 5_853_100.1) == Price(5_853_200))
        // On a tick already: stays, even after float noise.
        #expect(equity.bidPrice(fromModel: 5_853_100.000_000_1) == Price(5_853_100))
        #expect(equity.askPrice(fromModel: 5_853_099.999_999_9) == Price(5_853_100))
        #expect(equity.bidPrice(fromModel: .nan) == .undefined)
        #expect(equity.askPrice(fromModel: .infinity) == .undefined)
        #expect(equity.format(Price(5_853_100)) == "585.3100")
        #expect(future.format(Qty(5)) == "0.005")
    }

    @Test func validationNamesTheProblem() {
        #expect(equity.validate() == nil)
        var bad = equity
        bad.tickSize = 0
        #expect(bad.validate() == "tick size must be positive")
        bad = future
        bad.priceDecimals = 6
        #expect(bad.validate()?.contains("exceeds 8") == true)
    }
}
