import DeskCore

/// An L3 order book: orders by id, FIFO queues per price level, and an L2 view on top.
///
/// Levels live in a tick-indexed array over a window of prices around the market, with a
/// bitmap of non-empty levels per side, so finding the next level after the best empties is a
/// few word scans rather than a search or a hash. The window follows the market when it moves
/// off an edge. Orders live in a preallocated pool; an open-addressing index maps id -> slot.
///
///     let book = OrderBook(tickSize: 100)
///     book.add(id: 1, side: .buy, price: Price(5_853_100), qty: 100)
///     book.bestBid  // Price(5_853_100)
///
/// - Complexity: add, reduce, delete and execute are O(1) except when the best level empties
///   (a bitmap scan to the next level) or the window recentres (O(window), rare).
public final class OrderBook {
    public let tickSize: Int64
    /// Price levels the window spans; a power of two.
    public let windowTicks: Int
    public private(set) var counters = BookCounters()

    @usableFromInline var baseTick: Int64 = 0
    @usableFromInline var anchored = false
    @usableFromInline var bids: BookSide
    @usableFromInline var asks: BookSide
    @usableFromInline var pool: UnsafeMutablePointer<BookOrder>
    @usableFromInline var poolCapacity: Int
    @usableFromInline var freeHead: Int32 = -1
    @usableFromInline var poolUsed: Int32 = 0
    @usableFromInline var index: OrderIDIndex
    /// Ticks no higher than the lowest resting level and no lower than the highest: exact
    /// after a scan, widened as levels fill, never narrowed as they empty. Recentring reads
    /// them first, so a level that cannot fit is refused without scanning the window.
    @usableFromInline var lowBound = Int64.max
    @usableFromInline var highBound = Int64.min
    /// Levels emptied (both sides) when the bounds were last made exact.
    @usableFromInline var emptiedAtBoundsScan = -1

    /// - Parameters:
    ///   - tickSize: price units per tick; prices off the tick are refused and counted.
    ///   - windowTicks: levels per side kept in the array (rounded up to a power of two).
    ///   - orderCapacity: orders held before the pool grows.
    public init(tickSize: Int64, windowTicks: Int = 1 << 16, orderCapacity: Int = 1 << 16) {
        precondition(tickSize > 0, "tick size must be positive")
        var w = 64
        while w < windowTicks { w <<= 1 }
        self.tickSize = tickSize
        self.windowTicks = w
        bids = BookSide(window: w, isBid: true)
        asks = BookSide(window: w, isBid: false)
        poolCapacity = max(orderCapacity, 16)
        pool = .allocatePrefaulted(capacity: poolCapacity)
        index = OrderIDIndex(capacity: poolCapacity)
    }

    deinit {
        bids.deallocate()
        asks.deallocate()
        pool.deallocate()
        index.deallocate()
    }

    // MARK: Reading the book

    @inlinable public var bestBid: Price { bids.best >= 0 ? price(ofIndex: bids.best) : .undefined }
    @inlinable public var bestAsk: Price { asks.best < windowTicks ? price(ofIndex: asks.best) : .undefined }
    @inlinable public var bestBidQty: Qty { bids.best >= 0 ? Qty(bids.sizes[bids.best]) : .zero }
    @inlinable public var bestAskQty: Qty { asks.best < windowTicks ? Qty(asks.sizes[asks.best]) : .zero }
    @inlinable public var hasTwoSides: Bool { bids.best >= 0 && asks.best < windowTicks }
    /// Best bid at or above best ask: an L2 feed out of step, or a broken feed.
    @inlinable public var isCrossed: Bool { hasTwoSides && bids.best >= asks.best }
    @inlinable public var isEmpty: Bool { bids.best < 0 && asks.best >= windowTicks }

    /// Number of non-empty levels on a side.
    public func levelCount(_ side: Side) -> Int { side == .buy ? bids.nonEmpty : asks.nonEmpty }

    /// Number of resting orders whose ids the book knows.
    public var orderCount: Int { index.count }

    /// The level at a price, or an empty level.
    @inlinable public func level(_ side: Side, _ price: Price) -> BookLevel {
        guard let i = index(of: price) else { return BookLevel() }
        return side == .buy ? bids.level(i) : asks.level(i)
    }

    @inlinable public func qty(_ side: Side, _ price: Price) -> Qty {
        guard let i = index(of: price) else { return .zero }
        return Qty(side == .buy ? bids.sizes[i] : asks.sizes[i])
    }

