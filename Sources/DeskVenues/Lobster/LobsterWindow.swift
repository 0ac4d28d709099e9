import DeskCore
import DeskEngine

/// Keeps a book rebuilt from a level-N message file exact against its orderbook file.
///
/// A level-N message file only holds events inside the N visible levels, so the book at the
/// start (which already holds orders) and any level that comes into view from beyond the
/// window are known only from the orderbook file. The rule, applied after message i with
/// row i (the visible book after message i):
///
/// - On each side, the levels at or better than row i-1's worst visible price are derived
///   from messages alone: every event there is in the file. When row i-1 showed fewer than
///   N levels on a side, that side was wholly visible and all of it is derived from messages.
/// - Only the region strictly beyond row i-1's worst visible price, which no message can
///   describe, is taken from row i: its levels are set as anonymous size (beside any order
///   message i itself placed there), and levels the book holds there that row i does not
///   show are removed.
/// - Once row i shows N levels, whatever the book holds beyond row i's worst visible price
///   can change without a message, so it is removed (its orders are forgotten); if such a
///   level comes back into view, it is taken from the file then, and later messages about
///   its orders are matched by side and price as unknown ids.
/// - Before row 1 nothing is known, so row 1 is taken whole; so is the row after a skipped
///   message line, once the book has been cleared.
///
/// The file therefore never overrides what messages determine, so the row-by-row check stays
/// a real test of message handling: a mishandled message shows up as a difference in the
/// message-derived region. Every correction is a `MarketEvent` (`level`, `delete`, `clear`)
/// applied to the book and handed back, so a consumer that applies the same events (the
/// engine, in a backtest) holds the same book.
public struct LobsterWindow {
    public let levels: Int
    /// Level sizes taken from row 1 and from rows after a skipped message line.
    public private(set) var levelsTakenWhole = 0
    /// Level sizes taken from the file because they came into view from beyond the window.
    public private(set) var levelsFromBeyondWindow = 0

    /// What row i-1 said about a side: nothing yet, all of it, or everything up to a price.
    private enum Edge {
        case unknown
        case whole
        case worst(Int64)
    }

    private var askEdge = Edge.unknown
    private var bidEdge = Edge.unknown
    /// Scratch for the levels to remove, kept to avoid allocating per row.
    private var stale: [Price] = []

    public init(levels: Int) {
        precondition(levels > 0, "a LOBSTER window has at least one level")
        self.levels = levels
        stale.reserveCapacity(64)
    }

    /// Forgets the book (after a message that could not be applied): clears it, and the next
    /// row is taken whole.
    public mutating func restart(_ book: OrderBook, time: Nanos, corrections: inout [MarketEvent]) {
        record(MarketEvent(kind: .clear, exchangeTime: time), book, &corrections)
        askEdge = .unknown
        bidEdge = .unknown
    }

    /// Brings the book in line with `row` (the visible book after the message just applied)
    /// where no message could, appending each correction it applied to `corrections`.
    public mutating func reconcile(_ book: OrderBook, with row: LobsterBookRow, time: Nanos,
                                   corrections: inout [MarketEvent]) {
        precondition(row.levels == levels, "row depth differs from the window's")
        askEdge = reconcile(book, row, .sell, from: askEdge, time, &corrections)
        bidEdge = reconcile(book, row, .buy, from: bidEdge, time, &corrections)
    }

    private mutating func reconcile(_ book: OrderBook, _ row: LobsterBookRow, _ side: Side, from edge: Edge,
                                    _ time: Nanos, _ corrections: inout [MarketEvent]) -> Edge {
        let depth = row.depth(side)
        let worst: Int64? = depth == levels ? row.price(side, depth - 1) : nil

        // Remove what row i contradicts beyond the edge (levels it does not show), and what
        // lies beyond row i's worst visible price, which leaves view now. Stopping at the
        // last level spares a scan past it to the edge of the book's price array.
        stale.removeAll(keepingCapacity: true)
        var k = 0
        let count = book.levelCount(side)
        var visited = 0
        book.forEachLevel(side, maxLevels: count) { price, _ in
            if let worst, Self.isWorse(price.units, than: worst, side) {
                stale.append(price)
            } else if Self.isBeyond(price.units, edge, side) {
                while k < depth, Self.isWorse(price.units, than: row.price(side, k), side) { k += 1 }
                if k == depth || row.price(side, k) != price.units { stale.append(price) }
            }
            visited += 1
            return visited < count
        }
        for price in stale {
            while let order = book.front(side, price) {
                record(MarketEvent(kind: .delete, side: side, orderID: order.id, price: price, qty: order.qty,
                                   exchangeTime: time), book, &corrections)
            }
            if book.qty(side, price).lots > 0 {
                record(MarketEvent(kind: .level, side: side, price: price, qty: .zero, exchangeTime: time), book, &corrections)
            }
        }

        // Levels beyond the edge come from the row.
        for j in 0..<depth where Self.isBeyond(row.price(side, j), edge, side) {
            let price = Price(row.price(side, j))
            let qty = Qty(row.size(side, j))
            if case .unknown = edge { levelsTakenWhole += 1 } else { levelsFromBeyondWindow += 1 }
            if book.qty(side, price) != qty {
                record(MarketEvent(kind: .level, side: side, price: price, qty: qty, exchangeTime: time), book, &corrections)
            }
        }
        return worst.map(Edge.worst) ?? .whole
    }

    private func record(_ e: MarketEvent, _ book: OrderBook, _ corrections: inout [MarketEvent]) {
        book.apply(e)
        corrections.append(e)
    }

    /// Whether `price` lies strictly beyond row i-1's view of the side.
    private static func isBeyond(_ price: Int64, _ edge: Edge, _ side: Side) -> Bool {
        switch edge {
        case .unknown: return true
        case .whole: return false
        case .worst(let worst): return isWorse(price, than: worst, side)
        }
    }

    /// Lower for bids, higher for asks.
    private static func isWorse(_ a: Int64, than b: Int64, _ side: Side) -> Bool {
        side == .buy ? a < b : a > b
    }
}
