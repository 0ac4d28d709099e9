import DeskCore

/// One price level of one side: the total displayed size and the FIFO of the orders we know.
///
/// `qty` may exceed `knownQty`: the difference is anonymous size, from orders that rested
/// before the feed started (LOBSTER) or from an L2 feed that only gives totals (Binance).
@frozen
public struct BookLevel: Sendable {
    public var qty: Int64 = 0
    public var knownQty: Int64 = 0
    public var orders: Int32 = 0
    @usableFromInline var head: Int32 = -1
    @usableFromInline var tail: Int32 = -1

    @inlinable init() {}

    @inlinable init(qty: Int64, queue: LevelQueue) {
        self.qty = qty
        knownQty = queue.knownQty
        orders = queue.orders
        head = queue.head
        tail = queue.tail
    }

    /// Orders at the level, counting anonymous size as one order.
    @inlinable public var orderCount: Int { Int(orders) + (qty > knownQty ? 1 : 0) }
}

/// The orders we know at one level: kept apart from the level's total size, which is all an
/// L2 update reads or writes, so the sizes pack eight to a cache line.
@frozen @usableFromInline
struct LevelQueue {
    @usableFromInline var knownQty: Int64 = 0
    @usableFromInline var orders: Int32 = 0
    @usableFromInline var head: Int32 = -1
    @usableFromInline var tail: Int32 = -1

    @inlinable init() {}
}

/// One resting order in the book's pool, linked into its level's FIFO.
@usableFromInline
struct BookOrder {
    @usableFromInline var id: UInt64
    @usableFromInline var priceTicks: Int64
    @usableFromInline var qty: Int64
    @usableFromInline var prev: Int32
    @usableFromInline var next: Int32
    @usableFromInline var side: Side
}

/// What the book could not apply as given. Nothing here corrupts the book; each case is
/// counted so a replay can say how clean its feed was.
public struct BookCounters: Sendable, Equatable {
    /// Events naming an order id the book never saw (it rested before the feed began).
    public var unknownOrder = 0
    /// Of those, how many found no anonymous size at their price to take from.
    public var unknownUnmatched = 0
    public var duplicateAdd = 0
    /// Reductions larger than the order; the order was removed.
    public var overReduce = 0
    public var offTick = 0
    public var outOfWindow = 0
    public var invalidQty = 0
    /// Times the price window moved to follow the market.
    public var recentres = 0
    /// Times the order pool or id index had to grow (allocation outside steady state).
    public var growths = 0
    public init() {}
}