    /// Visits up to `maxLevels` non-empty levels of a side, best first. Stops when `body`
    /// returns false.
    @inlinable
    public func forEachLevel(_ side: Side, maxLevels: Int = .max, _ body: (Price, BookLevel) -> Bool) {
        guard maxLevels > 0 else { return }
        var visited = 0
        if side == .buy {
            var i = bids.best
            while i >= 0 {
                if !body(price(ofIndex: i), bids.level(i)) { return }
                visited += 1
                if visited >= maxLevels { return } // no scan past the last level wanted
                i = bids.nextWorse(than: i)
            }
        } else {
            var i = asks.best
            while i < windowTicks {
                if !body(price(ofIndex: i), asks.level(i)) { return }
                visited += 1
                if visited >= maxLevels { return }
                i = asks.nextWorse(than: i)
            }
        }
    }

    /// Total size of the best `levels` levels of a side.
    @inlinable public func depthQty(_ side: Side, levels: Int) -> Int64 {
        var total: Int64 = 0
        forEachLevel(side, maxLevels: levels) { _, level in total += level.qty; return true }
        return total
    }

    /// Whether the book knows an order id.
    public func contains(id: UInt64) -> Bool { index.find(id) >= 0 }

    /// Remaining size of a known order, or nil.
    public func orderQty(id: UInt64) -> Qty? {
        let slot = index.find(id)
        return slot >= 0 ? Qty(pool[Int(slot)].qty) : nil
    }

    /// A known resting order's side, price and remaining size, or nil.
    public func restingOrder(id: UInt64) -> (side: Side, price: Price, qty: Qty)? {
        let slot = index.find(id)
        guard slot >= 0 else { return nil }
        let o = pool[Int(slot)]
        return (o.side, Price(o.priceTicks * tickSize), Qty(o.qty))
    }

    /// Size resting ahead of a known order in its level's queue, or nil.
    ///
    /// - Complexity: O(orders ahead of it).
    public func queueAhead(id: UInt64) -> Int64? {
        let slot = index.find(id)
        guard slot >= 0 else { return nil }
        let o = pool[Int(slot)]
        let level = o.side == .buy ? bids.level(Int(o.priceTicks - baseTick)) : asks.level(Int(o.priceTicks - baseTick))
        var ahead = level.qty - level.knownQty // anonymous size counts as older
        var s = level.head
        while s >= 0, s != slot {
            ahead += pool[Int(s)].qty
            s = pool[Int(s)].next
        }
        return ahead
    }

    /// Ids at a level in time priority (oldest first). For matching and tests; allocates.
    public func queue(_ side: Side, _ price: Price) -> [(id: UInt64, qty: Qty)] {
        var out: [(id: UInt64, qty: Qty)] = []
        var slot = level(side, price).head
        while slot >= 0 {
            out.append((pool[Int(slot)].id, Qty(pool[Int(slot)].qty)))
            slot = pool[Int(slot)].next
        }
        return out
    }

    /// The oldest known order at a level: (id, qty), or nil.
    @inlinable public func front(_ side: Side, _ price: Price) -> (id: UInt64, qty: Qty)? {
        let slot = level(side, price).head
        guard slot >= 0 else { return nil }
        return (pool[Int(slot)].id, Qty(pool[Int(slot)].qty))
    }

    // MARK: Prices and the window

    @inlinable func price(ofIndex i: Int) -> Price { Price((baseTick + Int64(i)) * tickSize) }

    /// A price in ticks, or nil off the tick. A one-unit tick (Binance's) needs no division,
    /// which would otherwise be the costliest instruction of a book update.
    @inlinable @inline(__always) func ticks(of price: Price) -> Int64? {
        if tickSize == 1 { return price.units }
        let (q, r) = price.units.quotientAndRemainder(dividingBy: tickSize)
        return r == 0 ? q : nil
    }

    /// Window index of a price already in the window, or nil.
    @inlinable @inline(__always) func index(of price: Price) -> Int? {
        guard anchored, price.isDefined, let ticks = ticks(of: price) else { return nil }
        // Reporting overflow: an absurd price far from the window must read as "not here", not trap.
        let (i, overflow) = ticks.subtractingReportingOverflow(baseTick)
        return !overflow && i >= 0 && i < Int64(windowTicks) ? Int(i) : nil
    }

    /// Window index for a price about to be written: anchors or moves the window if needed.
    /// Nil (and counted) when the price is off the tick or too far from the resting book.
    @inline(__always) @usableFromInline func writableIndex(of price: Price) -> Int? {
        guard price.isDefined, price.units > 0, let ticks = ticks(of: price) else {
            counters.offTick += 1
            return nil
        }
        // Reporting overflow: an absurd price is refused by `recentre`, not a trap.
        let (i, overflow) = ticks.subtractingReportingOverflow(baseTick)
        if anchored, !overflow, i >= 0, i < Int64(windowTicks), !isEmpty { return Int(i) }
        return anchorOrRecentre(toInclude: ticks)
    }

