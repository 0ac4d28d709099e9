import DeskCore

/// Our resting orders seen against the market book, with how much size is queued ahead of
/// each. Kept apart from the market's book, as the venue's feed may or may not show our own
/// size.
///
/// On an L3 feed that shows our orders under the venue's ids (the ack gives the id), our size
/// and queue place are read exactly from the book. Otherwise the queue place is estimated,
/// risk-averse, in the spirit of hftbacktest's queue model: an order starts
/// behind all displayed size at its price; executions at its price move it up by their size;
/// cancellations move it up only when the level shrinks below the size estimated ahead.
///
/// A class the instrument owns, so asking it something on every market event reads through a
/// reference rather than copying (and retaining) its entries out of the instrument.
public final class OwnOrders {
    public struct Entry: Sendable, Equatable {
        public var id: ClientOrderID
        /// The venue's id for the order, 0 when the venue gave none.
        public var venueID: UInt64
        public var side: Side
        public var price: Price
        public var leaves: Qty
        public var queueAhead: Int64
        /// The order is done by its reports but may still show in the feed, which lags them.
        public var done = false
        public var doneAt: Nanos = 0
        /// The feed has shown the order at least once.
        public var seenInFeed = false
    }

    /// How long a done order that the feed never showed (it traded on arrival, or the feed
    /// lost it) is remembered before it is forgotten.
    public static let unseenGrace: Nanos = Time.nanosPerSecond

    public private(set) var entries: [Entry] = []
    /// Whether the market feed's level sizes include our own orders.
    public let feedIncludesOwn: Bool

    public init(feedIncludesOwn: Bool) {
        self.feedIncludesOwn = feedIncludesOwn
        entries.reserveCapacity(64)
    }

    /// Whether one of our orders has this venue id.
    @inlinable @inline(__always) public func hasVenueID(_ id: UInt64) -> Bool {
        // Index loops: iterating `entries` would retain its buffer on every market event.
        for i in entries.indices where entries[i].venueID == id { return true }
        return false
    }

    /// Whether one of our orders rests at a price.
    @inlinable @inline(__always) public func hasOrder(_ side: Side, _ price: Price) -> Bool {
        for i in entries.indices where entries[i].side == side && entries[i].price == price { return true }
        return false
    }

    /// Our total resting size at a price.
    public func ownQty(_ side: Side, _ price: Price) -> Int64 {
        var total: Int64 = 0
        for i in entries.indices where entries[i].side == side && entries[i].price == price { total += entries[i].leaves.lots }
        return total
    }

    /// Places or moves an order to the back of the queue at its price.
    public func rest(_ id: ClientOrderID, venueID: UInt64 = 0, _ side: Side, _ price: Price, _ leaves: Qty,
                              levelQty: Int64) {
        remove(id)
        let ours = feedIncludesOwn ? ownQty(side, price) + leaves.lots : 0
        entries.append(Entry(id: id, venueID: venueID, side: side, price: price, leaves: leaves,
                             queueAhead: max(levelQty - ours, 0)))
    }

    /// Size queued ahead of an order: exact from the book when the feed shows it by its venue
    /// id, else the estimate.
    public func queueAhead(_ entry: Entry, in book: OrderBook) -> Int64 {
        if entry.venueID != 0, let exact = book.queueAhead(id: entry.venueID) { return exact }
        return entry.queueAhead
    }

    public func update(_ id: ClientOrderID, leaves: Qty, now: Nanos = 0) {
        guard let i = entries.firstIndex(where: { $0.id == id }) else { return }
        if leaves.isZero { finish(id, now: now) } else { entries[i].leaves = leaves }
    }

    /// The order is done (filled or cancelled). One the feed shows by venue id stays until the
    /// feed has shown it and then dropped it (see `prune`): reports can beat the feed by a
    /// whole add-then-delete, and our size must never be taken for the market's meanwhile.
    public func finish(_ id: ClientOrderID, now: Nanos = 0) {
        guard let i = entries.firstIndex(where: { $0.id == id }) else { return }
        if entries[i].venueID == 0 {
            entries.remove(at: i)
        } else {
            entries[i].done = true
            entries[i].doneAt = now
        }
    }

    /// Notes which orders the book shows, and drops done ones the feed has shown and since
    /// removed, or never showed within `unseenGrace`.
    public func prune(_ book: OrderBook, now: Nanos) {
        for i in entries.indices where entries[i].venueID != 0 && !entries[i].seenInFeed {
            if book.contains(id: entries[i].venueID) { entries[i].seenInFeed = true }
        }
        entries.removeAll { e in
            guard e.done else { return false }
            return e.seenInFeed ? !book.contains(id: e.venueID) : now - e.doneAt > OwnOrders.unseenGrace
        }
    }

    public func remove(_ id: ClientOrderID) {
        if let i = entries.firstIndex(where: { $0.id == id }) { entries.remove(at: i) }
    }

    /// A market execution of `qty` at `price` against resting `side`.
    public func traded(_ side: Side, _ price: Price, _ qty: Qty) {
        for i in entries.indices where entries[i].side == side && entries[i].price == price {
            entries[i].queueAhead = max(entries[i].queueAhead - qty.lots, 0)
        }
    }

    /// The level at `price` changed size without a trade: only a shrink below what we thought
    /// was ahead moves us up.
    public func levelChanged(_ side: Side, _ price: Price, levelQty: Int64) {
        for i in entries.indices where entries[i].side == side && entries[i].price == price {
            let othersAtLevel = feedIncludesOwn ? levelQty - ownQty(side, price) : levelQty
            entries[i].queueAhead = min(entries[i].queueAhead, max(othersAtLevel, 0))
        }
    }
}
