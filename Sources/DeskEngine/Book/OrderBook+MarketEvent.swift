import DeskCore

/// The size of the level a market event touched, before and after it applied.
@frozen
public struct LevelChange: Sendable, Equatable {
    public var before: Int64
    public var after: Int64
    @inlinable public init(before: Int64, after: Int64) { self.before = before; self.after = after }
    /// Size left the level.
    @inlinable public var shrank: Bool { after < before }
}

extension OrderBook {
    /// Applies a market event's change to the visible book, and says how the level it names
    /// changed (so a queue model can see size leave without a second lookup). Trades that are
    /// not executions of a resting order (hidden, cross, L2 prints), venue status and clears
    /// touch no level. Every book fed from events (the engine's, a replay's, a venue's view)
    /// goes through here, so they hold the same levels for the same events.
    @discardableResult
    public func apply(_ e: MarketEvent) -> LevelChange {
        switch e.kind {
        case .trade, .status: return LevelChange(before: 0, after: 0)
        case .clear:
            clear()
            return LevelChange(before: 0, after: 0)
        default: break
        }
        let before = levelQty(e.side, e.price)
        switch e.kind {
        case .add: add(id: e.orderID, side: e.side, price: e.price, qty: e.qty)
        case .reduce: reduce(id: e.orderID, by: e.qty, side: e.side, price: e.price)
        case .delete: delete(id: e.orderID, side: e.side, price: e.price, qty: e.qty)
        case .execute: execute(id: e.orderID, qty: e.qty, side: e.side, price: e.price)
        case .level: setLevel(e.side, e.price, e.qty)
        case .clear, .trade, .status: break
        }
        return LevelChange(before: before, after: levelQty(e.side, e.price))
    }

    /// Size resting at a price, 0 outside the window: `qty(_:_:)` without building a level.
    @inlinable @inline(__always)
    func levelQty(_ side: Side, _ price: Price) -> Int64 {
        guard let i = index(of: price) else { return 0 }
        return side == .buy ? bids.levels[i].qty : asks.levels[i].qty
    }
}