    /// `writableIndex` off its fast path: the first level of an empty book anchors the window
    /// on it; a price outside the window moves the window, if it can.
    @inline(never) func anchorOrRecentre(toInclude ticks: Int64) -> Int? {
        if !anchored || isEmpty {
            anchored = true
            lowBound = .max
            highBound = .min
            baseTick = ticks - Int64(windowTicks / 2)
            return windowTicks / 2
        }
        return recentre(toInclude: ticks) ? Int(ticks - baseTick) : nil
    }

    /// Moves the window so it holds every resting level and `ticks`, centred on their span.
    func recentre(toInclude ticks: Int64) -> Bool {
        // Cheap refusal first: a level a window or more from either touch can never fit, and
        // an L2 feed sends many (deep levels far outside the window), each otherwise a scan.
        let window = Int64(windowTicks)
        if bids.best >= 0, abs(ticks - (baseTick + Int64(bids.best))) >= window
            || asks.best < windowTicks && abs(ticks - (baseTick + Int64(asks.best))) >= window {
            counters.outOfWindow += 1
            return false
        }
        let emptied = bids.emptied &+ asks.emptied
        if max(highBound, ticks) - min(lowBound, ticks) >= window, emptied != emptiedAtBoundsScan {
            // Levels have emptied since the bounds were exact: make them exact again, once.
            emptiedAtBoundsScan = emptied
            lowBound = .max
            highBound = .min
            // Both sides each way, since a crossed L2 book can hold asks below bids.
            if let first = bids.lowestIndex() { lowBound = min(lowBound, baseTick + Int64(first)) }
            if let first = asks.lowestIndex() { lowBound = min(lowBound, baseTick + Int64(first)) }
            if let last = bids.highestIndex() { highBound = max(highBound, baseTick + Int64(last)) }
            if let last = asks.highestIndex() { highBound = max(highBound, baseTick + Int64(last)) }
        }
        let lo = min(lowBound, ticks), hi = max(highBound, ticks)
        guard hi - lo < window else {
            counters.outOfWindow += 1
            return false
        }
        // Round the midpoint up: with a span of exactly windowTicks - 1, rounding down would put
        // `hi` one past the end. This keeps lo >= base and hi < base + windowTicks.
        let newBase = lo + (hi - lo + 1) / 2 - Int64(windowTicks / 2)
        let shift = Int(newBase - baseTick)
        bids.shift(by: shift)
        asks.shift(by: shift)
        baseTick = newBase
        counters.recentres += 1
        return true
    }

    // MARK: L3 updates

    /// Adds an order at the back of its level's queue. False (and counted) for a duplicate id,
    /// a non-positive size, or a price the window cannot hold.
    @discardableResult
    public func add(id: UInt64, side: Side, price: Price, qty: Qty) -> Bool {
        guard qty.lots > 0 else { counters.invalidQty += 1; return false }
        let probe = index.probe(id)
        guard !probe.found else { counters.duplicateAdd += 1; return false }
        guard let i = writableIndex(of: price) else { return false }
        if freeHead < 0, Int(poolUsed) == poolCapacity {
            // The pool and the index grow together, so the probe no longer points anywhere.
            grow()
            return add(id: id, side: side, price: price, qty: qty)
        }
        let slot = allocateSlot()
        let ticks = baseTick + Int64(i)
        lowBound = min(lowBound, ticks)
        highBound = max(highBound, ticks)
        pool[Int(slot)] = BookOrder(id: id, priceTicks: ticks, qty: qty.lots, prev: -1, next: -1, side: side)
        index.insert(id, slot, at: probe.bucket)
        if side == .buy { bids.append(slot, at: i, qty: qty.lots, pool: pool) } else { asks.append(slot, at: i, qty: qty.lots, pool: pool) }
        return true
    }

    /// Takes `qty` off an order (a partial cancel, or an execution of a resting order).
    /// An unknown id takes the size from the anonymous size at `side`/`price`, if any.
    /// Returns the size removed.
    @discardableResult
    public func reduce(id: UInt64, by qty: Qty, side: Side, price: Price) -> Qty {
        guard qty.lots > 0 else { counters.invalidQty += 1; return .zero }
        let slot = index.find(id)
        guard slot >= 0 else { return reduceAnonymous(side, price, qty.lots) }
        let order = pool[Int(slot)]
        if qty.lots > order.qty { counters.overReduce += 1 }
        let taken = min(qty.lots, order.qty)
        if taken == order.qty {
            remove(slot: slot)
        } else {
            pool[Int(slot)].qty -= taken
            let i = Int(order.priceTicks - baseTick)
            if order.side == .buy { bids.take(taken, at: i, known: true) } else { asks.take(taken, at: i, known: true) }
        }
        return Qty(taken)
    }

