// A bounded, lock-free, single-producer single-consumer ring: how events cross from a venue
// thread to the engine thread, commands from the console to the engine, and journal records
// from the engine to the journal writer (see DESIGN.md, "The path of one event").
import Atomics

/// The size the runtime assumes for one cache line. Each index that one thread writes and
/// another reads gets a line of its own, so the two threads never fight over a line for a
/// variable they do not share (the LMAX Disruptor's padded sequences).
@usableFromInline
internal let cacheLineSize = 64

/// A fixed-capacity queue between exactly one producer thread and exactly one consumer thread.
///
/// The contract, which the type cannot check for you:
/// - at any moment at most one thread calls `tryPush` (the producer), and
/// - at any moment at most one thread calls `drain` (the consumer).
///
/// The producer and the consumer may be the same thread, and either role may move to another
/// thread if the hand-over itself synchronises (a thread join, a lock, a release/acquire pair).
/// `capacity`, `fullCount` and `approximateCount` may be read from any thread.
///
/// Nothing on `tryPush` or `drain` allocates, locks, makes a system call or waits: a full
/// ring makes `tryPush` return `false` (and counts it in `fullCount`), an empty ring makes
/// `drain` return 0. What to do then (spin, yield, drop) is the caller's wait strategy.
///
/// ```swift
/// let ring = SPSCRing<MarketEvent>(capacity: 4096)
/// // venue thread
/// if !ring.tryPush(event) { /* full: spin, or count a drop */ }
/// // engine thread
/// let n = ring.drain(maxCount: 256) { event in engine.apply(event) }
/// ```
///
/// - Complexity: `tryPush` is O(1); `drain` is O(n) in the elements it hands out, with one
///   atomic store per batch.
public final class SPSCRing<Element: BitwiseCopyable>: @unchecked Sendable {
    // Memory layout of `lines` (one allocation, 64-byte aligned, one line per owner):
    //
    //   offset   0  producer line: tail (atomic, published), cachedHead (producer's copy)
    //   offset  64  consumer line: head (atomic, published), cachedTail (consumer's copy)
    //   offset 128  statistics line: fullCount (atomic, written by the producer)
    //
    // `tail` counts elements ever pushed, `head` elements ever drained; both only grow (with
    // wrapping arithmetic) and `tail &- head` is the number of elements in the ring. A slot is
    // `index & mask`. The cached copies let each side run on its own line in the common case:
    // the producer only loads `head` when its cached copy says the ring is full, the consumer
    // only loads `tail` when its cached copy says the ring is empty.

    /// The number of elements the ring holds when full: the requested capacity rounded up to a
    /// power of two.
    public let capacity: Int
    /// Rung after each push, when the consumer sleeps on it (the `block` wait strategy).
    public let doorbell: Doorbell?

    @usableFromInline internal let mask: Int
    @usableFromInline internal let elements: UnsafeMutablePointer<Element>
    @usableFromInline internal let lines: UnsafeMutableRawPointer

    @usableFromInline internal static var producerLine: Int { 0 }
    @usableFromInline internal static var consumerLine: Int { cacheLineSize }
    @usableFromInline internal static var statsLine: Int { 2 * cacheLineSize }
    @usableFromInline internal static var linesByteCount: Int { 3 * cacheLineSize }

    /// Creates an empty ring.
    ///
    /// - Parameters:
    ///   - capacity: the least number of elements the ring must hold; rounded up to the next
    ///     power of two. Must be at least 1.
    ///   - doorbell: the consumer's, if it sleeps when idle; producers ring it after pushing.
    public init(capacity requested: Int, doorbell: Doorbell? = nil) {
        self.doorbell = doorbell
        precondition(requested > 0, "SPSCRing capacity must be positive, got \(requested)")
        precondition(requested <= 1 << 40, "SPSCRing capacity \(requested) is unreasonably large")
        let capacity = requested == 1 ? 1 : 1 << (Int.bitWidth - (requested - 1).leadingZeroBitCount)
        self.capacity = capacity
        self.mask = capacity - 1

        // Element storage starts on a line of its own too, so slot 0 never shares a line with
        // anything else. `BitwiseCopyable` means there is nothing to deinitialise. The bytes
        // are zeroed now, so every page is resident from the start: the first lap does not
        // take page faults on the hot path, and the session's memory is its whole size at
        // once instead of creeping up over the first minutes (a 64 Ki-slot inbound ring at a
        // paper market's pace took seven minutes to be all touched).
        let byteCount = capacity * MemoryLayout<Element>.stride
        let raw = UnsafeMutableRawPointer.allocate(byteCount: byteCount,
                                                   alignment: max(cacheLineSize, MemoryLayout<Element>.alignment))
        raw.initializeMemory(as: UInt8.self, repeating: 0, count: byteCount)
        self.elements = raw.bindMemory(to: Element.self, capacity: capacity)

        self.lines = UnsafeMutableRawPointer.allocate(byteCount: Self.linesByteCount, alignment: cacheLineSize)
        self.lines.initializeMemory(as: UInt8.self, repeating: 0, count: Self.linesByteCount)
        let word = MemoryLayout<Int>.stride
        (lines + Self.producerLine).bindMemory(to: UnsafeAtomic<Int>.Storage.self, capacity: 1)
            .initialize(to: .init(0))
        (lines + Self.producerLine + word).bindMemory(to: Int.self, capacity: 1).initialize(to: 0)
        (lines + Self.consumerLine).bindMemory(to: UnsafeAtomic<Int>.Storage.self, capacity: 1)
            .initialize(to: .init(0))
        (lines + Self.consumerLine + word).bindMemory(to: Int.self, capacity: 1).initialize(to: 0)
        (lines + Self.statsLine).bindMemory(to: UnsafeAtomic<Int>.Storage.self, capacity: 1)
            .initialize(to: .init(0))
    }

