import DeskCore

/// Our resting orders seen against the market book, with an estimate of how much size is
/// queued ahead of each. Kept apart from the market's book, as the venue's feed may or may not
/// show our own size.
///
/// The estimate is risk-averse, in the spirit of hftbacktest's queue model: an order starts
/// behind all displayed size at its price; executions at its price move it up by their size;
/// cancellations move it up only when the level shrinks below the size estimated ahead.
public struct OwnOrders: Sendable {
    public struct Entry: Sendable, Equatable {
        public var id: ClientOrderID
        public var side: Side
        public var price: Price
        public var leaves: Qty
        public var queueAhead: Int64
    }

    public private(set) var entries: [Entry] = []
    /// Whether the market feed's level sizes include our own orders.
    public let feedIncludesOwn: Bool

    public init(feedIncludesOwn: Bool) {
        self.feedIncludesOwn = feedIncludesOwn
        entries.reserveCapacity(64)
    }

    /// Our total resting size at a price.
    public func ownQty(_ side: Side, _ price: Price) -> Int64 {
        var total: Int64 = 0
        for e in entries where e.side == side && e.price == price { total += e.leaves.lots }
        return total
    }

    /// Places or moves an order to the back of the queue at its price.
    public mutating func rest(_ id: ClientOrderID, _ side: Side, _ price: Price, _ leaves: Qty, levelQty: Int64) {
        remove(id)
        let ours = feedIncludesOwn ? ownQty(side, price) + leaves.lots : 0
        entries.append(Entry(id: id, side: side, price: price, leaves: leaves, queueAhead: max(levelQty - ours, 0)))
    }

    public mutating func update(_ id: ClientOrderID, leaves: Qty) {
        guard let i = entries.firstIndex(where: { $0.id == id }) else { return }
        if leaves.isZero { entries.remove(at: i) } else { entries[i].leaves = leaves }
    }

    public mutating func remove(_ id: ClientOrderID) {
        if let i = entries.firstIndex(where: { $0.id == id }) { entries.remove(at: i) }
    }

    /// A market execution of `qty` at `price` against resting `side`.
    public mutating func traded(_ side: Side, _ price: Price, _ qty: Qty) {
        for i in entries.indices where entries[i].side == side && entries[i].price == price {
            entries[i].queueAhead = max(entries[i].queueAhead - qty.lots, 0)
        }
    }

    /// The level at `price` changed size without a trade: only a shrink below what we thought
    /// was ahead moves us up.
    public mutating func levelChanged(_ side: Side, _ price: Price, levelQty: Int64) {
        for i in entries.indices where entries[i].side == side && entries[i].price == price {
            let othersAtLevel = feedIncludesOwn ? levelQty - ownQty(side, price) : levelQty
            entries[i].queueAhead = min(entries[i].queueAhead, max(othersAtLevel, 0))
        }
    }
}
