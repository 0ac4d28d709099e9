import DeskCore

extension OrderBook {
    /// Applies a market event's change to the visible book. Trades that are not executions of
    /// a resting order (hidden, cross, L2 prints) and venue status change no level. Every
    /// book fed from events (the engine's, a replay's, a venue's view) goes through here, so
    /// they hold the same levels for the same events.
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
}