    deinit {
        // `Int`'s atomic storage is trivial: nothing to dispose beyond the memory itself.
        UnsafeMutableRawPointer(elements).deallocate()
        lines.deallocate()
    }

    // MARK: - Layout accessors

    /// Elements ever pushed. Written by the producer only.
    @inlinable @inline(__always)
    internal var tail: UnsafeAtomic<Int> {
        UnsafeAtomic(at: (lines + Self.producerLine).assumingMemoryBound(to: UnsafeAtomic<Int>.Storage.self))
    }

    /// The producer's last sight of `head`; may lag, never leads. Producer-private.
    @inlinable @inline(__always)
    internal var cachedHead: UnsafeMutablePointer<Int> {
        (lines + Self.producerLine + MemoryLayout<Int>.stride).assumingMemoryBound(to: Int.self)
    }

    /// Elements ever drained. Written by the consumer only.
    @inlinable @inline(__always)
    internal var head: UnsafeAtomic<Int> {
        UnsafeAtomic(at: (lines + Self.consumerLine).assumingMemoryBound(to: UnsafeAtomic<Int>.Storage.self))
    }

    /// The consumer's last sight of `tail`; may lag, never leads. Consumer-private.
    @inlinable @inline(__always)
    internal var cachedTail: UnsafeMutablePointer<Int> {
        (lines + Self.consumerLine + MemoryLayout<Int>.stride).assumingMemoryBound(to: Int.self)
    }

    @inlinable @inline(__always)
    internal var fullCounter: UnsafeAtomic<Int> {
        UnsafeAtomic(at: (lines + Self.statsLine).assumingMemoryBound(to: UnsafeAtomic<Int>.Storage.self))
    }

    // MARK: - Producer side

    /// Appends `element` if there is room. Producer thread only.
    ///
    /// - Returns: `true` if the element is now in the ring; `false` if the ring was full, in
    ///   which case nothing changed except `fullCount`, which grew by one.
    /// - Complexity: O(1), no allocation, no lock.
    /// - Parameter ringing: ring the consumer's doorbell after the push; a producer pushing a
    ///   batch passes false and rings once at the end.
    @inlinable
    @discardableResult
    public func tryPush(_ element: Element, ringing: Bool = true) -> Bool {
        // Relaxed: only this thread ever writes `tail`, so its own last store is what it reads.
        let t = tail.load(ordering: .relaxed)
        if t &- cachedHead.pointee == capacity {
            // The cached copy says full; look at the real `head`. Acquiring pairs with the
            // consumer's releasing store of `head`: every read the consumer made of the slots it
            // has released happens before we overwrite those slots below.
            cachedHead.pointee = head.load(ordering: .acquiring)
            if t &- cachedHead.pointee == capacity {
                countFull()
                return false
            }
        }
        (elements + (t & mask)).initialize(to: element)
        // Releasing: the element write above becomes visible to any thread that acquires this
        // value of `tail` (the consumer), so it never reads a slot before its contents.
        tail.store(t &+ 1, ordering: .releasing)
        if ringing { doorbell?.ring() }
        return true
    }

