// How the engine shows the console a consistent picture of itself without a lock and without
// either side ever waiting: a triple buffer. The writer owns one slot (back), the reader owns
// one (front), and the third (middle) is handed between them by one atomic exchange.
import Atomics

/// A single-writer, single-reader exchange of whole values: the writer publishes as often as it
/// likes, the reader takes the newest published value whenever it looks.
///
/// Three slots of `Value` are preallocated. The writer fills its *back* slot in place, then
/// atomically swaps it with the *middle* slot and marks the middle fresh. The reader, when it
/// looks, swaps its *front* slot with the middle if the middle is fresh, then reads its front.
/// Slots are exchanged, never copied, so:
/// - the writer never waits and never blocks the reader (one atomic exchange per publish);
/// - the reader never sees a slot while the writer is writing it, so a value is never torn,
///   even when `Value` holds arrays or other references;
/// - the reader may skip values (it sees the newest, not every one), never goes backwards,
///   and keeps the last value it saw when nothing new has been published.
///
/// The contract, which the type cannot check for you: at most one thread at a time calls
/// `write` (the writer) and at most one thread at a time calls `withLatest`, `latest()` or
/// `withNewValue` (the reader).
///
/// ```swift
/// let snapshots = SnapshotExchange { EngineSnapshot(levels: 20) }
/// // engine thread, after each batch of events
/// snapshots.write { snap in snap.fill(from: engine) }   // overwrite every field
/// // console thread, once per frame
/// snapshots.withLatest { snap in ladder.draw(snap) }
/// ```
///
/// Allocation: none on `write` or `withLatest`, provided `update` mutates in place (arrays
/// keep their capacity) and the reader does not keep copies of the value. A copy the reader
/// keeps (`latest()`, or escaping the value out of `withLatest`) shares the value's array
/// buffers, so the writer's next in-place write to that slot copies them (copy-on-write):
/// still correct, but an allocation on the writer's thread.
///
/// - Complexity: `write` is the cost of `update` plus one atomic exchange; `withLatest` is
///   one relaxed load, at most one atomic exchange, plus the cost of `body`.
public final class SnapshotExchange<Value: Sendable>: @unchecked Sendable {
    // Memory layout of `lines` (one allocation, 64-byte aligned, one line per owner):
    //
    //   offset   0  writer line: back index (writer-private)
    //   offset  64  shared line: middle state (atomic): slot index in bits 0-1, fresh in bit 2
    //   offset 128  reader line: front index (reader-private)
    //
    // At every moment {back, middle & indexMask, front} is a permutation of {0, 1, 2}: each
    // side only ever trades its own slot for the middle one, atomically.
    // Each slot is also padded to whole cache lines, so the writer filling its slot never
    // invalidates the line the reader is reading.

    @usableFromInline internal let slots: UnsafeMutableRawPointer
    @usableFromInline internal let slotStride: Int
    @usableFromInline internal let lines: UnsafeMutableRawPointer

    @usableFromInline internal static var indexMask: Int { 0b011 }
    @usableFromInline internal static var freshBit: Int { 0b100 }
    @usableFromInline internal static var writerLine: Int { 0 }
    @usableFromInline internal static var sharedLine: Int { cacheLineSize }
    @usableFromInline internal static var readerLine: Int { 2 * cacheLineSize }
    @usableFromInline internal static var linesByteCount: Int { 3 * cacheLineSize }

    /// Creates the exchange with three slots, each initialised by `make`. Until the first
    /// `write`, the reader sees the value `make` returned for its front slot.
    ///
    /// - Parameter make: builds one slot's initial value; called three times. Give the value
    ///   its full capacity here (e.g. `reserveCapacity`) so later writes need not allocate.
    public init(_ make: () -> Value) {
        let stride = MemoryLayout<Value>.stride
        self.slotStride = max(cacheLineSize, (stride + cacheLineSize - 1) / cacheLineSize * cacheLineSize)
        self.slots = UnsafeMutableRawPointer.allocate(
            byteCount: 3 * slotStride,
            alignment: max(cacheLineSize, MemoryLayout<Value>.alignment)
        )
        for i in 0..<3 {
            (slots + i * slotStride).bindMemory(to: Value.self, capacity: 1).initialize(to: make())
        }

        self.lines = UnsafeMutableRawPointer.allocate(byteCount: Self.linesByteCount, alignment: cacheLineSize)
        self.lines.initializeMemory(as: UInt8.self, repeating: 0, count: Self.linesByteCount)
        // Writer starts with slot 2, the middle holds slot 1 (not fresh), the reader slot 0.
        (lines + Self.writerLine).bindMemory(to: Int.self, capacity: 1).initialize(to: 2)
        (lines + Self.sharedLine).bindMemory(to: UnsafeAtomic<Int>.Storage.self, capacity: 1)
            .initialize(to: .init(1))
        (lines + Self.readerLine).bindMemory(to: Int.self, capacity: 1).initialize(to: 0)
    }

