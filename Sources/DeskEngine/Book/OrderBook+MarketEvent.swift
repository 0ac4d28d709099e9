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
    /// Applies a market event's change to the visible book. Trades that are not executions of
    /// a resting order (hidden, cross, L2 prints) and venue status touch no level. Every book
    /// fed from events (the engine's, a replay's, a venue's view) goes through here, so they
    /// hold the same levels for the same events.
    @inlinable
    public func apply(_ e: MarketEvent) {
        switch e.kind {
        case .add: add(id: e.orderID, side: e.side, price: e.price, qty: e.qty)
        case .reduce: reduce(id: e.orderID, by: e.qty, side: e.side, price: e.price)
        case .delete: delete(id: e.orderID, side: e.side, price: e.price, qty: e.qty)
        case .execute: execute(id: e.orderID, qty: e.qty, side: e.side, price: e.price)
        case .level: setLevel(e.side, e.price, e.qty)
        case .clear: clear()
        case .trade, .status: break
        }
    }

    /// `apply`, saying how the level the event names changed, so a queue model can see size
    /// leave without a second lookup. Events that touch no level report 0 to 0.
    public func applyReportingChange(_ e: MarketEvent) -> LevelChange {
        switch e.kind {
        case .trade, .status, .clear:
            apply(e)
            return LevelChange(before: 0, after: 0)
        default:
            break
        }
        let base = baseTick
        let i = index(of: e.price)
        let before = i.map { levelQty(e.side, at: $0) } ?? 0
        apply(e)
        // The window may have moved to take the event, and the index with it.
        if let i, base == baseTick { return LevelChange(before: before, after: levelQty(e.side, at: i)) }
        return LevelChange(before: before, after: index(of: e.price).map { levelQty(e.side, at: $0) } ?? 0)
    }

    @inlinable @inline(__always)
    func levelQty(_ side: Side, at i: Int) -> Int64 {
        side == .buy ? bids.sizes[i] : asks.sizes[i]
    }
}