    /// Appends as many leading elements of `batch` as fit, publishing them with one store.
    /// Producer thread only.
    ///
    /// - Returns: how many elements were pushed (a prefix of `batch`). If fewer than
    ///   `batch.count`, the ring became full and `fullCount` grew by one.
    /// - Complexity: O(n) in the elements pushed, one atomic store.
    @inlinable
    @discardableResult
    public func tryPush(contentsOf batch: UnsafeBufferPointer<Element>) -> Int {
        guard !batch.isEmpty else { return 0 }
        // Relaxed: producer-owned, as in `tryPush(_:)`.
        let t = tail.load(ordering: .relaxed)
        if capacity &- (t &- cachedHead.pointee) < batch.count {
            // Acquiring: as in `tryPush(_:)`, the consumer's reads of released slots happen
            // before our writes to them.
            cachedHead.pointee = head.load(ordering: .acquiring)
        }
        let room = capacity &- (t &- cachedHead.pointee)
        let n = min(room, batch.count)
        if n < batch.count { countFull() }
        if n == 0 { return 0 }
        var i = 0
        while i < n {
            (elements + ((t &+ i) & mask)).initialize(to: batch[i])
            i &+= 1
        }
        // Releasing: all `n` element writes are visible before the consumer can see them.
        tail.store(t &+ n, ordering: .releasing)
        doorbell?.ring()
        return n
    }

    @inlinable @inline(__always)
    internal func countFull() {
        // Only the producer writes the counter, so a relaxed load + store is an exact count
        // without a locked read-modify-write. Relaxed is enough: it is a statistic that guards
        // no other memory; readers only need to see some recent value.
        let c = fullCounter
        c.store(c.load(ordering: .relaxed) &+ 1, ordering: .relaxed)
    }

    // MARK: - Consumer side

    /// Hands up to `maxCount` elements, oldest first, to `body`, then releases their slots to
    /// the producer with a single store. Consumer thread only.
    ///
    /// `body` runs before the slots are released, so the producer cannot overwrite an element
    /// while `body` reads it. `body` must not call `drain` on the same ring.
    ///
    /// - Returns: the number of elements handed to `body`; 0 if the ring was empty.
    /// - Complexity: O(n) in the elements handed out; one atomic store per batch, plus one
    ///   atomic load of the producer's index when the consumer's cached copy says empty.
    @inlinable
    @discardableResult
    public func drain(maxCount: Int, _ body: (Element) -> Void) -> Int {
        precondition(maxCount > 0, "drain(maxCount:) needs a positive maxCount")
        // Relaxed: only this thread ever writes `head`.
        let h = head.load(ordering: .relaxed)
        var available = cachedTail.pointee &- h
        if available == 0 {
            // Acquiring pairs with the producer's releasing store of `tail`: the element writes
            // for every index below the loaded `tail` are visible to the reads below.
            cachedTail.pointee = tail.load(ordering: .acquiring)
            available = cachedTail.pointee &- h
            if available == 0 { return 0 }
        }
        let n = min(available, maxCount)
        var i = 0
        while i < n {
            body(elements[(h &+ i) & mask])
            i &+= 1
        }
        // Releasing: every read of these slots (in `body`) happens before the producer, which
        // acquires `head`, can overwrite them.
        head.store(h &+ n, ordering: .releasing)
        return n
    }

    // MARK: - Observers (any thread)

    /// How many times `tryPush` found the ring full. Exact when read by the producer; from
    /// any other thread, a recent value (it only grows).
    public var fullCount: Int {
        // Relaxed: a monotonic statistic; no other memory is published through it.
        fullCounter.load(ordering: .relaxed)
    }

    /// Whether the ring holds nothing, as the consumer sees it now. Consumer thread only: the
    /// last look before it sleeps on a `Doorbell`.
    public var isEmptyForConsumer: Bool {
        // Acquiring: pairs with the producer's releasing store of `tail`; `head` is our own.
        tail.load(ordering: .acquiring) == head.load(ordering: .relaxed)
    }

    /// Whether the consumer has taken and finished with everything pushed, as the producer
    /// sees it now. Producer thread only: the consumer releases a batch's slots after it has
    /// handled them, so a drained ring means the consumer acted on every element.
    public var isDrainedForProducer: Bool {
        // Acquiring: pairs with the consumer's releasing store of `head` after its batch.
        head.load(ordering: .acquiring) == tail.load(ordering: .relaxed)
    }

    /// The number of elements in the ring at some recent moment; exact only when neither
    /// side is active. For display and tests, never for control flow between the two sides.
    public var approximateCount: Int {
        // Relaxed both: an estimate, so the two loads may be from slightly different moments;
        // clamp to the only values that can ever be true.
        let h = head.load(ordering: .relaxed)
        let t = tail.load(ordering: .relaxed)
        return min(max(t &- h, 0), capacity)
    }
}
