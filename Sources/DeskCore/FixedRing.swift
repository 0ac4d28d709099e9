/// The newest `capacity` elements, oldest first, in storage allocated once: appending to a
/// full ring drops the oldest. The one ring for fixed-capacity histories (a breaker's event
/// times, the price-move window's monotonic deques, the engine's log, the P&L history);
/// `SPSCRing` is the one between threads, `Outbox` the engine's growable FIFO, and
/// swift-collections' `Deque` the unbounded queues.
///
/// The capacity is a power of two, so a slot is an index and a mask. A value type over one
/// array: a copy (a snapshot's) shares the storage until either is written.
@frozen
public struct FixedRing<Element>: RandomAccessCollection {
    @usableFromInline var storage: ContiguousArray<Element>
    @usableFromInline var head = 0
    @usableFromInline var _count = 0

    /// `capacity` must be a power of two; `filler` only occupies the slots not yet written.
    @inlinable
    public init(capacity: Int, filler: Element) {
        precondition(capacity > 0 && capacity & (capacity - 1) == 0, "FixedRing capacity \(capacity) is not a power of two")
        storage = ContiguousArray(repeating: filler, count: capacity)
    }

    @inlinable public var capacity: Int { storage.count }
    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { _count }
    @inlinable public var isFull: Bool { _count == storage.count }

    /// The `i`th oldest element.
    @inlinable
    public subscript(i: Int) -> Element {
        precondition(i >= 0 && i < _count, "FixedRing index \(i) out of 0..<\(_count)")
        return storage[(head &+ i) & (storage.count &- 1)]
    }

    /// Appends `element`; when full, the oldest is dropped to make room.
    @inlinable
    public mutating func append(_ element: Element) {
        let mask = storage.count &- 1
        if _count == storage.count {
            storage[head] = element
            head = (head &+ 1) & mask
        } else {
            storage[(head &+ _count) & mask] = element
            _count &+= 1
        }
    }

    /// Removes and returns the oldest element.
    @inlinable
    @discardableResult
    public mutating func removeFirst() -> Element {
        precondition(_count > 0, "removeFirst on an empty FixedRing")
        let element = storage[head]
        head = (head &+ 1) & (storage.count &- 1)
        _count &-= 1
        return element
    }

    /// Removes and returns the newest element (a monotonic deque drops dominated samples).
    @inlinable
    @discardableResult
    public mutating func removeLast() -> Element {
        precondition(_count > 0, "removeLast on an empty FixedRing")
        _count &-= 1
        return storage[(head &+ _count) & (storage.count &- 1)]
    }

    /// Forgets every element; the storage stays.
    @inlinable
    public mutating func removeAll() {
        head = 0
        _count = 0
    }
}

extension FixedRing: Sendable where Element: Sendable {}
