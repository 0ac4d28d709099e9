/// A 24-bit colour from a theme, and how it is shown on a terminal with fewer colours.
public struct RGB: Hashable, Sendable {
    public var r: UInt8, g: UInt8, b: UInt8

    public init(_ r: UInt8, _ g: UInt8, _ b: UInt8) { self.r = r; self.g = g; self.b = b }

    /// `#rrggbb`, case-insensitive; nil for anything else.
    public init?(hex: String) {
        let digits = Array(hex.utf8)
        guard digits.count == 7, digits[0] == UInt8(ascii: "#") else { return nil }
        var value: UInt32 = 0
        for d in digits[1...] {
            guard let v = Self.hexValue(d) else { return nil }
            value = value << 4 | v
        }
        self.init(UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff))
    }

    private static func hexValue(_ d: UInt8) -> UInt32? {
        switch d {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(d - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(d - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(d - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    /// The colour as one number, the form direct-colour terminals take.
    public var packed: Int32 { Int32(r) << 16 | Int32(g) << 8 | Int32(b) }
}

/// How many colours the terminal can show; themes are written in 24-bit and mapped down.
public enum ColorDepth: Sendable, Equatable {
    case none, eight, indexed256, direct

    /// From ncurses' COLORS.
    public init(colors: Int) {
        switch colors {
        case (1 << 24)...: self = .direct
        case 256...: self = .indexed256
        case 8...: self = .eight
        default: self = .none
        }
    }

    /// The colour number to give ncurses for `rgb`, or nil on a terminal without colour.
    public func number(_ rgb: RGB) -> Int32? {
        switch self {
        case .none: nil
        case .eight: ColorDepth.nearest8(rgb)
        case .indexed256: ColorDepth.nearest256(rgb)
        case .direct: rgb.packed
        }
    }

    /// The 6x6x6 cube and the 24-step grey ramp of xterm's 256 colours, whichever is nearer.
    static func nearest256(_ c: RGB) -> Int32 {
        let levels: [Int] = [0, 95, 135, 175, 215, 255]
        func cubeIndex(_ v: UInt8) -> Int {
            var best = 0
            for i in levels.indices where abs(levels[i] - Int(v)) < abs(levels[best] - Int(v)) { best = i }
            return best
        }
        let (ri, gi, bi) = (cubeIndex(c.r), cubeIndex(c.g), cubeIndex(c.b))
        let cube = (levels[ri], levels[gi], levels[bi])
        let average = (Int(c.r) + Int(c.g) + Int(c.b)) / 3
        let greyStep = min(23, max(0, (average - 8 + 5) / 10))
        let grey = 8 + 10 * greyStep
        func distance(_ x: (Int, Int, Int)) -> Int {
            let (dr, dg, db) = (x.0 - Int(c.r), x.1 - Int(c.g), x.2 - Int(c.b))
            return dr * dr + dg * dg + db * db
        }
        if distance((grey, grey, grey)) < distance(cube) { return Int32(232 + greyStep) }
        return Int32(16 + 36 * ri + 6 * gi + bi)
    }

    /// The eight ANSI colours by hue, not by distance: nearest-by-distance turns every muted
    /// green or red of a dark theme grey, and a desk needs bids green and asks red.
    static func nearest8(_ c: RGB) -> Int32 {
        let (r, g, b) = (Int(c.r), Int(c.g), Int(c.b))
        let high = max(r, g, b), low = min(r, g, b)
        // Dark tints (solarized's base03 is #002b36) are backgrounds: black, not a colour.
        if high < 96 { return 0 }
        if high - low < 48 { return (r + g + b) / 3 >= 110 ? 7 : 0 }
        let middle = (high + low) / 2
        return Int32((r > middle ? 1 : 0) | (g > middle ? 2 : 0) | (b > middle ? 4 : 0))
    }
}
