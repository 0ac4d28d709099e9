import DeskCore

/// One side of the book: levels indexed by tick offset in the window, a bitmap of non-empty
/// levels, and the index of the best level. For bids "worse" means lower; for asks, higher.
///
/// A level's total size and its queue of known orders are in two arrays: an L2 feed touches
/// only the sizes, at 8 bytes a level rather than 32, and it never reads a queue while no
/// order has joined one (`holdsOrders`), since every known size is then zero.
@usableFromInline
struct BookSide {
    /// Total displayed size per level.
    @usableFromInline let sizes: UnsafeMutablePointer<Int64>
    @usableFromInline let queues: UnsafeMutablePointer<LevelQueue>
    /// Whether an order has joined a queue since the side was last cleared.
    @usableFromInline var holdsOrders = false
    @usableFromInline let bits: UnsafeMutablePointer<UInt64>
    @usableFromInline let window: Int
    @usableFromInline let isBid: Bool
    /// Index of the best level; -1 (bids) or `window` (asks) when the side is empty.
    @usableFromInline var best: Int
    @usableFromInline var nonEmpty = 0
    /// Levels that have emptied, ever: the book's resting bounds may be stale once it moves.
    @usableFromInline var emptied = 0

    init(window: Int, isBid: Bool) {
        self.window = window
        self.isBid = isBid
        sizes = .allocate(capacity: window)
        sizes.initialize(repeating: 0, count: window)
        queues = .allocate(capacity: window)
        queues.initialize(repeating: LevelQueue(), count: window)
        bits = .allocate(capacity: window / 64)
        bits.initialize(repeating: 0, count: window / 64)
        best = isBid ? -1 : window
    }

    func deallocate() {
        sizes.deallocate()
        queues.deallocate()
        bits.deallocate()
    }

    @inlinable var emptyBest: Int { isBid ? -1 : window }

    /// The level at index `i`, as readers see it.
    @inlinable @inline(__always) func level(_ i: Int) -> BookLevel {
        BookLevel(qty: sizes[i], queue: holdsOrders ? queues[i] : LevelQueue())
    }

    // MARK: Bitmap

    @inlinable func isSet(_ i: Int) -> Bool { bits[i >> 6] & (1 << UInt64(i & 63)) != 0 }

    @inlinable @inline(__always) mutating func mark(_ i: Int) {
        bits[i >> 6] |= 1 << UInt64(i & 63)
        nonEmpty &+= 1
        if isBid ? i > best : i < best { best = i }
    }

    @inlinable @inline(__always) mutating func unmark(_ i: Int) {
        bits[i >> 6] &= ~(1 << UInt64(i & 63))
        nonEmpty &-= 1
        emptied &+= 1
        if i == best { best = nextWorse(than: i) }
    }

    /// The next non-empty level beyond `i` in the worse direction, or the empty sentinel.
    @inlinable func nextWorse(than i: Int) -> Int {
        isBid ? highest(below: i) : lowest(above: i)
    }

    @inlinable func highest(below i: Int) -> Int {
        guard i > 0 else { return -1 }
        var word = (i - 1) >> 6
        var w = bits[word] & (UInt64.max >> UInt64(63 - ((i - 1) & 63)))
        while true {
            if w != 0 { return word << 6 | (63 - w.leadingZeroBitCount) }
            word -= 1
            if word < 0 { return -1 }
            w = bits[word]
        }
    }

    @inlinable func lowest(above i: Int) -> Int {
        let start = i + 1
        guard start < window else { return window }
        var word = start >> 6
        var w = bits[word] & (UInt64.max << UInt64(start & 63))
        let words = window >> 6
        while true {
            if w != 0 { return word << 6 | w.trailingZeroBitCount }
            word += 1
            if word >= words { return window }
            w = bits[word]
        }
    }

    func lowestIndex() -> Int? { let i = lowest(above: -1); return i < window ? i : nil }
    func highestIndex() -> Int? { let i = highest(below: window); return i >= 0 ? i : nil }

    // MARK: Level updates

    @inlinable @inline(__always) mutating func append(_ slot: Int32, at i: Int, qty: Int64, pool: UnsafeMutablePointer<BookOrder>) {
        holdsOrders = true
        let wasEmpty = sizes[i] == 0
        let tail = queues[i].tail
        pool[Int(slot)].prev = tail
        pool[Int(slot)].next = -1
        if tail >= 0 { pool[Int(tail)].next = slot } else { queues[i].head = slot }
        queues[i].tail = slot
        sizes[i] += qty
        queues[i].knownQty += qty
        queues[i].orders += 1
        if wasEmpty { mark(i) }
    }

    @inlinable @inline(__always) mutating func unlink(_ slot: Int32, at i: Int, pool: UnsafeMutablePointer<BookOrder>) {
        let order = pool[Int(slot)]
        if order.prev >= 0 { pool[Int(order.prev)].next = order.next } else { queues[i].head = order.next }
        if order.next >= 0 { pool[Int(order.next)].prev = order.prev } else { queues[i].tail = order.prev }
        queues[i].orders -= 1
        take(order.qty, at: i, known: true)
    }

    /// Removes size from a level (known orders' or anonymous), clearing it when it empties.
    @inlinable @inline(__always) mutating func take(_ qty: Int64, at i: Int, known: Bool) {
        sizes[i] -= qty
        if known { queues[i].knownQty -= qty }
        if sizes[i] <= 0 {
            sizes[i] = 0
            unmark(i)
        }
    }

    /// Sets a level's size as an L2 total: whatever the known orders do not explain is anonymous.
    @inlinable @inline(__always) mutating func setAnonymous(_ qty: Int64, at i: Int) {
        let was = sizes[i]
        let now = holdsOrders ? max(qty, queues[i].knownQty) : qty
        sizes[i] = now
        if was == 0, now > 0 { mark(i) } else if was > 0, now == 0 { unmark(i) }
    }

    mutating func clearAll() {
        var i = lowest(above: -1)
        while i < window {
            sizes[i] = 0
            if holdsOrders { queues[i] = LevelQueue() }
            i = lowest(above: i)
        }
        bits.update(repeating: 0, count: window / 64)
        best = emptyBest
        nonEmpty = 0
        holdsOrders = false
    }

    /// Moves every level down by `shift` indices (up when negative), as the window's base moves
    /// up by `shift` ticks; levels pushed past an edge were checked empty by the caller.
    ///
    /// - Complexity: O(non-empty levels + window / 64): only levels with size move.
    mutating func shift(by shift: Int) {
        guard shift != 0 else { return }
        // Moving down, take levels lowest first (up: highest first), so none is overwritten
        // before it has moved. A moved level's old place is left empty.
        var moved = 0
        var j = shift > 0 ? lowest(above: -1) : highest(below: window)
        while j >= 0 && j < window {
            let next = shift > 0 ? lowest(above: j) : highest(below: j)
            let size = sizes[j]
            let queue = queues[j]
            sizes[j] = 0
            queues[j] = LevelQueue()
            bits[j >> 6] &= ~(1 << UInt64(j & 63))
            let to = j - shift
            if to >= 0 && to < window {
                sizes[to] = size
                queues[to] = queue
                bits[to >> 6] |= 1 << UInt64(to & 63)
                moved += 1
            }
            j = next
        }
        nonEmpty = moved
        best = isBid ? highest(below: window) : lowest(above: -1)
    }
}
