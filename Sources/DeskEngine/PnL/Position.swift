import DeskCore

/// Position, cost basis and P&L of one instrument, in integer money.
///
/// The open cost is the signed cash paid for the open position (negative when short). Closing
/// x of |q| lots releases cost * x / |q| of it; the integer remainder stays in the open cost
/// and is realized when the position reaches zero, so a round trip's realized P&L is exact.
/// A fill larger than the position closes it, realizes, and opens the rest at the fill price.
public struct Position: Sendable, Equatable {
    /// Signed lots: positive long, negative short.
    public private(set) var qty: Int64 = 0
    public private(set) var openCost = Money.zero
    public private(set) var realized = Money.zero
    /// Fees paid net of rebates.
    public private(set) var fees = Money.zero
    /// Lots traded, both sides.
    public private(set) var volume: Int64 = 0
    /// Cash value traded, both sides.
    public private(set) var turnover = Money.zero
    public private(set) var fills = 0
    /// Last mark: unrealized P&L at the mid.
    public private(set) var unrealized = Money.zero
    /// Highest net P&L seen, and the fall from it.
    public private(set) var peakNet = Money.zero
    public private(set) var drawdown = Money.zero

    public init() {}

    /// Restores a position from a journal (recovery).
    public init(qty: Int64, openCost: Money, realized: Money, fees: Money) {
        self.qty = qty
        self.openCost = openCost
        self.realized = realized
        self.fees = fees
    }

    /// Realized + unrealized - fees, at the last mark.
    public var net: Money { realized + unrealized - fees }

    /// Average entry price in price units, NaN when flat.
    public func averagePrice(_ instrument: Instrument) -> Double {
        qty == 0 ? .nan : Double(openCost.units) / Double(qty) / Double(instrument.moneyPerPriceLot)
    }

    /// Books a fill; returns the P&L it realized.
    @discardableResult
    public mutating func apply(side: Side, price: Price, qty fillQty: Qty, fee: Money, _ instrument: Instrument) -> Money {
        let m = instrument.moneyPerPriceLot
        let signed = side.sign * fillQty.lots
        var realizedNow = Money.zero
        fills += 1
        volume += fillQty.lots
        turnover += instrument.notional(price, fillQty)
        fees += fee
        if qty != 0, (qty > 0) != (signed > 0) {
            let closing = min(abs(signed), abs(qty))
            // Full width: open cost times lots can pass Int64 long before either does.
            let releasedCost = closing == abs(qty) ? openCost.units
                : abs(qty).dividingFullWidth(openCost.units.multipliedFullWidth(by: closing)).quotient
            // Long closing: proceeds - cost. Short closing: cost (negative) back minus what we pay.
            let cash = price.units * closing * m
            realizedNow = Money(qty > 0 ? cash - releasedCost : -releasedCost - cash)
            openCost = Money(openCost.units - releasedCost)
            qty += qty > 0 ? -closing : closing
            let opening = abs(signed) - closing
            if opening > 0 {
                qty = side.sign * opening
                openCost = Money(side.sign * opening * price.units * m)
            }
        } else {
            qty += signed
            openCost += Money(signed * price.units * m)
        }
        realized += realizedNow
        return realizedNow
    }

    /// Marks the open position to (bid + ask) / 2 and updates peak and drawdown.
    public mutating func mark(bid: Price, ask: Price, _ instrument: Instrument) {
        if qty != 0, bid.isDefined, ask.isDefined {
            unrealized = Money(qty * (bid.units + ask.units) * instrument.moneyPerPriceLot / 2 - openCost.units)
        } else if qty == 0 {
            unrealized = .zero
        } else {
            return // an open position with no market has no value yet: no peak from it
        }
        let n = net
        if n > peakNet { peakNet = n }
        drawdown = peakNet - n
    }
}

/// P&L over every instrument: sums, with its own peak and drawdown of the total.
public struct PortfolioPnL: Sendable, Equatable {
    public private(set) var realized = Money.zero
    public private(set) var unrealized = Money.zero
    public private(set) var fees = Money.zero
    public private(set) var net = Money.zero
    public private(set) var peakNet = Money.zero
    public private(set) var drawdown = Money.zero
    public private(set) var turnover = Money.zero
    public private(set) var volume: Int64 = 0

    public init() {}

    /// Takes one instrument's position from `old` (what the portfolio holds for it now) to
    /// `new`: the sums move by the difference, exactly, so the total is the sum of the
    /// positions without visiting the others.
    public mutating func replace(_ old: Position, with new: Position) {
        realized += new.realized - old.realized
        unrealized += new.unrealized - old.unrealized
        fees += new.fees - old.fees
        turnover += new.turnover - old.turnover
        volume += new.volume - old.volume
        net = realized + unrealized - fees
        if net > peakNet { peakNet = net }
        drawdown = peakNet - net
    }
}