    /// Removes an order whole. For an unknown id, `qty` (its remaining size) is taken from the
    /// anonymous size at `side`/`price`. Returns the size removed.
    @discardableResult
    public func delete(id: UInt64, side: Side, price: Price, qty: Qty) -> Qty {
        let slot = index.find(id)
        guard slot >= 0 else {
            if qty.lots > 0 { return reduceAnonymous(side, price, qty.lots) }
            // An unknown id with no size is still an unknown-id event; it matches nothing.
            counters.unknownOrder += 1
            counters.unknownUnmatched += 1
            return .zero
        }
        let removed = pool[Int(slot)].qty
        remove(slot: slot)
        return Qty(removed)
    }

    /// An execution against a resting order: the same as `reduce`, named for the reader.
    @discardableResult
    public func execute(id: UInt64, qty: Qty, side: Side, price: Price) -> Qty {
        reduce(id: id, by: qty, side: side, price: price)
    }

    // MARK: L2 updates

    /// Sets a level's total size, as an L2 feed does; 0 removes the level.
    public func setLevel(_ side: Side, _ price: Price, _ qty: Qty) {
        guard qty.lots >= 0 else { counters.invalidQty += 1; return }
        if qty.lots == 0 {
            // Off-tick (or non-positive) prices are refused and counted here too, as in `writableIndex`.
            guard price.isDefined, price.units > 0, let ticks = ticks(of: price) else { counters.offTick += 1; return }
            let (i, overflow) = ticks.subtractingReportingOverflow(baseTick)
            guard anchored, !overflow, i >= 0, i < Int64(windowTicks) else { return }
            if side == .buy { bids.setAnonymous(0, at: Int(i)) } else { asks.setAnonymous(0, at: Int(i)) }
            return
        }
        guard let i = writableIndex(of: price) else { return }
        lowBound = min(lowBound, baseTick + Int64(i))
        highBound = max(highBound, baseTick + Int64(i))
        if side == .buy { bids.setAnonymous(qty.lots, at: i) } else { asks.setAnonymous(qty.lots, at: i) }
    }

    /// Empties the book, as before a snapshot.
    public func clear() {
        bids.clearAll()
        asks.clearAll()
        lowBound = .max
        highBound = .min
        index.removeAll()
        freeHead = -1
        poolUsed = 0
    }

    // MARK: Internals

    private func reduceAnonymous(_ side: Side, _ price: Price, _ qty: Int64) -> Qty {
        counters.unknownOrder += 1
        guard let i = index(of: price) else { counters.unknownUnmatched += 1; return .zero }
        let level = side == .buy ? bids.level(i) : asks.level(i)
        let anonymous = level.qty - level.knownQty
        if anonymous < qty { counters.unknownUnmatched += 1 }
        let taken = min(anonymous, qty)
        guard taken > 0 else { return .zero }
        if side == .buy { bids.take(taken, at: i, known: false) } else { asks.take(taken, at: i, known: false) }
        return Qty(taken)
    }

    @inline(__always) private func remove(slot: Int32) {
        let order = pool[Int(slot)]
        let i = Int(order.priceTicks - baseTick)
        if order.side == .buy { bids.unlink(slot, at: i, pool: pool) } else { asks.unlink(slot, at: i, pool: pool) }
        index.remove(order.id)
        pool[Int(slot)].next = freeHead
        freeHead = slot
    }

    /// A free pool slot; the caller has made sure there is one (see `add`).
    @inline(__always)
    private func allocateSlot() -> Int32 {
        if freeHead >= 0 {
            let slot = freeHead
            freeHead = pool[Int(slot)].next
            return slot
        }
        defer { poolUsed += 1 }
        return poolUsed
    }

    /// Doubles the pool and the index. Allocation, outside steady state; counted.
    private func grow() {
        counters.growths += 1
        let newCapacity = poolCapacity * 2
        let newPool = UnsafeMutablePointer<BookOrder>.allocate(capacity: newCapacity)
        newPool.moveInitialize(from: pool, count: poolCapacity)
        pool.deallocate()
        pool = newPool
        poolCapacity = newCapacity
        var newIndex = OrderIDIndex(capacity: newCapacity)
        let live = index
        for b in 0..<live.capacity where live.values[b] != 0 {
            newIndex.insert(live.keys[b], live.values[b] - 1)
        }
        index.deallocate()
        index = newIndex
    }
}
