/// A FIFO the engine writes and its driver drains after each call: preallocated, power-of-two,
/// growing only if a single burst outruns it (counted, so a benchmark can see it). Inlinable,
/// so drivers in other modules get it specialised rather than paying runtime generic lookups.
public final class Outbox<Element> {
    @usableFromInline var storage: [Element?]
    @usableFromInline var head = 0
    @usableFromInline var _count = 0
    public private(set) var growths = 0

    public init(capacity: Int = 4_096) {
        var size = 16
        while size < capacity { size <<= 1 }
        storage = Array(repeating: nil, count: size)
    }

    @inlinable public var count: Int { _count }
    @inlinable public var isEmpty: Bool { _count == 0 }

    @inlinable public func push(_ element: Element) {
        if _count == storage.count { grow() }
        storage[(head &+ _count) & (storage.count &- 1)] = element
        _count &+= 1
    }

    /// The oldest element, left in place (to hand on only once the next stage has room).
    @inlinable public func peekFirst() -> Element? { _count > 0 ? storage[head] : nil }

    @inlinable public func popFirst() -> Element? {
        guard _count > 0 else { return nil }
        let element = storage[head]
        storage[head] = nil
        head = (head &+ 1) & (storage.count &- 1)
        _count &-= 1
        return element
    }

    /// Hands every element to `body`, oldest first, and empties the box.
    @inlinable public func drain(_ body: (Element) -> Void) {
        while let element = popFirst() { body(element) }
    }

    /// Everything queued, oldest first, emptying the box. Allocates: for tests and tools.
    public func drainAll() -> [Element] {
        var out: [Element] = []
        out.reserveCapacity(count)
        drain { out.append($0) }
        return out
    }

    @usableFromInline func grow() {
        growths += 1
        var bigger = [Element?](repeating: nil, count: storage.count * 2)
        for i in 0..<_count { bigger[i] = storage[(head + i) & (storage.count - 1)] }
        storage = bigger
        head = 0
    }
}