    deinit {
        for i in 0..<3 {
            slot(i).deinitialize(count: 1)
        }
        slots.deallocate()
        lines.deallocate()
    }

    // MARK: - Layout accessors

    @inlinable @inline(__always)
    internal func slot(_ index: Int) -> UnsafeMutablePointer<Value> {
        (slots + index &* slotStride).assumingMemoryBound(to: Value.self)
    }

    /// The slot the writer owns. Writer-private.
    @inlinable @inline(__always)
    internal var back: UnsafeMutablePointer<Int> {
        (lines + Self.writerLine).assumingMemoryBound(to: Int.self)
    }

    /// The slot in between, plus the fresh bit. Shared.
    @inlinable @inline(__always)
    internal var middle: UnsafeAtomic<Int> {
        UnsafeAtomic(at: (lines + Self.sharedLine).assumingMemoryBound(to: UnsafeAtomic<Int>.Storage.self))
    }

    /// The slot the reader owns. Reader-private.
    @inlinable @inline(__always)
    internal var front: UnsafeMutablePointer<Int> {
        (lines + Self.readerLine).assumingMemoryBound(to: Int.self)
    }

    // MARK: - Writer side

    /// Lets `update` fill the writer's slot in place, then publishes it as the newest value.
    /// Writer thread only. Never waits.
    ///
    /// The slot `update` receives is **not** the last published value: it is whichever slot
    /// the writer got back from the exchange, typically a value two or more publishes old.
    /// So `update` must set every part of the value it means to publish (fill it from the
    /// source of truth), never adjust it relative to what it finds (`seq += 1` is wrong).
    ///
    /// If `update` throws, nothing is published and the slot stays the writer's.
    @inlinable
    public func write(_ update: (inout Value) throws -> Void) rethrows {
        let mine = back.pointee
        try update(&slot(mine).pointee)
        // Acquiring and releasing:
        // - releasing: our writes to slot `mine` happen before any thread that acquires this
        //   middle state (the reader's exchange) and then reads the slot;
        // - acquiring: the slot we get back may be one the reader just gave up; its reads of
        //   that slot (released by its exchange) happen before our next `update` writes it.
        let old = middle.exchange(mine | Self.freshBit, ordering: .acquiringAndReleasing)
        back.pointee = old & Self.indexMask
    }

    /// Publishes `value` as the newest value. Writer thread only. Never waits.
    /// Shares `value`'s buffers; `write(_:)` filling in place avoids that.
    @inlinable
    public func publish(_ value: Value) {
        write { $0 = value }
    }

    // MARK: - Reader side

    /// Takes the middle slot if the writer has published since the reader last took one.
    /// Reader thread only. Returns whether the front slot changed.
    @inlinable @inline(__always)
    internal func takeFresh() -> Bool {
        // Relaxed pre-check: if the fresh bit looks clear we read nothing new, so no ordering
        // is needed; we only skip a locked exchange (and a line transfer) when idle. A fresh
        // bit we miss here is seen on a later call.
        guard middle.load(ordering: .relaxed) & Self.freshBit != 0 else { return false }
        // Acquiring and releasing:
        // - acquiring pairs with the writer's releasing exchange: its writes to the slot we
        //   take are visible before we read it;
        // - releasing: our reads of the old front happen before the writer, which acquires
        //   this middle state, writes that slot again.
        // Storing the index without the fresh bit marks the middle as already seen.
        let old = middle.exchange(front.pointee, ordering: .acquiringAndReleasing)
        front.pointee = old & Self.indexMask
        // `old` always has the fresh bit: only the reader clears it, and it saw it set.
        return true
    }

    /// Runs `body` on the newest published value (or, if nothing new was published since the
    /// reader last looked, on the value it saw then). Reader thread only. Never waits.
    ///
    /// The value is borrowed from the reader's slot; the writer cannot touch it during `body`.
    @inlinable
    public func withLatest<R>(_ body: (Value) throws -> R) rethrows -> R {
        _ = takeFresh()
        return try body(slot(front.pointee).pointee)
    }

    /// Runs `body` on the newest value only if the writer has published since the reader last
    /// looked; otherwise returns `nil` without calling `body`. Reader thread only.
    @inlinable
    public func withNewValue<R>(_ body: (Value) throws -> R) rethrows -> R? {
        guard takeFresh() else { return nil }
        return try body(slot(front.pointee).pointee)
    }

    /// A copy of the newest published value (see `withLatest`). Reader thread only.
    /// The copy shares array buffers with the slot; see the type's note on allocation.
    @inlinable
    public func latest() -> Value {
        withLatest { $0 }
    }
}
