import DeskCore

/// One instrument's breakers, indexed by `BreakerKind.rawValue`, in storage allocated once. A
/// breaker is fed several times per event and on every timer tick: kept in an array, each
/// feed paid a uniqueness check before the write. Readers see a collection of values.
public final class BreakerTable: RandomAccessCollection {
    private let storage: UnsafeMutablePointer<Breaker>
    public let count: Int

    init(_ kinds: [BreakerKind]) {
        count = kinds.count
        storage = .allocate(capacity: kinds.count)
        for (i, kind) in kinds.enumerated() {
            precondition(Int(kind.rawValue) == i, "breakers are indexed by their kind's raw value")
            (storage + i).initialize(to: Breaker(kind: kind))
        }
    }

    deinit {
        storage.deinitialize(count: count)
        storage.deallocate()
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }
    @inline(__always) public subscript(_ i: Int) -> Breaker { storage[i] }

    /// Breaker `i`, to change in place.
    @inline(__always) func withBreaker<R>(_ i: Int, _ body: (inout Breaker) -> R) -> R { body(&storage[i]) }
}
