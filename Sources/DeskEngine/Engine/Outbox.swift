/// A FIFO the engine writes and its driver drains after each call: a power-of-two ring in
/// storage allocated once, growing only if a single burst outruns it (counted, so a benchmark
/// can see it). Inlinable, so drivers in other modules get it specialised rather than paying
/// runtime generic lookups; unsafe storage, so a push or a pop is a copy and two adds, with no
/// uniqueness or bounds check.
public final class Outbox<Element> {
    @usableFromInline var storage: UnsafeMutablePointer<Element>
    /// Slots in use as the ring, a power of two: the least the box has needed so far, so a
    /// box that holds a few elements cycles through a few cache lines, not through all of its
    /// storage. It doubles in place up to `reserved`, without allocating.
    @usableFromInline var capacity: Int
    /// Slots allocated (and written through once, see `allocatePrefaulted`).
    @usableFromInline var reserved: Int
    @usableFromInline var head = 0
    @usableFromInline var _count = 0
    /// Times the box outgrew its reserved storage and allocated.
    public private(set) var growths = 0

    /// The ring a box starts with; it widens as bursts need.
    @usableFromInline static var initialRing: Int { 64 }

    public init(capacity: Int = 4_096) {
        var size = 16
        while size < capacity { size <<= 1 }
        reserved = size
        self.capacity = min(size, Self.initialRing)
        storage = .allocatePrefaulted(capacity: size)
    }

    deinit {
        while _count > 0 { _ = popFirst() }
        storage.deallocate()
    }

    @inlinable public var count: Int { _count }
    @inlinable public var isEmpty: Bool { _count == 0 }

    @inlinable public func push(_ element: Element) {
        if _count == capacity { grow() }
        (storage + ((head &+ _count) & (capacity &- 1))).initialize(to: element)
        _count &+= 1
    }

    /// The oldest element, left in place (to hand on only once the next stage has room).
    @inlinable public func peekFirst() -> Element? { _count > 0 ? storage[head] : nil }

    /// The oldest element in place, for a caller that reads a field of it without copying it out.
    @inlinable public var firstPointer: UnsafePointer<Element>? { _count > 0 ? UnsafePointer(storage + head) : nil }

    @inlinable public func popFirst() -> Element? {
        guard _count > 0 else { return nil }
        let element = (storage + head).move()
        head = (head &+ 1) & (capacity &- 1)
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

    /// Doubles the full ring: in place while the reserved storage has room, otherwise into new
    /// storage (an allocation, counted).
    @usableFromInline func grow() {
        if capacity < reserved {
            // Doubled, the ring keeps every element whose place did not wrap; the ones that
            // wrapped to the front (places 0..<head) move up by the old size, into the new half.
            (storage + capacity).moveInitialize(from: storage, count: head)
            capacity *= 2
            return
        }
        growths += 1
        let bigger = UnsafeMutablePointer<Element>.allocatePrefaulted(capacity: capacity * 2)
        for i in 0..<_count { (bigger + i).moveInitialize(from: storage + ((head + i) & (capacity - 1)), count: 1) }
        storage.deallocate()
        storage = bigger
        capacity *= 2
        reserved = capacity
        head = 0
    }
}
