import DeskCore
import Testing
@testable import DeskConsole

/// Theme colours mapped to what a terminal has, against xterm's palette worked out by hand.
@Suite struct ColorTests {
    @Test func parsesHexColours() {
        #expect(RGB(hex: "#3fB950") == RGB(0x3f, 0xb9, 0x50))
        #expect(RGB(hex: "3fb950") == nil)
        #expect(RGB(hex: "#3fb95") == nil)
        #expect(RGB(hex: "#3fb95g") == nil)
    }

    @Test func mapsTo256ColourCubeAndGreyRamp() {
        // Pure red is cube (5,0,0): 16 + 36*5 = 196.
        #expect(ColorDepth.indexed256.number(RGB(255, 0, 0)) == 196)
        // #5faf5f is exactly cube level (1,3,1): 16 + 36 + 18 + 1 = 71.
        #expect(ColorDepth.indexed256.number(RGB(0x5f, 0xaf, 0x5f)) == 71)
        // Mid grey 128 is grey step 12 (8 + 10*12 = 128), colour 232 + 12 = 244; the cube's
        // nearest grey, 135, is further.
        #expect(ColorDepth.indexed256.number(RGB(128, 128, 128)) == 244)
        // Near-black #121417 averages 19: grey step 1 (18), colour 233.
        #expect(ColorDepth.indexed256.number(RGB(0x12, 0x14, 0x17)) == 233)
    }

    @Test func mapsTo8ColoursByHue() {
        #expect(ColorDepth.eight.number(RGB(0x3f, 0xb9, 0x50)) == 2) // green stays green
        #expect(ColorDepth.eight.number(RGB(0xf8, 0x51, 0x49)) == 1) // red
        #expect(ColorDepth.eight.number(RGB(0xd2, 0x99, 0x22)) == 3) // amber is yellow
        // Azure #58a6ff: the middle of 255 and 88 is 171, green (166) is below it: blue.
        #expect(ColorDepth.eight.number(RGB(0x58, 0xa6, 0xff)) == 4)
        #expect(ColorDepth.eight.number(RGB(0x12, 0x14, 0x17)) == 0) // near-black
        #expect(ColorDepth.eight.number(RGB(0xc9, 0xd1, 0xd9)) == 7) // light grey
    }

    @Test func directColourPassesRGBThrough() {
        #expect(ColorDepth(colors: 1 << 24) == .direct)
        #expect(ColorDepth.direct.number(RGB(0x12, 0x34, 0x56)) == 0x123456)
        #expect(ColorDepth(colors: 256) == .indexed256)
        #expect(ColorDepth(colors: 8) == .eight)
        #expect(ColorDepth(colors: 2) == .none)
        #expect(ColorDepth.none.number(RGB(1, 2, 3)) == nil)
    }

    /// Solarized's background #002b36 is a dark tint: black on 8 colours, not cyan.
    @Test func darkTintsAreBlackOnEightColours() {
        #expect(ColorDepth.eight.number(RGB(0x00, 0x2b, 0x36)) == 0)
    }
}

/// Numbers on the panels are never cut into other numbers.
@Suite struct FormatTests {
    /// Text that does not fit is never cut into another number; a quantity is shortened on
    /// purpose instead.
    @Test func aNumberThatDoesNotFitIsShortenedNotCut() {
        #expect(Format.right("12345.67", 7) == "#######")
        #expect(Format.right("345.67", 7) == " 345.67")
        let lots = Instrument(symbol: "B", priceDecimals: 2, tickSize: 1, qtyDecimals: 8)
        #expect(Format.qty(100_000, lots, width: 6) == "0.001", "trailing zeros go before anything is cut")
        #expect(Format.qty(123_456_700_000_000, lots, width: 6) == "1.23M")
        #expect(Format.qty(12_345_678, lots, width: 4) == "0.12")
        #expect(Format.qty(123_456_700_000_000_000, lots, width: 3) == "1G")
        #expect(Format.qty(123_456_700_000_000_000, lots, width: 1) == "#", "only when nothing fits at all")
    }
}
