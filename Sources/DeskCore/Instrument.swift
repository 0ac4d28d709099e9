/// Index of an instrument in the engine's instrument table. Small and dense, so per-instrument
/// state lives in arrays rather than dictionaries.
@frozen
public struct InstrumentID: Hashable, Comparable, Sendable, CustomStringConvertible, BitwiseCopyable {
    public var index: UInt16
    @inlinable public init(_ index: Int) { self.index = UInt16(truncatingIfNeeded: index) }
    @inlinable public var int: Int { Int(index) }
    @inlinable public static func < (a: InstrumentID, b: InstrumentID) -> Bool { a.index < b.index }
    public var description: String { "#\(index)" }
}

/// What is traded and how its numbers are scaled.
///
/// - `priceDecimals`: one price unit is 10^-priceDecimals of the quote currency.
/// - `tickSize`: the minimum price increment, in price units.
/// - `qtyDecimals`: one lot is 10^-qtyDecimals of the base (shares, BTC, contracts).
/// - `multiplier`: contract multiplier (1 for spot and linear perpetuals).
/// - fees are in parts per million of notional; a negative rate is a rebate.
public struct Instrument: Hashable, Sendable {
    public var symbol: String
    public var priceDecimals: Int
    public var tickSize: Int64
    public var qtyDecimals: Int
    public var multiplier: Int64
    public var makerFeePpm: Int64
    public var takerFeePpm: Int64

    public init(symbol: String, priceDecimals: Int, tickSize: Int64, qtyDecimals: Int = 0,
                multiplier: Int64 = 1, makerFeePpm: Int64 = 0, takerFeePpm: Int64 = 0) {
        self.symbol = symbol
        self.priceDecimals = priceDecimals
        self.tickSize = tickSize
        self.qtyDecimals = qtyDecimals
        self.multiplier = multiplier
        self.makerFeePpm = makerFeePpm
        self.takerFeePpm = takerFeePpm
    }

    /// Price units per whole currency unit (10^priceDecimals).
    public var priceScale: Int64 { Instrument.pow10(priceDecimals) }

    /// Money units per (price unit x lot): the factor that turns `price * qty` into cash.
    @inlinable public var moneyPerPriceLot: Int64 {
        multiplier * Instrument.pow10(Money.decimals - priceDecimals - qtyDecimals)
    }

    /// Why this instrument cannot be traded, or nil when it is well formed.
    public func validate() -> String? {
        if symbol.isEmpty { return "symbol is empty" }
        // Symbols reach screens, logs and CSV: no spaces, commas or control characters.
        if symbol.count > 16 || !symbol.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "._-/".unicodeScalars.contains($0)) }) {
            return "symbol \"\(symbol)\" must be 1 to 16 letters, digits or . _ - /"
        }
        if !(0...8).contains(priceDecimals) { return "price decimals \(priceDecimals) not in 0...8" }
        if !(0...8).contains(qtyDecimals) { return "qty decimals \(qtyDecimals) not in 0...8" }
        if priceDecimals + qtyDecimals > Money.decimals {
            return "price decimals + qty decimals = \(priceDecimals + qtyDecimals) exceeds \(Money.decimals)"
        }
        if tickSize <= 0 { return "tick size must be positive" }
        if multiplier <= 0 { return "multiplier must be positive" }
        if abs(makerFeePpm) > 100_000 || abs(takerFeePpm) > 100_000 { return "fee rate beyond 10%" }
        return nil
    }

    @inlinable static func pow10(_ n: Int) -> Int64 {
        var r: Int64 = 1
        var i = 0
        while i < n { r &*= 10; i &+= 1 }
        return r
    }

    // MARK: Cash

    /// Cash value of `qty` at `price`, saturating at the largest amount rather than trapping:
    /// an order that large is refused by the notional limit, not by a crash.
    @inlinable public func notional(_ price: Price, _ qty: Qty) -> Money {
        let (a, o1) = price.units.multipliedReportingOverflow(by: qty.lots)
        let (b, o2) = a.multipliedReportingOverflow(by: moneyPerPriceLot)
        guard !o1, !o2 else { return Money((price.units < 0) != (qty.lots < 0) ? Int64.min + 1 : Int64.max) }
        return Money(b)
    }

    /// The fee for a fill: positive is paid, negative a rebate. Rounded against us (charges
    /// up, rebates down) so the books never flatter the desk.
    @inlinable public func fee(_ price: Price, _ qty: Qty, _ liquidity: Liquidity) -> Money {
        let rate = liquidity == .maker ? makerFeePpm : takerFeePpm
        let cash = abs(notional(price, qty).units)
        let scaled = cash.multipliedFullWidth(by: rate)
        let (q, r) = Int64(1_000_000).dividingFullWidth(scaled)
        return Money(r > 0 ? q + 1 : q)
    }

    // MARK: Ticks and rounding at the edge

    /// The highest tick at or below a model price: bids round down, once, here.
    @inlinable public func bidPrice(fromModel x: Double) -> Price {
        let ticks = (x / Double(tickSize) + 1e-9).rounded(.down)
        guard ticks.isFinite, abs(ticks) < Instrument.maxModelTicks(tickSize) else { return .undefined }
        return Price(Int64(ticks) * tickSize)
    }

    /// The largest tick count a model price may round to and still be a price: beyond it the
    /// model has run away, and the price is undefined rather than a trap.
    @inlinable static func maxModelTicks(_ tickSize: Int64) -> Double { 4e18 / Double(tickSize) }

    /// The lowest tick at or above a model price: asks round up, once, here.
    @inlinable public func askPrice(fromModel x: Double) -> Price {
        let ticks = (x / Double(tickSize) - 1e-9).rounded(.up)
        guard ticks.isFinite, abs(ticks) < Instrument.maxModelTicks(tickSize) else { return .undefined }
        return Price(Int64(ticks) * tickSize)
    }

    @inlinable public func isOnTick(_ p: Price) -> Bool { p.units % tickSize == 0 }

    // MARK: Display

    public func format(_ p: Price) -> String {
        p.isDefined ? Decimals.format(p.units, decimals: priceDecimals, places: priceDecimals) : "-"
    }

    public func format(_ q: Qty) -> String {
        Decimals.format(q.lots, decimals: qtyDecimals, places: qtyDecimals)
    }
}
