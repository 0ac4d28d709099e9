import Testing
@testable import DeskCore

@Suite struct DecimalsTests {
    @Test func formatsWithInstrumentDecimals() {
        #expect(Decimals.format(5853100, decimals: 4, places: 2) == "585.31")
        #expect(Decimals.format(5853150, decimals: 4, places: 2) == "585.32") // half away from zero
        #expect(Decimals.format(-5853150, decimals: 4, places: 2) == "-585.32")
        #expect(Decimals.format(5, decimals: 3, places: 3) == "0.005")
        #expect(Decimals.format(612345, decimals: 1, places: 1) == "61234.5")
        #expect(Decimals.format(7, decimals: 0, places: 2) == "7.00")
        #expect(Decimals.format(-4, decimals: 4, places: 2) == "0.00") // rounds to zero: no "-0.00"
    }

    @Test func parsesWithoutDouble() {
        #expect(Decimals.parse("61234.50", decimals: 1) == 612345)
        #expect(Decimals.parse("61234.5", decimals: 1) == 612345)
        #expect(Decimals.parse("0.001", decimals: 3) == 1)
        #expect(Decimals.parse("12", decimals: 3) == 12000)
        #expect(Decimals.parse("-0.250", decimals: 2) == -25)
        #expect(Decimals.parse("1.000000000", decimals: 3) == 1000) // surplus zeros are fine
        // 0.1 + 0.2 style inputs stay exact: 0.3 in 17 decimals is exactly 3 x 10^16.
        #expect(Decimals.parse("0.3", decimals: 17) == 30_000_000_000_000_000)
    }

    @Test func refusesMalformedNumbers() {
        #expect(Decimals.parse("0.0015", decimals: 3) == nil) // not a whole lot
        #expect(Decimals.parse("", decimals: 2) == nil)
        #expect(Decimals.parse("-", decimals: 2) == nil)
        #expect(Decimals.parse("1.2.3", decimals: 2) == nil)
        #expect(Decimals.parse("12a", decimals: 2) == nil)
        #expect(Decimals.parse("99999999999999999999", decimals: 0) == nil) // overflow
        #expect(Decimals.parse("92233720368547758.08", decimals: 2) == nil)
    }
}
