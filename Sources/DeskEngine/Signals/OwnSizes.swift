import DeskCore

/// Our own size at each price as the venue's feed shows it, for signals that must read the
/// market without it. A handful of entries (our working orders), rebuilt per update into
/// preallocated storage; a scan beats hashing at that size.
public struct OwnSizes: Sendable {
    @usableFromInline var entries: [(side: Side, price: Price, qty: Int64)] = []

    public init(capacity: Int = 0) { entries.reserveCapacity(capacity) }

    @inlinable public var isEmpty: Bool { entries.isEmpty }

    /// Our total size at a price.
    @inlinable public func qty(_ side: Side, _ price: Price) -> Int64 {
        var total: Int64 = 0
        for e in entries where e.side == side && e.price == price { total += e.qty }
        return total
    }

    public mutating func add(_ side: Side, _ price: Price, _ qty: Int64) { entries.append((side, price, qty)) }

    public mutating func removeAll() { entries.removeAll(keepingCapacity: true) }
}
