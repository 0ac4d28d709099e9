/// A FIFO the engine writes and its driver drains after each call: preallocated, power-of-two,
/// growing only if a single burst outruns it (counted, so a benchmark can see it).
public final class Outbox<Element> {
    private var storage: [Element?]
    private var head = 0
    public private(set) var count = 0
    public private(set) var growths = 0

    public init(capacity: Int = 4_096) {
        var size = 16
        while size < capacity { size <<= 1 }
        storage = Array(repeating: nil, count: size)
    }

    public var isEmpty: Bool { count == 0 }

    public func push(_ element: Element) {
        if count == storage.count { grow() }
        storage[(head + count) & (storage.count - 1)] = element
        count += 1
    }

    /// The oldest element, left in place (to hand on only once the next stage has room).
    public func peekFirst() -> Element? { count > 0 ? storage[head] : nil }

    public func popFirst() -> Element? {
        guard count > 0 else { return nil }
        let element = storage[head]
        storage[head] = nil
        head = (head + 1) & (storage.count - 1)
        count -= 1
        return element
    }

    /// Hands every element to `body`, oldest first, and empties the box.
    public func drain(_ body: (Element) -> Void) {
        while let element = popFirst() { body(element) }
    }

    /// Everything queued, oldest first, emptying the box. Allocates: for tests and tools.
    public func drainAll() -> [Element] {
        var out: [Element] = []
        out.reserveCapacity(count)
        drain { out.append($0) }
        return out
    }

    private func grow() {
        growths += 1
        var bigger = [Element?](repeating: nil, count: storage.count * 2)
        for i in 0..<count { bigger[i] = storage[(head + i) & (storage.count - 1)] }
        storage = bigger
        head = 0
    }
}
