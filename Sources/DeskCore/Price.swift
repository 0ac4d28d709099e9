/// A price as an integer count of the instrument's price units (10^-priceDecimals of the quote
/// currency). A book is never keyed by `Double`; model math converts at the edge through
/// `Instrument.bidPrice(fromModel:)` / `askPrice(fromModel:)`.
///
/// LOBSTER prices are dollars x 10000, so one unit is 0.0001 and a tick is 100 units. Binance
/// BTCUSDT has one decimal and a tick of one unit.
@frozen
public struct Price: Hashable, Comparable, Sendable, CustomStringConvertible, BitwiseCopyable {
    public var units: Int64

    @inlinable public init(_ units: Int64) { self.units = units }

    /// An explicit "no price" value, so an empty side never reads as a price of zero.
    @inlinable public static var undefined: Price { Price(Int64.min) }

    @inlinable public var isDefined: Bool { units != Int64.min }

    @inlinable public static func < (a: Price, b: Price) -> Bool { a.units < b.units }
    @inlinable public static func + (a: Price, b: Int64) -> Price { Price(a.units + b) }
    @inlinable public static func - (a: Price, b: Int64) -> Price { Price(a.units - b) }
    @inlinable public static func - (a: Price, b: Price) -> Int64 { a.units - b.units }

    @inlinable public var asDouble: Double { Double(units) }

    public var description: String { isDefined ? String(units) : "undefined" }
}

/// A quantity as an integer count of lots (10^-qtyDecimals of the base).
@frozen
public struct Qty: Hashable, Comparable, Sendable, CustomStringConvertible, BitwiseCopyable {
    public var lots: Int64

    @inlinable public init(_ lots: Int64) { self.lots = lots }

    @inlinable public static var zero: Qty { Qty(0) }

    @inlinable public static func < (a: Qty, b: Qty) -> Bool { a.lots < b.lots }
    @inlinable public static func + (a: Qty, b: Qty) -> Qty { Qty(a.lots + b.lots) }
    @inlinable public static func - (a: Qty, b: Qty) -> Qty { Qty(a.lots - b.lots) }
    @inlinable public static func += (a: inout Qty, b: Qty) { a.lots += b.lots }
    @inlinable public static func -= (a: inout Qty, b: Qty) { a.lots -= b.lots }
    @inlinable public var isZero: Bool { lots == 0 }

    public var description: String { String(lots) }
}
