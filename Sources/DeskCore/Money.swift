/// Cash, P&L and fees as an integer count of 10^-8 of the quote currency.
///
/// One unit for every instrument makes totals across instruments exact integer sums. A trade's
/// cash is `price.units * qty.lots * Instrument.moneyPerPriceLot`, exact as long as
/// priceDecimals + qtyDecimals <= 8, which `Instrument.validate()` enforces.
@frozen
public struct Money: Hashable, Comparable, Sendable, CustomStringConvertible, BitwiseCopyable {
    public var units: Int64

    /// Units in one whole currency unit.
    @inlinable public static var scale: Int64 { 100_000_000 }
    @inlinable public static var decimals: Int { 8 }
    @inlinable public static var zero: Money { Money(0) }

    @inlinable public init(_ units: Int64) { self.units = units }

    /// Whole currency to money, for limits typed by a person; rounds to the nearest unit.
    @inlinable public init(currency: Double) { self.units = Int64((currency * Double(Money.scale)).rounded()) }

    @inlinable public var currency: Double { Double(units) / Double(Money.scale) }

    @inlinable public static func < (a: Money, b: Money) -> Bool { a.units < b.units }
    @inlinable public static func + (a: Money, b: Money) -> Money { Money(a.units + b.units) }
    @inlinable public static func - (a: Money, b: Money) -> Money { Money(a.units - b.units) }
    @inlinable public static prefix func - (a: Money) -> Money { Money(-a.units) }
    @inlinable public static func += (a: inout Money, b: Money) { a.units += b.units }
    @inlinable public static func -= (a: inout Money, b: Money) { a.units -= b.units }

    /// Decimal text with `places` decimals (rounded half away from zero), for display only.
    public func formatted(places: Int = 2) -> String {
        Decimals.format(units, decimals: Money.decimals, places: places)
    }

    public var description: String { formatted() }
}
