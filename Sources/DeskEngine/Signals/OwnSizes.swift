import DeskCore

/// Our own size at each price as the venue's feed shows it, for signals that must read the
/// market without it. A handful of entries (our working orders) in storage allocated once, so
/// reading it on every market event costs no reference counting; a scan beats hashing at
/// that size.
public final class OwnSizes {
    public struct Entry: Sendable {
        public var side: Side
        public var price: Price
        public var qty: Int64
    }

    @usableFromInline var storage: UnsafeMutablePointer<Entry>
    @usableFromInline var capacity: Int
    public private(set) var count = 0

    public init(capacity: Int = 64) {
        self.capacity = max(capacity, 1)
        storage = .allocate(capacity: self.capacity)
    }

    deinit { storage.deallocate() }

    @inlinable public var isEmpty: Bool { count == 0 }

    /// Our total size at a price.
    @inlinable public func qty(_ side: Side, _ price: Price) -> Int64 {
        var total: Int64 = 0
        var i = 0
        while i < count {
            let e = storage[i]
            if e.side == side && e.price == price { total += e.qty }
            i += 1
        }
        return total
    }

    /// Adds an order's size; grows (allocating) only past the capacity, which a quoting engine
    /// with a few levels a side never reaches.
    public func add(_ side: Side, _ price: Price, _ qty: Int64) {
        if count == capacity {
            let bigger = UnsafeMutablePointer<Entry>.allocate(capacity: capacity * 2)
            bigger.moveInitialize(from: storage, count: count)
            storage.deallocate()
            storage = bigger
            capacity *= 2
        }
        (storage + count).initialize(to: Entry(side: side, price: price, qty: qty))
        count += 1
    }

    public func removeAll() { count = 0 }
}
