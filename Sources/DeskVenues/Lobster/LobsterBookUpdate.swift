import DeskCore
import DeskEngine

/// Applies a market event to an order book the way the engine does, so a LOBSTER rebuild and
/// the engine's own book, fed the same events, hold the same levels.
public enum LobsterBookUpdate {
    @inlinable
    public static func apply(_ e: MarketEvent, to book: OrderBook) {
        switch e.kind {
        case .add: book.add(id: e.orderID, side: e.side, price: e.price, qty: e.qty)
        case .reduce: book.reduce(id: e.orderID, by: e.qty, side: e.side, price: e.price)
        case .delete: book.delete(id: e.orderID, side: e.side, price: e.price, qty: e.qty)
        case .execute: book.execute(id: e.orderID, qty: e.qty, side: e.side, price: e.price)
        case .level: book.setLevel(e.side, e.price, e.qty)
        case .clear: book.clear()
        case .trade, .status: break  // hidden and cross trades, venue state: no visible level changes
        }
    }
}
